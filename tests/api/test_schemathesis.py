"""Every operation of the OpenAPI schema, fuzzed by schemathesis against the Django WSGI app, as two roles.

The schema is the contract: any 5xx, any answer whose status code, content type or body the schema does not
document, fails the run. Runs in-process (no live server) inside pytest-django's test database, on the demo
data (`demo_setup` on the sample region tree), as the county officer 经办人 `xian` of 泸溪县 and the enterprise
user `qiye`. Examples are bounded and the seed fixed, so a run is deterministic and takes well under a minute
per role.
"""

from collections.abc import Callable, Iterable
from io import StringIO
from typing import Any

import pytest
import schemathesis
from django.apps import apps
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.schemas import OpenApiSchema

from laborcoop.demo.generator import regions as demo_regions
from laborcoop.demo.users import DEMO_PASSWORD

SEED = 20261207
MAX_EXAMPLES = 12
ROLES = {"officer": "xian", "enterprise": "qiye"}
# The resource of `/api/v1/<segment>/{id}/...`: a generated id is swapped for the id of a real row (in scope or
# not), so detail and action operations meet real data rather than only 404s.
ROWS_OF_SEGMENT = {
    "comparisons": "linkage.Comparison",
    "destination-notices": "tracking.DestinationNotice",
    "employment-records": "employment.EmploymentRecord",
    "enterprises": "employers.Enterprise",
    "households": "registry.Household",
    "imports": "intake.ImportJob",
    "jobs": "employers.JobPosting",
    "laborers": "registry.Laborer",
    "matching-runs": "matching.MatchingRun",
    "recommendations": "matching.Recommendation",
    "warnings": "earlywarning.EarlyWarning",
}
ROWS_PER_KIND = 20
LUXI = ("433122000000", "433122999999")  # 泸溪县, the officer's county

CONFIG = {
    "seed": SEED,
    "generation": {"max-examples": MAX_EXAMPLES, "database": "none", "deterministic": True},
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    # A schema-valid body can still break a business rule the schema cannot state (a region code that does not
    # exist, an empty upload, wrong credentials): 400 is right there, so "positive data accepted" is not checked.
    "checks": {"positive_data_acceptance": {"enabled": False}},
}


@pytest.fixture(autouse=True)
def _node_id_alias(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32's from_fixture reads and writes `node._nodeid`, which pytest 9.2 renamed (`_id`)."""
    request.node._nodeid = request.node.nodeid


@pytest.fixture
def wsgi_app(db: Any) -> Callable[..., Iterable[bytes]]:
    """The project's WSGI app, kept inside the test's transaction. Django closes the database connection when a
    request starts and when its response is closed (close_old_connections), which on PostgreSQL would end the
    test's transaction; like Django's test client, the receiver is disconnected around each request, response
    close included."""
    handler = get_wsgi_application()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return app


@pytest.fixture
def demo_data(regions: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_regions, "regions_complete", lambda: True)
    call_command("demo_setup", laborers=300, stdout=StringIO())


@pytest.fixture
def real_ids(demo_data: None) -> dict[str, list[int]]:
    """Ids of real rows per path segment: rows of the officer's county (in scope), then the first of the table."""
    ids: dict[str, list[int]] = {}
    for segment, label in ROWS_OF_SEGMENT.items():
        rows = apps.get_model(label).objects.order_by("pk")
        fields = {f.name for f in rows.model._meta.get_fields()}
        near = rows.filter(region__gte=LUXI[0], region__lte=LUXI[1]) if "region" in fields else rows.none()
        picked = [
            *near.values_list("pk", flat=True)[:ROWS_PER_KIND],
            *rows.values_list("pk", flat=True)[:ROWS_PER_KIND],
        ]
        ids[segment] = list(dict.fromkeys(picked))
    return ids


@pytest.fixture(params=sorted(ROLES))
def role_token(request: pytest.FixtureRequest, demo_data: None) -> str:
    """A token from the token endpoint, the way API clients get one."""
    response = Client().post("/api/v1/auth/token/", {"username": ROLES[request.param], "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


@pytest.fixture
def api_schema(wsgi_app: Any, role_token: str) -> OpenApiSchema:
    config = SchemathesisConfig.from_dict(CONFIG)
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_every_operation_conforms_to_the_schema(case: Any, role_token: str, real_ids: dict[str, list[int]]) -> None:
    generated = (case.path_parameters or {}).get("id")
    pool = real_ids.get(case.operation.path.split("/")[3], [])
    if isinstance(generated, int) and not isinstance(generated, bool) and generated > 0 and pool:
        case.path_parameters["id"] = pool[generated % len(pool)]
    case.call_and_validate(headers={"Authorization": f"Token {role_token}"})
