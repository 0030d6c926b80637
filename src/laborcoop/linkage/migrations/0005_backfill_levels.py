"""Comparisons stored before the confidence levels: a match by equal ID is 高可信, any other 中可信 (to review),
with the plain reasons its stored fields allow; each comparison's review count follows."""

from typing import Any

from django.db import migrations

# As linkage.confidence.reasons_of at the time of writing (frozen here).
_AGREE = (
    ("id_number", "身份证号一致"),
    ("name", "姓名相同"),
    ("birth_date", "出生日期相同"),
    ("village_code", "同村"),
)
_DIFFER = (
    ("id_number", "身份证号不同（两个均为有效号码）"),
    ("name", "姓名不同"),
    ("birth_date", "出生日期不同"),
    ("sex", "性别不同"),
    ("village_code", "不同村"),
)


def backfill(apps: Any, schema_editor: Any) -> None:
    entry_model = apps.get_model("linkage", "ComparisonEntry")
    comparison_model = apps.get_model("linkage", "Comparison")
    touched: set[int] = set()
    pending = entry_model.objects.filter(kind="matched", level="").order_by("id")
    batch = []
    for entry in pending.iterator(chunk_size=2000):
        agreeing = set(entry.agreeing or [])
        conflicting = {c.get("field") for c in entry.conflicts or []}
        reasons = [text for field, text in _AGREE if field in agreeing]
        reasons += [text for field, text in _DIFFER if field in conflicting]
        entry.level = "high" if entry.method == "id" else "medium"
        entry.reasons = reasons
        batch.append(entry)
        touched.add(entry.comparison_id)
        if len(batch) >= 2000:
            entry_model.objects.bulk_update(batch, ["level", "reasons"])
            batch = []
    if batch:
        entry_model.objects.bulk_update(batch, ["level", "reasons"])
    for comparison_id in touched:
        review = entry_model.objects.filter(comparison_id=comparison_id, kind="matched").exclude(level="high").count()
        comparison_model.objects.filter(pk=comparison_id).update(review_count=review)


class Migration(migrations.Migration):
    dependencies = [("linkage", "0004_confidence_levels")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
