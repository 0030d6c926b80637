from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from laborcoop.bench.registry import NOT_POSTGRES


def test_bench_registry_refuses_sqlite(db: Any) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("runs the refusal path on SQLite only")
    with pytest.raises(CommandError) as exc:
        call_command("bench_registry", laborers=10)
    assert str(exc.value) == NOT_POSTGRES
