"""Every cooperation test starts and ends with no warm matching index (the database is rolled back, memory is
not)."""

from collections.abc import Iterator

import pytest

from laborcoop.matching.services.warm import warm_index_reset


@pytest.fixture(autouse=True)
def _no_warm_index() -> Iterator[None]:
    warm_index_reset()
    yield
    warm_index_reset()
