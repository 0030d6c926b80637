"""can_administer_province: the one rule for changing a province's settings (matching weights, tracking
thresholds, warning rules), as a matrix of who asks about which code."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from laborcoop.accounts.access import can_administer_province
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

HUNAN, SHANDONG, XIANGXI = "430000000000", "370000000000", "433100000000"


@pytest.mark.parametrize(
    ("who", "code", "allowed"),
    [
        ("anonymous", HUNAN, False),
        ("county_officer", HUNAN, False),  # wrong role
        ("prefecture_admin", HUNAN, False),  # admin, but of a prefecture
        ("province_admin", SHANDONG, False),  # right role, wrong province
        ("province_admin", HUNAN, True),  # right role, right province
        ("province_admin", XIANGXI, False),  # not a province code
        ("province_admin", "43", False),  # not a 12-digit code
        ("enterprise", HUNAN, False),
        ("hotline", HUNAN, False),
    ],
)
def test_who_may_administer_which_province(users: dict[str, Any], who: str, code: str, allowed: bool) -> None:
    user = AnonymousUser() if who == "anonymous" else users[who]
    assert can_administer_province(user=user, province_code=code) is allowed


def test_an_inactive_admin_may_not_and_the_operator_may(regions: Any) -> None:
    inactive = make_user("sheng_old", HUNAN, ["admin"], is_active=False)
    operator = make_user("operator", None, [], is_superuser=True)
    assert can_administer_province(user=inactive, province_code=HUNAN) is False
    assert can_administer_province(user=operator, province_code=SHANDONG) is True
