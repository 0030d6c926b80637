"""Employer fixtures: one enterprise in 泸溪县 (the county officer's), one in 凤凰县 (the other county's), the
enterprise user's own in 济南市历下区, and a job for each; plus valid input for the services."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from laborcoop.core.validation.checksums import make_uscc
from laborcoop.employers import choices as ec
from laborcoop.employers.models import Enterprise, JobPosting
from tests.api.conftest import api, rows  # noqa: F401 (fixtures of the API tests)
from tests.factories import EnterpriseFactory, JobPostingFactory

LUXI_USCC = make_uscc("91433122MA4L00001")
NEW_USCC = make_uscc("91433122MA4L00002")


@pytest.fixture
def luxi(users: dict[str, Any]) -> Enterprise:
    return EnterpriseFactory(
        name="泸溪白沙制衣有限公司",
        uscc=LUXI_USCC,
        region_id="433122107000",
        contact_phone="0743-4221234",
        is_assist_workshop=True,
    )


@pytest.fixture
def fenghuang(users: dict[str, Any]) -> Enterprise:
    return EnterpriseFactory(name="凤凰沱江食品有限公司", region_id="433123000000", industry=ec.Industry.H)


@pytest.fixture
def jinan(users: dict[str, Any]) -> Enterprise:
    enterprise: Enterprise = users["enterprise"].enterprise
    return enterprise


@pytest.fixture
def luxi_job(luxi: Enterprise) -> JobPosting:
    return JobPostingFactory(enterprise=luxi, title="缝纫工", occupation="缝纫工", work_region_id="440306000000")


@pytest.fixture
def fenghuang_job(fenghuang: Enterprise) -> JobPosting:
    return JobPostingFactory(enterprise=fenghuang, title="面点师", occupation="面点师")


@pytest.fixture
def jinan_job(jinan: Enterprise) -> JobPosting:
    return JobPostingFactory(enterprise=jinan, title="装配工", occupation="装配工")


def enterprise_data(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "泸溪浦市农产品加工有限公司",
        "uscc": NEW_USCC,
        "region_code": "433122108000",
        "industry": ec.Industry.C,
        "size": ec.EnterpriseSize.SMALL,
        "contact_name": "李主任",
        "contact_phone": "13807431234",
        "address": "浦市镇新街 8 号",
        "is_assist_workshop": True,
        "is_assist_base": False,
        "description": "",
    }
    data.update(over)
    return data


def job_data(**over: Any) -> dict[str, Any]:
    today = date.today()
    data: dict[str, Any] = {
        "title": "电子装配工",
        "occupation": "普工",
        "openings": 20,
        "wage_min": 4500,
        "wage_max": 6500,
        "work_region_code": "440306000000",
        "age_min": 18,
        "age_max": 50,
        "sex_requirement": "",
        "education_min": "初中",
        "provides_accommodation": True,
        "provides_meals": True,
        "is_low_threshold": False,
        "valid_from": today,
        "valid_until": today + timedelta(days=90),
        "description": "两班倒，包吃住。",
    }
    data.update(over)
    return data


def form_post(data: dict[str, Any]) -> dict[str, Any]:
    """The same input as a browser would post it (checkboxes absent when false, dates as text)."""
    posted: dict[str, Any] = {}
    for key, value in data.items():
        if value is False:
            continue
        if value is True:
            posted[key] = "on"
        elif isinstance(value, date):
            posted[key] = value.isoformat()
        else:
            posted[key] = value
    return posted


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
