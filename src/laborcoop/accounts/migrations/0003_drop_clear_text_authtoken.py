"""Drop DRF's authtoken table: it held API keys in clear text. Its tokens are not carried over (only the
holder knows a key, and the new store keeps hashes): clients ask POST /api/v1/auth/token/ for a new one
(docs/deploy.md). The app's migration records go too, so that re-adding the app would recreate its table."""

from typing import Any

from django.db import migrations

TABLE = "authtoken_token"


def drop_authtoken_table(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if TABLE in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(TABLE)}")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = %s", ["authtoken"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_api_token")]

    operations = [
        # Irreversible in substance (the keys are gone); reversing is allowed and does nothing.
        migrations.RunPython(drop_authtoken_table, migrations.RunPython.noop, elidable=True),
    ]
