"""Merge records written before the registry encrypted mobile numbers hold the removed laborer's clear `phone`
in `removed_values` and the filled number in `filled_fields`: store the encrypted columns instead (what undo
restores now) and the filled number masked. Reverse puts the clear number back."""

from django.db import migrations

from laborcoop.core.crypto import decrypt
from laborcoop.core.masking import mask_phone
from laborcoop.registry.identity import PHONE_COLUMN_NAMES, phone_columns


def encrypt_numbers(apps, schema_editor):
    MergeRecord = apps.get_model("frontdesk", "MergeRecord")
    for record in MergeRecord.objects.filter(removed_values__has_key="phone").iterator(chunk_size=500):
        values = dict(record.removed_values)
        cols = phone_columns(values.pop("phone") or "")
        values.update({name: getattr(cols, name) for name in PHONE_COLUMN_NAMES})
        filled = dict(record.filled_fields)
        if "phone" in filled:
            filled["phone"] = [mask_phone(v or "") for v in filled["phone"]]
        record.removed_values, record.filled_fields = values, filled
        record.save(update_fields=["removed_values", "filled_fields"])


def decrypt_numbers(apps, schema_editor):
    MergeRecord = apps.get_model("frontdesk", "MergeRecord")
    for record in MergeRecord.objects.filter(removed_values__has_key="phone_enc").iterator(chunk_size=500):
        values = dict(record.removed_values)
        enc = values.pop("phone_enc") or ""
        for name in ("phone_hash", "phone_masked"):
            values.pop(name, None)
        values["phone"] = decrypt(enc) if enc else ""
        filled = dict(record.filled_fields)
        if "phone" in filled:
            filled["phone"] = ["", values["phone"]]
        record.removed_values, record.filled_fields = values, filled
        record.save(update_fields=["removed_values", "filled_fields"])


class Migration(migrations.Migration):
    dependencies = [
        ("frontdesk", "0001_duplicate_pairs_merges_service_contacts"),
        ("registry", "0008_drop_clear_phone"),
    ]

    operations = [migrations.RunPython(encrypt_numbers, decrypt_numbers)]
