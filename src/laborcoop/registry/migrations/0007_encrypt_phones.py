"""Move the clear mobile numbers of households and laborers into the encrypted columns (and back on reverse).

Chunks of primary keys so that a registry of millions never sits in memory at once; each chunk is one
bulk_update. Uses the registry's column helpers (core.crypto underneath), as the services do.
"""

from django.db import migrations

from laborcoop.registry.identity import PHONE_COLUMN_NAMES, phone_columns

CHUNK = 2000


def _chunks(queryset):
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def encrypt_phones(apps, schema_editor):
    for name in ("Household", "Laborer"):
        model = apps.get_model("registry", name)
        pending = model.objects.exclude(phone="").only("pk", "phone")
        for rows in _chunks(pending):
            for row in rows:
                cols = phone_columns(row.phone)
                for column in PHONE_COLUMN_NAMES:
                    setattr(row, column, getattr(cols, column))
                row.phone = ""
            model.objects.bulk_update(rows, ["phone", *PHONE_COLUMN_NAMES])


def decrypt_phones(apps, schema_editor):
    from laborcoop.core.crypto import decrypt

    for name in ("Household", "Laborer"):
        model = apps.get_model("registry", name)
        pending = model.objects.exclude(phone_enc="").only("pk", "phone_enc", "phone_last4")
        for rows in _chunks(pending):
            for row in rows:
                row.phone = decrypt(row.phone_enc)
                row.phone_enc = row.phone_hash = row.phone_masked = ""
            fields = ["phone", "phone_enc", "phone_hash", "phone_masked"]
            if name == "Household":
                for row in rows:
                    row.phone_last4 = ""
                fields.append("phone_last4")
            model.objects.bulk_update(rows, fields)


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_phone_columns")]

    operations = [migrations.RunPython(encrypt_phones, decrypt_phones, elidable=False)]
