"""Messages reach people (issue 13 items 9 and 10): the public address is required in production and used in
every sent link, admins are warned while SMS or the address is missing, and inbox messages link to their page."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import run_checks
from django.test import Client, override_settings

from laborcoop.notifications import checks
from laborcoop.notifications.choices import Channel
from laborcoop.notifications.dispatch import _sending_body
from laborcoop.notifications.models import Notification
from laborcoop.notifications.services import notification_enqueue
from laborcoop.notifications.templatetags.notifications_tags import WARN_NO_PUBLIC_URL, WARN_NO_SMS
from tests.factories import LaborerFactory, fresh_id_number
from tests.matching.test_recommendations_setup import build_market
from tests.tracking.followup_helpers import days_ago, end, hire

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "https://laowu.example.gov.cn"
GATEWAY = {"SMS_GATEWAY_URL": "https://sms.example.gov.cn/send"}


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "LABORCOOP_PUBLIC_URL")},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x7#kLq92-vPz!r4Tq8wYb3nM0cJ6hD1fG5sA-2eR9uIoPlKjHgFdSaZxCvBnM",
        "LABORCOOP_ID_KEY": "cHJvZC1jaGVjay1pZC1rZXktMzItYnl0ZXMtbG9uZyE=",
        "LABORCOOP_HASH_KEY": "cHJvZC1jaGVjay1oYXNoLWtleS0zMi1ieXRlcy1sbmc=",
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_ALLOWED_HOSTS": "laowu.example.gov.cn",
    }
    env.update(extra)
    return env


def test_check_deploy_fails_without_the_public_url() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert checks.E_PUBLIC_URL_MISSING in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", checks.E_PUBLIC_URL_MISSING),
        ("laowu.example.gov.cn", checks.E_PUBLIC_URL_INVALID),
        ("ftp://laowu.example.gov.cn", checks.E_PUBLIC_URL_INVALID),
        ("https://laowu.example.gov.cn/matching/", checks.E_PUBLIC_URL_INVALID),
        ("https://laowu.example.gov.cn", ""),
        ("https://laowu.example.gov.cn/", ""),
        ("http://10.1.2.3:8000", ""),
    ],
)
def test_public_url_problems(value: str, problem: str) -> None:
    assert checks.public_url_problem(value) == problem


def test_the_check_is_a_deploy_check() -> None:
    with override_settings(LABORCOOP_PUBLIC_URL=""):
        assert [m.id for m in run_checks(include_deployment_checks=True, tags=["laborcoop"])] == [
            checks.E_PUBLIC_URL_MISSING
        ]
        assert run_checks(include_deployment_checks=False, tags=["laborcoop"]) == []
    with override_settings(LABORCOOP_PUBLIC_URL=PUBLIC):
        assert run_checks(include_deployment_checks=True, tags=["laborcoop"]) == []


# --- absolute links in what is sent --------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(LABORCOOP_PUBLIC_URL=PUBLIC + "/")
def test_the_sms_carries_an_absolute_personal_link(users: dict[str, Any]) -> None:
    from laborcoop.matching.services import recommendations_for_job

    market = build_market(users)
    recommendations_for_job(acting_user=users["county_officer"], job=market.luxi_job)
    row = Notification.objects.filter(template="job_recommended").first()
    assert row is not None
    sent = _sending_body(row)
    assert f"{PUBLIC}/matching/r/" in sent
    assert "（个人链接，发送时生成）" not in sent
    assert "/matching/r/" not in row.body  # the outbox never stores the token


# --- the admins' warning --------------------------------------------------------------------------------------


def _page(user: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/notifications/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@override_settings(LABORCOOP_PUBLIC_URL="", NOTIFICATIONS={})
def test_admins_are_warned_while_sms_and_the_public_url_are_missing(users: dict[str, Any]) -> None:
    page = _page(users["province_admin"])
    assert WARN_NO_SMS in page
    assert WARN_NO_PUBLIC_URL in page
    # Officers are not (they cannot fix it)
    assert WARN_NO_SMS not in _page(users["county_officer"])


@pytest.mark.django_db
@override_settings(LABORCOOP_PUBLIC_URL=PUBLIC, NOTIFICATIONS=GATEWAY)
def test_no_warning_once_both_are_configured(users: dict[str, Any]) -> None:
    page = _page(users["province_admin"])
    assert WARN_NO_SMS not in page
    assert WARN_NO_PUBLIC_URL not in page
    assert "delivery-warning" not in page


# --- the inbox ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_follow_up_message_names_the_officers_own_laborer_and_links_to_the_person(users: dict[str, Any]) -> None:
    laborer = LaborerFactory(id_number=fresh_id_number(), name="向金花")
    record = hire(users["county_officer"], laborer, start=days_ago(200))
    end(users["county_officer"], record, on=days_ago(3))
    broker = users["broker"]
    message = Notification.objects.get(recipient_user=broker, template="employment_ended_followup")
    assert "向金花" in message.body
    assert message.url == f"/registry/laborers/{laborer.pk}/"
    client = Client()
    client.force_login(broker)
    inbox = client.get("/notifications/").content.decode()
    assert f'href="{message.url}"' in inbox
    assert "查看详情" in inbox
    # The link opens for the recipient
    assert client.get(message.url).status_code == 200


@pytest.mark.django_db
def test_the_outbox_shows_a_subject_once(users: dict[str, Any]) -> None:
    notification_enqueue(
        channel=Channel.IN_APP,
        recipient_user=users["county_officer"],
        template="destination_notice",
        context={
            "region_name": "泸溪县",
            "person": "向金花",
            "start_date": "2026-03-01",
            "work_area": "广东省深圳市宝安区",
            "employer": "深圳测试电子厂",
            "job_title": "操作工",
        },
        dedupe_key="t:subject-once",
        region_code="433122000000",
    )
    client = Client()
    client.force_login(users["province_admin"])
    page = client.get("/notifications/outbox/").content.decode()
    assert "劳动者去向通报：向金花" in page
    assert "去向通报：劳动者去向通报" not in page


def test_every_sms_template_carries_the_link() -> None:
    from laborcoop.notifications.message_templates import TEMPLATES, render_message
    from tests.notifications.test_templates import CONTEXTS

    for key in ("job_recommended", "interview_result", "interview_arranged"):
        context = {**CONTEXTS[key], "link": f"{PUBLIC}/matching/r/abc/"}
        assert f"{PUBLIC}/matching/r/abc/" in render_message(key, context).body, key
        assert "link" in {*TEMPLATES[key].required, *TEMPLATES[key].optional}


@pytest.mark.django_db
@override_settings(LABORCOOP_PUBLIC_URL=PUBLIC)
def test_the_interview_sms_links_to_the_personal_page(users: dict[str, Any]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from laborcoop.matching.choices import InterviewMode, RecState
    from laborcoop.matching.models import Recommendation
    from laborcoop.matching.services import Interview, recommendation_transition, recommendations_for_job

    market = build_market(users)
    recommendations_for_job(acting_user=users["county_officer"], job=market.luxi_job)
    rec = Recommendation.objects.filter(job=market.luxi_job).order_by("pk").first()
    assert rec is not None
    officer = users["county_officer"]
    rec = recommendation_transition(
        acting_user=officer, recommendation=rec, to_state=RecState.INTERESTED, expected_version=rec.version
    )
    at = timezone.now() + timedelta(days=2)
    recommendation_transition(
        acting_user=officer,
        recommendation=rec,
        to_state=RecState.INTERVIEW,
        expected_version=rec.version,
        interview=Interview(at=at, mode=InterviewMode.ONSITE, place="泸溪县武溪镇工业园"),
    )
    row = Notification.objects.get(template="interview_arranged")
    assert f"{PUBLIC}/matching/r/" in _sending_body(row)


@pytest.mark.django_db
def test_the_enterprise_is_told_of_interest_with_a_link_it_can_open(users: dict[str, Any]) -> None:
    from laborcoop.matching.choices import RecState
    from laborcoop.matching.models import Recommendation
    from laborcoop.matching.services import recommendation_respond_by_link, recommendations_for_job

    market = build_market(users)
    recommendations_for_job(acting_user=users["enterprise"], job=market.jinan_job)
    rec = Recommendation.objects.filter(job=market.jinan_job).order_by("pk").first()
    assert rec is not None
    recommendation_respond_by_link(laborer_id=rec.laborer_id, recommendation_id=rec.pk, to_state=RecState.INTERESTED)
    message = Notification.objects.get(template="candidate_interested", recipient_user=users["enterprise"])
    assert message.url == f"/matching/jobs/{market.jinan_job.pk}/"
    client = Client()
    client.force_login(users["enterprise"])
    assert f'href="{message.url}"' in client.get("/notifications/").content.decode()
    assert client.get(message.url).status_code == 200
