"""A finer histogram on laborer names (PostgreSQL only).

With the default 100 buckets PostgreSQL estimates a name prefix such as '吴晓%' at ~10,000 rows of a million
(real: ~1,100) and prefers walking the region index in order over the name index: 46 ms instead of 9 ms for a
province-wide name search. 1,000 buckets bring the estimate within 20%. SQLite has no such setting.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def set_statistics(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE registry_laborer ALTER COLUMN name SET STATISTICS 1000")


def reset_statistics(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE registry_laborer ALTER COLUMN name SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(set_statistics, reset_statistics)]
