"""The OpenAPI schema of /api/v1/ generates without warnings and documents the token scheme."""

from typing import Any

import pytest
import yaml
from django.core.management import call_command


def test_schema_has_no_warnings_and_documents_token_auth(tmp_path: Any) -> None:
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    assert {"tokenAuth": []} in schema["paths"]["/api/v1/laborers/"]["get"]["security"]
    laborer = schema["components"]["schemas"]["Laborer"]["properties"]
    assert "id_number_masked" in laborer
    assert not {"id_number", "id_number_enc", "id_number_hash", "phone"} & set(laborer)


@pytest.mark.django_db
def test_schema_and_docs_are_served(users: dict[str, Any]) -> None:
    from django.test import Client

    client = Client()
    client.force_login(users["viewer"])
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
