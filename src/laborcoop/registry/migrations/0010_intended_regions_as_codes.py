"""意向地区 were typed as text ("济南", "深圳市") before the region picker: turn each into its region code where
the name names exactly one current region, and drop the ones that do not (they were never used by matching).
The number of laborers and of entries dropped is printed. 民族 written short ("苗") gets its code-list name.

Self-contained (historical models, no app code), so later changes to the apps do not change what it does."""

from typing import Any

from django.db import migrations

BATCH = 2000
CODE_LENGTHS = (2, 4, 6, 9, 12)
# Suffixes people leave out: 济南 -> 济南市, 泸溪 -> 泸溪县, 湘西 -> 湘西土家族苗族自治州.
SUFFIXES = ("", "省", "市", "区", "县", "州", "盟", "旗", "地区", "自治区", "自治州", "自治县", "土家族苗族自治州",
            "壮族自治区", "回族自治区", "维吾尔自治区")  # fmt: skip
ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族",
    "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族",
    "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族",
    "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)  # fmt: skip
PLACEHOLDERS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


def _as_code(text: str) -> str | None:
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) in CODE_LENGTHS:
        return text.ljust(12, "0")
    return None


def resolve(region_model: Any, text: str, memo: dict[str, str | None]) -> str | None:
    """The code of the one current region (province, prefecture or county) named `text`, else None."""
    if text in memo:
        return memo[text]
    code = _as_code(text)
    if code is not None:
        found = region_model.objects.filter(code=code).exists()
        memo[text] = code if found else None
        return memo[text]
    name = "".join(text.split())
    codes = list(
        region_model.objects.filter(name__in=[name + s for s in SUFFIXES], level__lte=3, valid_to__isnull=True)
        .exclude(name__in=PLACEHOLDERS)
        .values_list("code", flat=True)[:2]
    )
    memo[text] = codes[0] if len(codes) == 1 else None
    return memo[text]


def forwards(apps: Any, schema_editor: Any) -> None:
    laborer_model = apps.get_model("registry", "Laborer")
    region_model = apps.get_model("regions", "Region")
    memo: dict[str, str | None] = {}
    changed: list[Any] = []
    laborers = dropped = 0
    rows = laborer_model.objects.only("id", "intended_regions", "ethnicity").order_by("id")
    for laborer in rows.iterator(chunk_size=BATCH):
        update = False
        values = laborer.intended_regions or []
        if values:
            codes: list[str] = []
            for value in values:
                code = resolve(region_model, str(value), memo)
                if code is None:
                    dropped += 1
                elif code not in codes:
                    codes.append(code)
            if codes != values:
                laborer.intended_regions = codes
                laborers += 1
                update = True
        ethnicity = laborer.ethnicity or ""
        if ethnicity and ethnicity not in ETHNICITIES and ethnicity + "族" in ETHNICITIES:
            laborer.ethnicity = ethnicity + "族"
            update = True
        if update:
            changed.append(laborer)
        if len(changed) >= BATCH:
            laborer_model.objects.bulk_update(changed, ["intended_regions", "ethnicity"])
            changed = []
    if changed:
        laborer_model.objects.bulk_update(changed, ["intended_regions", "ethnicity"])
    if laborers or dropped:
        print(f"\n  意向地区: {laborers} laborers rewritten as region codes, {dropped} unresolved entries dropped")


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
        ("registry", "0009_laborer_birth_date_index"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
