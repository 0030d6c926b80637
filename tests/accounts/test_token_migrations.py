"""Migrations of the sign-in hardening: django-axes' tables exist (the test database is built by running every
migration, on SQLite and PostgreSQL alike) and the clear-text authtoken table is dropped."""

import importlib
from typing import Any

from axes.models import AccessAttempt, AccessLog
from django.db import connection

drop_migration = importlib.import_module("laborcoop.accounts.migrations.0003_drop_clear_text_authtoken")


class _Editor:
    """The three things the migration function uses of a schema editor."""

    connection = connection

    def execute(self, sql: str, params: Any = None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    def quote_name(self, name: str) -> str:
        return connection.ops.quote_name(name)


def test_axes_tables_are_migrated(db: Any) -> None:
    tables = connection.introspection.table_names()
    assert AccessAttempt._meta.db_table in tables
    assert AccessLog._meta.db_table in tables
    assert "authtoken_token" not in tables


def test_clear_text_token_table_is_dropped(db: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute('CREATE TABLE "authtoken_token" ("key" varchar(40) PRIMARY KEY, "user_id" bigint NOT NULL)')
        cursor.execute("""INSERT INTO "authtoken_token" VALUES ('0123456789abcdef0123456789abcdef01234567', 1)""")
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('authtoken', '0001_initial', %s)",
            ["2026-01-01 00:00:00"],
        )

    drop_migration.drop_authtoken_table(None, _Editor())

    assert "authtoken_token" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone()[0] == 0
    drop_migration.drop_authtoken_table(None, _Editor())  # and it runs again on a database without the table
