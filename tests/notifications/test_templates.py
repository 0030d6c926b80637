"""The Chinese message templates: each renders from its context, and a missing variable is rejected at enqueue."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from laborcoop.notifications.message_templates import TEMPLATES, render_message
from laborcoop.notifications.models import Notification
from tests.notifications.conftest import enqueue

CONTEXTS: dict[str, dict[str, Any]] = {
    "job_recommended": {"name": "张三", "job_count": 2, "link": "https://laowu.example/r/x", "valid_days": 7},
    "candidate_interested": {"job_title": "普工", "candidate": "李**"},
    "interview_result": {"name": "张三", "employer": "湘西某制造有限公司", "job_title": "焊工", "result": "录用"},
    "interview_arranged": {
        "name": "张三",
        "employer": "湘西某制造有限公司",
        "job_title": "焊工",
        "when": "2026年03月02日 09:00",
        "where": "泸溪县武溪镇工业园",
    },
    "destination_notice": {
        "region_name": "泸溪县",
        "person": "张三",
        "start_date": "2026-03-01",
        "work_area": "广东省深圳市",
        "employer": "深圳某电子厂",
        "job_title": "操作工",
    },
    "destination_notice_input": {
        "region_name": "历下区",
        "home_name": "湖南省湘西土家族苗族自治州泸溪县",
        "person": "张**",
        "id_last4": "123X",
        "start_date": "2026-03-01",
        "employer": "济南某制造有限公司",
        "job_title": "操作工",
    },
    "destination_notice_digest": {"region_name": "泸溪县", "count": 12, "places": "山东省济南市历下区12人"},
    "destination_notice_input_digest": {"region_name": "历下区", "count": 12, "places": "湖南省泸溪县12人"},
    "employment_ended_followup": {
        "region_name": "武溪镇",
        "village": "黑塘村",
        "person": "向**",
        "id_last4": "123X",
        "end_date": "2026-11-20",
        "employer": "深圳测试电子厂",
        "reason": "单位辞退",
        "contact_due": "2026-11-27",
    },
}


def test_registry_has_the_four_keys() -> None:
    assert set(TEMPLATES) == {
        "job_recommended",
        "candidate_interested",
        "interview_result",
        "destination_notice",
        "destination_notice_input",
        "destination_notice_digest",
        "destination_notice_input_digest",
        "employment_ended_followup",
        "interview_arranged",
    }
    assert set(CONTEXTS) == set(TEMPLATES)


@pytest.mark.parametrize("key", sorted(CONTEXTS))
def test_every_template_renders_in_chinese(key: str) -> None:
    rendered = render_message(key, CONTEXTS[key])
    assert rendered.subject
    assert "{{" not in rendered.body
    assert "{%" not in rendered.body
    for value in CONTEXTS[key].values():
        assert str(value) in rendered.subject + rendered.body


def test_job_recommended_text() -> None:
    rendered = render_message("job_recommended", {**CONTEXTS["job_recommended"], "first_job": "普工"})
    assert rendered.subject == "为您推荐了2个新岗位"
    assert rendered.body == (
        "张三您好：根据您的求职意向，为您推荐了2个新岗位，如「普工」。"
        "请打开链接查看并告诉我们是否有意向：https://laowu.example/r/x（链接7天内有效，请勿转发）"
    )


def test_optional_variable_may_be_left_out() -> None:
    rendered = render_message("interview_result", CONTEXTS["interview_result"])
    assert rendered.body == "张三您好：您应聘的湘西某制造有限公司「焊工」岗位，面试结果为：录用。"


def test_plain_text_is_not_html_escaped() -> None:
    rendered = render_message("candidate_interested", {"job_title": "装配工 & 质检", "candidate": "李**"})
    assert "装配工 & 质检" in rendered.body


def test_missing_key_is_rejected_at_enqueue(db: Any, regions: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        enqueue("rec:1:notified", context={"name": "张三", "job_count": 1})
    assert exc.value.code == "missing_context"
    assert exc.value.messages == ["消息模板「推荐岗位」缺少参数：link、valid_days。"]
    assert Notification.objects.count() == 0


def test_unknown_template_is_rejected(db: Any, regions: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        enqueue("x:1", template="no_such_template", context={})
    assert exc.value.code == "unknown_template"
    assert Notification.objects.count() == 0
