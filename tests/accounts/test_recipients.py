"""Which accounts hear of an event (accounts.recipients): the role-based choice of staff to notify."""

from typing import Any

import pytest

from laborcoop.accounts.recipients import village_field_staff
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_village_field_staff_skip_enterprise_users_and_other_townships(users: dict[str, Any]) -> None:
    make_user("puzhen_t", "433122108000", ["officer"])
    found = village_field_staff({"433122107201", "433122108201"})
    assert [u.username for u in found["433122107201"]] == ["xiang_t", "jjr_t"]
    assert [u.username for u in found["433122108201"]] == ["puzhen_t"]
