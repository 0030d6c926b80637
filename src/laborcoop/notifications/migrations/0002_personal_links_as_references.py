"""Outbox rows written before personal links were references: replace the stored link (and its token) in the
context and the body by the reference the sender signs again (notifications.links). Not reversed: the old
tokens are not worth restoring (a resent message gets a fresh link)."""

import re

from django.db import migrations

# Kept here as they are today: a migration must not change when the code does.
_LINK_RE = re.compile(r"\S*/r/(\d+):[^/\s]+/")
_KIND = "matching.personal"
_SHOWN = "（个人链接，发送时生成）"


def links_to_references(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for row in Notification.objects.filter(body__contains="/r/").iterator(chunk_size=500):
        link = row.context.get("link")
        match = _LINK_RE.search(link) if isinstance(link, str) else None
        if match is None:
            continue
        row.context = {**row.context, "link": {"signed_link": _KIND, "id": int(match.group(1))}}
        row.body = _LINK_RE.sub(_SHOWN, row.body)
        row.save(update_fields=["context", "body"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(links_to_references, migrations.RunPython.noop)]
