"""The Chinese message templates, keyed by code. Callers name a key and pass the context; a context that lacks a
variable the template uses is rejected when the message is enqueued, never discovered when it is sent.

Templates are Django templates rendered without HTML escaping (SMS and e-mail are plain text; the inbox page
escapes on display). Variables used only inside `{% if %}` must be listed in `optional`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Engine, Template
from django.template.base import VariableNode

UNKNOWN_TEMPLATE = "未知的消息模板：%(key)s。"
MISSING_CONTEXT = "消息模板「%(label)s」缺少参数：%(keys)s。"

_ENGINE = Engine(autoescape=False)


@dataclass(frozen=True)
class MessageTemplate:
    key: str
    label: str
    subject: str
    body: str
    optional: frozenset[str] = field(default_factory=frozenset)

    @property
    def required(self) -> frozenset[str]:
        return _variables(self.subject, self.body) - self.optional


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


TEMPLATES: dict[str, MessageTemplate] = {
    t.key: t
    for t in (
        MessageTemplate(
            key="job_recommended",
            label="推荐岗位",
            subject="为您推荐了{{ job_count }}个新岗位",
            body=(
                "{{ name }}您好：根据您的求职意向，为您推荐了{{ job_count }}个新岗位"
                "{% if first_job %}，如「{{ first_job }}」{% endif %}。"
                "请打开链接查看并告诉我们是否有意向：{{ link }}"
                "（链接{{ valid_days }}天内有效，请勿转发）"
            ),
            optional=frozenset({"first_job"}),
        ),
        MessageTemplate(
            key="candidate_interested",
            label="求职者有意向",
            subject="岗位「{{ job_title }}」有求职者表示有意向",
            body=(
                "您发布的岗位「{{ job_title }}」有推荐的求职者{{ candidate }}表示有意向，"
                "请登录平台查看并及时安排联系和面试。"
            ),
        ),
        MessageTemplate(
            key="interview_arranged",
            label="面试安排",
            subject="面试通知：{{ job_title }}",
            body=(
                "{{ name }}您好：{{ employer }}「{{ job_title }}」岗位请您参加面试。时间：{{ when }}；"
                "地点：{{ where }}。{% if note %}{{ note }}。{% endif %}"
                "{% if phone %}联系电话：{{ phone }}。{% endif %}{% if link %}详情：{{ link }}{% endif %}"
            ),
            optional=frozenset({"note", "phone", "link"}),
        ),
        MessageTemplate(
            key="interview_result",
            label="面试结果",
            subject="面试结果通知：{{ job_title }}",
            body=(
                "{{ name }}您好：您应聘的{{ employer }}「{{ job_title }}」岗位，面试结果为：{{ result }}。"
                "{% if note %}{{ note }}{% endif %}{% if link %}详情：{{ link }}{% endif %}"
            ),
            optional=frozenset({"note", "link"}),
        ),
        # To the home township when a laborer leaves a job (tracking.followups.leave): masked identity only.
        MessageTemplate(
            key="employment_ended_followup",
            label="离岗跟踪",
            subject="离岗人员跟踪：{{ person }}",
            body=(
                "{{ region_name }}：{{ village }}劳动者{{ person }}（证件号后四位{{ id_last4 }}）已于{{ end_date }}"
                "离开{{ employer }}（{{ reason }}）。已生成跟踪任务：请于{{ contact_due }}前联系本人，了解失业登记和"
                "转岗培训意愿，并推荐新的岗位。请登录平台「跟踪任务」处理。"
            ),
        ),
        MessageTemplate(
            key="destination_notice",
            label="去向通报",
            subject="劳动者去向通报：{{ person }}",
            body=(
                "{{ region_name }}：你地劳动者{{ person }}已于{{ start_date }}在{{ work_area }}"
                "{{ employer }}上岗（{{ job_title }}）。请做好跟踪服务。"
            ),
        ),
        # The input side's copy of a destination notice: masked identity only (surname, last four ID digits).
        MessageTemplate(
            key="destination_notice_input",
            label="去向通报（输入地）",
            subject="外地劳动者到岗通报：{{ person }}",
            body=(
                "{{ region_name }}：{{ home_name }}劳动者{{ person }}（证件号后四位{{ id_last4 }}）已于{{ start_date }}"
                "在你地{{ employer }}上岗（{{ job_title }}）。请核实后在平台「去向通报」中确认是否到岗。"
            ),
        ),
        # One message for many notices of one write (an import chunk): a count instead of a message per person.
        MessageTemplate(
            key="destination_notice_digest",
            label="去向通报汇总",
            subject="劳动者去向通报{{ count }}条",
            body=(
                "{{ region_name }}：你地有{{ count }}名劳动者到户籍所在县以外务工（{{ places }}），"
                "已向务工所在地发出去向通报。请登录平台「去向通报」查看并做好跟踪服务。"
            ),
        ),
        MessageTemplate(
            key="destination_notice_input_digest",
            label="去向通报汇总（输入地）",
            subject="外地劳动者到岗通报{{ count }}条",
            body=(
                "{{ region_name }}：有{{ count }}名外地劳动者到你地务工（来自{{ places }}）。"
                "请登录平台「去向通报」逐一核实并确认是否到岗。"
            ),
        ),
    )
}


def _variables(*sources: str) -> frozenset[str]:
    names: set[str] = set()
    for source in sources:
        for node in _compiled(source).nodelist.get_nodes_by_type(VariableNode):
            assert isinstance(node, VariableNode)
            var = node.filter_expression.var
            lookups = getattr(var, "lookups", None)
            if lookups:
                names.add(lookups[0])
    return frozenset(names)


@cache
def _compiled(source: str) -> Template:
    return _ENGINE.from_string(source)


def get_template(key: str) -> MessageTemplate:
    try:
        return TEMPLATES[key]
    except KeyError:
        raise ValidationError(UNKNOWN_TEMPLATE, code="unknown_template", params={"key": key}) from None


def template_label(key: str) -> str:
    template = TEMPLATES.get(key)
    return template.label if template else key


def render_message(key: str, context: Mapping[str, Any]) -> Rendered:
    """Render a template; a missing (or empty) required variable is a ValidationError."""
    template = get_template(key)
    missing = sorted(name for name in template.required if context.get(name) in (None, ""))
    if missing:
        raise ValidationError(
            MISSING_CONTEXT, code="missing_context", params={"label": template.label, "keys": "、".join(missing)}
        )
    ctx = Context(dict(context), autoescape=False)
    subject = " ".join(_compiled(template.subject).render(ctx).split())
    return Rendered(subject=subject, body=_compiled(template.body).render(ctx).strip())
