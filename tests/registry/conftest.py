"""Registry fixtures: the API clients and rows of tests/api, for the households and laborers API tests."""

from tests.api.conftest import api, rows  # noqa: F401 (fixtures)
