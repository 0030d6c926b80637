"""Leave free space in the pages of the warning table (PostgreSQL only).

Every nightly run updates last_seen_at (and the detail) of every live warning. With full pages each update
writes the new row version to another page and inserts it into all seven indexes; with room left in the page
PostgreSQL updates in place (HOT: no index changes, since no indexed column changes). Measured with
bench_warnings; see docs/benchmarks.md."""

from django.db import migrations

FILLFACTOR = 50


def set_fillfactor(apps, schema_editor, value=FILLFACTOR):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("earlywarning", "EarlyWarning")._meta.db_table
    schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} SET (fillfactor = {int(value)})")


def reset_fillfactor(apps, schema_editor):
    set_fillfactor(apps, schema_editor, 100)


class Migration(migrations.Migration):
    dependencies = [("earlywarning", "0001_warnings")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
