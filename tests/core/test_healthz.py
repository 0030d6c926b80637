"""The health endpoint for load balancers: database status, no data, no login."""

from typing import Any

import pytest
from django.test import Client


def test_healthz_reports_database_ok(db: Any) -> None:
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert "no-cache" in response["Cache-Control"]


class _UnreachableDatabase:
    vendor = "postgresql"

    def cursor(self) -> Any:
        raise RuntimeError("connection refused")


def test_healthz_reports_database_error(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("laborcoop.core.views.connection", _UnreachableDatabase())

    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "vendor": "postgresql"}
