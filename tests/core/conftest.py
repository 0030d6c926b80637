"""Core tests: a laborer in 泸溪县."""

from typing import Any

import pytest

from laborcoop.registry.models import Laborer
from tests.factories import HouseholdFactory, LaborerFactory


@pytest.fixture
def luxi_laborer(regions: dict[str, Any]) -> Laborer:
    """A laborer in 黑塘村 (泸溪县 武溪镇)."""
    return LaborerFactory(household=HouseholdFactory(region_id="433122107201"))
