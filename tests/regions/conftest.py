"""Region tests: the in-process address-code table is cleared around every test."""

from collections.abc import Iterator

import pytest

from laborcoop.regions.selectors import address_code_cache_clear
from tests.api.conftest import api  # noqa: F401 (fixture of the API tests)


@pytest.fixture(autouse=True)
def _fresh_address_code_table() -> Iterator[None]:
    address_code_cache_clear()
    yield
    address_code_cache_clear()
