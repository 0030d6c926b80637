"""demo_setup: regions, seed data and the seven demo logins, idempotent."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from laborcoop.accounts.models import User
from laborcoop.demo import generator
from laborcoop.demo.desks_demo import NEW_WORKERS
from laborcoop.demo.generator import regions as demo_regions
from laborcoop.demo.linkage_demo import IMPORT_NAME
from laborcoop.demo.users import DEMO_PASSWORD
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.intake.models import ImportJob
from laborcoop.regions.models import Region
from laborcoop.registry.models import Household, Laborer

EXPECTED = {
    # username: (role, home region code or prefix)
    "sheng": ("admin", "430000000000"),
    "zhou": ("admin", "433100000000"),
    "xian": ("officer", "433122000000"),
    "xiang": ("officer", "433122108000"),  # 浦市镇
    "jjr": ("broker", "433122108"),
    "qiye": ("enterprise", "3701"),
    "rexian": ("hotline", "430000000000"),
}


@pytest.fixture
def sample_tree_is_complete(regions: dict[str, Region], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Treat the sample tree as complete (loading the whole country would take seconds); record loads."""
    loads: list[str] = []
    monkeypatch.setattr(demo_regions, "regions_complete", lambda: True)
    monkeypatch.setattr(demo_regions, "region_tree_load", lambda **kw: loads.append("load") or 0)
    return loads


def _run(laborers: int = 300) -> str:
    out = StringIO()
    call_command("demo_setup", laborers=laborers, stdout=out)
    return out.getvalue()


def _state() -> dict[str, Any]:
    return {
        "users": list(User.objects.order_by("username").values()),
        "counts": [m.objects.count() for m in (Laborer, Household, Enterprise, JobPosting, Region)],
    }


def test_demo_setup_creates_the_logins(sample_tree_is_complete: list[str]) -> None:
    output = _run()
    # The seeded 300 plus those the demo persons import added (see test_demo_linkage.py) and the broker's two
    # villagers who just turned 16 (desks_demo).
    imported = ImportJob.objects.get(original_name=IMPORT_NAME).rows_created
    assert Laborer.objects.count() == 300 + imported + len(NEW_WORKERS)
    users = {u.username: u for u in User.objects.all()}
    assert set(users) == set(EXPECTED)
    for username, (role, region) in EXPECTED.items():
        user = users[username]
        assert user.roles == [role]
        assert user.home_region_id is not None
        assert user.home_region_id.startswith(region.rstrip("0") if len(region) == 12 else region)
        if len(region) == 12:
            assert user.home_region_id == region
        assert user.check_password(DEMO_PASSWORD)
        assert not user.is_superuser
        assert username in output
    assert users["zhou"].can_unmask_id
    assert not users["xian"].can_unmask_id
    broker = users["jjr"]
    assert Region.objects.get(code=broker.home_region_id).level == 5
    assert Laborer.objects.filter(region_id=broker.home_region_id).exists()
    enterprise = users["qiye"].enterprise
    assert enterprise is not None
    assert enterprise.region_id.startswith("3701")
    assert users["qiye"].home_region_id == enterprise.region_id
    assert JobPosting.objects.filter(enterprise=enterprise).exists()
    assert "用户名" in output
    assert "12333 热线" in output
    assert "湖南省湘西土家族苗族自治州泸溪县" in output


def test_demo_setup_twice_changes_nothing(sample_tree_is_complete: list[str]) -> None:
    _run()
    before = _state()
    output = _run()
    assert _state() == before
    assert "新建" not in output
    assert "已更新" not in output


def test_demo_setup_repairs_a_changed_login(sample_tree_is_complete: list[str]) -> None:
    _run()
    zhou = User.objects.get(username="zhou")
    zhou.can_unmask_id = False
    zhou.roles = ["viewer"]
    zhou.set_password("something-else")
    zhou.save()
    _run()
    zhou.refresh_from_db()
    assert zhou.roles == ["admin"]
    assert zhou.can_unmask_id
    assert zhou.check_password(DEMO_PASSWORD)


def test_demo_setup_loads_regions_only_when_incomplete(
    regions: dict[str, Region], monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[str] = []
    monkeypatch.setattr(demo_regions, "region_tree_load", lambda **kw: loads.append("load") or 0)
    assert not generator.regions_complete()  # the sample tree lacks most of the country
    assert generator.ensure_regions()
    assert loads == ["load"]
    monkeypatch.setattr(demo_regions, "regions_complete", lambda: True)
    assert not generator.ensure_regions()
    assert loads == ["load"]
