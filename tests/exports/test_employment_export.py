"""Employment-record exports: the output side (就业记录, the user's own people, ID masked unless an unmasked
export) and the input side (在本地务工的外地人员, people working in the user's region, masked identity only)."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.employment import choices as mc
from laborcoop.exports import services
from laborcoop.exports.access import UNMASK_DENIED
from laborcoop.exports.choices import ExportStatus
from laborcoop.exports.columns import ExportContext
from laborcoop.exports.models import ExportJob
from laborcoop.exports.selectors import list_source
from tests.employment.factories import EmploymentRecordFactory
from tests.exports.conftest import HEITANG, HUANGJIAQIAO, body, client_for, person, read_xlsx, table

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]
LUXI = "433122000000"
BAOAN = "440306000000"
LIXIA = "370102000000"
HEADER = [
    "姓名",
    "证件号码",
    "户籍所在地",
    "务工企业名称",
    "务工所在县",
    "务工地域",
    "所属行业",
    "开始时间",
    "结束时间",
    "结束原因",
    "务工月收入",
    "就业渠道",
    "是否点对点输送",
    "是否签订劳动合同",
    "参保情况",
    "来源",
]
HEITANG_PATH = "湖南省/湘西土家族苗族自治州/泸溪县/武溪镇/黑塘村"
HUANGJIAQIAO_PATH = "湖南省/湘西土家族苗族自治州/泸溪县/浦市镇/黄家桥村"
LUXI_PATH = "湖南省/湘西土家族苗族自治州/泸溪县"
FENGHUANG_PATH = "湖南省/湘西土家族苗族自治州/凤凰县"
BAOAN_PATH = "广东省/深圳市/宝安区"


@pytest.fixture
def records(people: dict[str, Any], firms: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    """泸溪's 向金花 in 宝安 now and earlier at the 武溪镇 enterprise at home, 泸溪's 符秋菊 at home, 凤凰's
    龙凤英 working in 泸溪 now and earlier at the 济南 enterprise."""
    jinan = users["enterprise"].enterprise
    return {
        "a_baoan": EmploymentRecordFactory(
            laborer=people["a"],
            employer_name="深圳宝安电子厂",
            work_region_id=BAOAN,
            industry="C",
            start_date=date(2024, 3, 1),
            monthly_wage=5200,
            channel=mc.Channel.LABOR_COOPERATION,
            point_to_point=True,
            contract_signed=True,
            insurance_types=[mc.InsuranceType.EMPLOYEE_PENSION, mc.InsuranceType.WORK_INJURY],
            source=mc.Source.REFERRAL,
        ),
        "a_past": EmploymentRecordFactory(
            laborer=people["a"],
            enterprise=firms["luxi"],
            employer_name=firms["luxi"].name,
            work_region_id=LUXI,
            industry="C",
            start_date=date(2023, 1, 1),
            end_date=date(2023, 10, 31),
            end_reason=mc.EndReason.SEASONAL,
            monthly_wage=None,
            channel=mc.Channel.ASSIST_WORKSHOP,
            point_to_point=None,
            contract_signed=None,
        ),
        "c_home": EmploymentRecordFactory(
            laborer=people["c"],
            employer_name="浦市镇扶贫车间",
            work_region_id=LUXI,
            start_date=date(2025, 1, 1),
            monthly_wage=2100,
            channel=mc.Channel.PUBLIC_WELFARE,
            contract_signed=False,
            insurance_types=[mc.InsuranceType.RESIDENT_MEDICAL],
        ),
        "other_in_luxi": EmploymentRecordFactory(
            laborer=people["other"],
            employer_name="泸溪县测试农业合作社",
            work_region_id=LUXI,
            start_date=date(2024, 6, 1),
            monthly_wage=2800,
            source=mc.Source.ENTERPRISE,
        ),
        "other_in_jinan": EmploymentRecordFactory(
            laborer=people["other"],
            enterprise=jinan,
            employer_name=jinan.name,
            work_region_id=LIXIA,
            industry="C",
            start_date=date(2022, 3, 1),
            end_date=date(2023, 12, 31),
            end_reason=mc.EndReason.RESIGNED,
            monthly_wage=4500,
        ),
    }


def export(user: Any, kind: str, fmt: str, query: str = "", **post: Any) -> Any:
    url = reverse("exports:start", args=[kind]) + (f"?{query}" if query else "")
    return client_for(user).post(url, {"format": fmt, **post})


def names(rows: list[list[str]]) -> list[tuple[str, str]]:
    """(姓名, 开始时间) of each data row, in file order."""
    return [(row[0], row[7]) for row in rows[1:]]


def exports_audited() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT))


# --- output side --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_side_content_is_exact_and_masked(
    users: dict[str, Any], people: dict[str, Any], records: dict[str, Any], fmt: str
) -> None:
    response = export(users["county_officer"], "employment", fmt)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = body(response)
    a, c = people["a"], people["c"]
    assert table(data, fmt) == [
        HEADER,
        [
            "向金花",
            a.id_masked,
            HEITANG_PATH,
            "深圳宝安电子厂",
            BAOAN_PATH,
            "省外",
            "制造业",
            "2024-03-01",
            "",
            "",
            "5200",
            "劳务协作输出",
            "是",
            "是",
            "城镇职工养老保险、工伤保险",
            "推荐录用",
        ],
        [
            "向金花",
            a.id_masked,
            HEITANG_PATH,
            "泸溪白沙制衣有限公司",
            LUXI_PATH,
            "县内",
            "制造业",
            "2023-01-01",
            "2023-10-31",
            "季节性务工结束",
            "",
            "帮扶车间",
            "",
            "",
            "",
            "经办录入",
        ],
        [
            "符秋菊",
            c.id_masked,
            HUANGJIAQIAO_PATH,
            "浦市镇扶贫车间",
            LUXI_PATH,
            "县内",
            "农、林、牧、渔业",
            "2025-01-01",
            "",
            "",
            "2100",
            "公益性岗位",
            "否",
            "否",
            "居民医疗保险",
            "经办录入",
        ],
    ]
    for p in people.values():
        assert p.clear_id.encode() not in data
    assert "龙凤英".encode() not in data  # 凤凰县's person, though she works in 泸溪
    if fmt == "xlsx":
        assert list(read_xlsx(data)) == ["就业记录"]
    [entry] = exports_audited()
    assert entry.changes == {
        "kind": "employment",
        "format": fmt,
        "rows": 3,
        "filters": {},
        "masked": True,
        "background": False,
    }
    assert entry.reason == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_side_follows_the_list_page_filters(users: dict[str, Any], records: dict[str, Any], fmt: str) -> None:
    officer = users["county_officer"]

    def rows(query: str) -> list[tuple[str, str]]:
        return names(table(body(export(officer, "employment", fmt, query)), fmt))

    assert rows("status=ongoing&page=2") == [("向金花", "2024-03-01"), ("符秋菊", "2025-01-01")]
    assert rows("status=ended") == [("向金花", "2023-01-01")]
    assert rows("work_area=03") == [("向金花", "2024-03-01")]
    assert rows("channel=公益性岗位") == [("符秋菊", "2025-01-01")]
    assert rows(f"region={HUANGJIAQIAO}") == [("符秋菊", "2025-01-01")]
    assert rows(f"region={HEITANG}&status=ongoing") == [("向金花", "2024-03-01")]
    # A region outside the user's scope narrows within it, never beyond: nothing.
    assert rows("region=433123109201") == []
    last = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).order_by("pk").last()
    assert last is not None
    assert last.changes["filters"] == {"region": "433123109201"}


def test_output_scope_matrix(users: dict[str, Any], records: dict[str, Any]) -> None:
    def rows(user: Any) -> list[tuple[str, str]]:
        return names(table(body(export(user, "employment", "csv")), "csv"))

    url = reverse("exports:start", args=["employment"])
    for response in (client_for(None).get(url), client_for(None).post(url, {"format": "csv"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    # wrong role: an enterprise user has no registry capability
    enterprise = client_for(users["enterprise"])
    assert enterprise.get(url).status_code == 403
    denied = enterprise.post(url, {"format": "csv"})
    assert denied.status_code == 403
    assert "龙凤英" not in denied.content.decode()
    assert exports_audited() == []
    assert not ExportJob.objects.exists()
    # right role, other region: only their own people
    assert rows(users["other_county_officer"]) == [("龙凤英", "2024-06-01"), ("龙凤英", "2022-03-01")]
    assert rows(users["township_officer"]) == [("向金花", "2024-03-01"), ("向金花", "2023-01-01")]
    assert rows(users["broker"]) == [("向金花", "2024-03-01"), ("向金花", "2023-01-01")]
    # right role, right region
    assert rows(users["county_officer"]) == [
        ("向金花", "2024-03-01"),
        ("向金花", "2023-01-01"),
        ("符秋菊", "2025-01-01"),
    ]
    assert len(rows(users["prefecture_admin"])) == 5


# --- unmasking and audit ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_unmasked_output_needs_the_grant_and_a_reason_and_is_audited(
    unmasker: Any, people: dict[str, Any], records: dict[str, Any], fmt: str
) -> None:
    response = export(unmasker, "employment", fmt, f"region={HEITANG}", unmasked="on", reason="核对务工补贴名单")

    assert response.status_code == 200
    rows = table(body(response), fmt)
    assert [row[1] for row in rows[1:]] == [people["a"].clear_id, people["a"].clear_id]
    [entry] = exports_audited()
    job = ExportJob.objects.get()
    assert entry.actor == unmasker
    assert entry.reason == "核对务工补贴名单"
    assert entry.object_id == str(job.pk)
    assert entry.changes == {
        "kind": "employment",
        "format": fmt,
        "rows": 2,
        "filters": {"region": HEITANG},
        "masked": False,
        "background": False,
    }
    assert (job.kind, job.masked, job.reason) == ("employment", False, "核对务工补贴名单")


def test_unmasked_output_without_the_grant_is_403_and_recorded_nowhere(
    users: dict[str, Any], people: dict[str, Any], records: dict[str, Any]
) -> None:
    response = export(users["county_officer"], "employment", "csv", unmasked="on", reason="想看看")

    assert response.status_code == 403
    assert UNMASK_DENIED in response.content.decode()
    assert people["a"].clear_id not in response.content.decode()
    assert exports_audited() == []
    assert not ExportJob.objects.exists()


def test_unmasked_output_without_a_reason_is_a_form_error(
    unmasker: Any, people: dict[str, Any], records: dict[str, Any]
) -> None:
    response = export(unmasker, "employment", "csv", unmasked="on", reason=" ")

    assert response.status_code == 400
    html = response.content.decode()
    assert services.REASON_REQUIRED in html
    assert people["a"].clear_id not in html
    assert exports_audited() == []
    assert not ExportJob.objects.exists()


def test_unmask_option_is_offered_on_the_output_side_only(unmasker: Any, users: dict[str, Any]) -> None:
    output = client_for(unmasker).get(reverse("exports:start", args=["employment"])).content.decode()
    input_side = client_for(unmasker).get(reverse("exports:start", args=["employment_input"])).content.decode()
    plain = client_for(users["viewer"]).get(reverse("exports:start", args=["employment"])).content.decode()

    assert "导出完整证件号和电话" in output
    assert "导出完整证件号和电话" not in input_side
    assert "姓名和证件号码已脱敏" in input_side
    assert "导出完整证件号和电话" not in plain


# --- input side ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_input_side_content_is_exact_and_always_masked(
    users: dict[str, Any], people: dict[str, Any], records: dict[str, Any], fmt: str
) -> None:
    response = export(users["county_officer"], "employment_input", fmt)

    assert response.status_code == 200
    data = body(response)
    a, c, other = people["a"], people["c"], people["other"]
    assert table(data, fmt) == [
        HEADER,
        [
            "符**",
            c.id_masked,
            LUXI_PATH,
            "浦市镇扶贫车间",
            LUXI_PATH,
            "县内",
            "农、林、牧、渔业",
            "2025-01-01",
            "",
            "",
            "2100",
            "公益性岗位",
            "否",
            "否",
            "居民医疗保险",
            "经办录入",
        ],
        [
            "龙**",
            other.id_masked,
            FENGHUANG_PATH,
            "泸溪县测试农业合作社",
            LUXI_PATH,
            "省内县外",
            "农、林、牧、渔业",
            "2024-06-01",
            "",
            "",
            "2800",
            "外出务工",
            "否",
            "",
            "",
            "企业报送",
        ],
        [
            "向**",
            a.id_masked,
            LUXI_PATH,
            "泸溪白沙制衣有限公司",
            LUXI_PATH,
            "县内",
            "制造业",
            "2023-01-01",
            "2023-10-31",
            "季节性务工结束",
            "",
            "帮扶车间",
            "",
            "",
            "",
            "经办录入",
        ],
    ]
    for p in people.values():
        assert p.clear_id.encode() not in data
        assert p.name.encode() not in data
    assert "黑塘".encode() not in data  # no home village on the input side, only the county
    assert "深圳宝安电子厂".encode() not in data  # 向金花 works in 宝安, not here
    if fmt == "xlsx":
        assert list(read_xlsx(data)) == ["在本地务工的外地人员"]
    [entry] = exports_audited()
    assert entry.changes["kind"] == "employment_input"
    assert entry.changes["masked"] is True


def test_input_side_refuses_an_unmasked_export_even_with_the_grant(
    unmasker: Any, people: dict[str, Any], records: dict[str, Any]
) -> None:
    response = export(unmasker, "employment_input", "csv", unmasked="on", reason="核对")

    assert response.status_code == 400
    html = response.content.decode()
    assert services.UNMASK_MASKED_ONLY in html
    assert people["other"].clear_id not in html
    assert exports_audited() == []
    assert not ExportJob.objects.exists()


def test_input_side_columns_never_hold_a_clear_id(
    users: dict[str, Any], people: dict[str, Any], records: dict[str, Any]
) -> None:
    source = list_source(user=users["county_officer"], kind="employment_input", filters={})
    rows = list(source.rows(ExportContext(masked=False)))  # even if asked unmasked (the services refuse it)

    assert [row[1] for row in rows] == [people["c"].id_masked, people["other"].id_masked, people["a"].id_masked]
    assert "龙凤英" not in str(rows)


def test_input_scope_matrix(users: dict[str, Any], records: dict[str, Any]) -> None:
    def rows(user: Any) -> list[tuple[str, str]]:
        return names(table(body(export(user, "employment_input", "csv")), "csv"))

    url = reverse("exports:start", args=["employment_input"])
    for response in (client_for(None).get(url), client_for(None).post(url, {"format": "csv"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    # wrong role: a broker has no enterprise capability
    broker = client_for(users["broker"])
    assert broker.get(url).status_code == 403
    assert broker.post(url, {"format": "csv"}).status_code == 403
    assert exports_audited() == []
    # right role, other region: nobody works in 凤凰县 (its own 龙凤英 works elsewhere)
    assert rows(users["other_county_officer"]) == []
    # the township sees the record at the enterprise registered in 武溪镇
    assert rows(users["township_officer"]) == [("向**", "2023-01-01")]
    # an enterprise user sees the people who worked at its own enterprise, and nothing of the output side
    assert rows(users["enterprise"]) == [("龙**", "2022-03-01")]
    assert export(users["enterprise"], "employment", "csv").status_code == 403
    # right role, right region
    assert rows(users["county_officer"]) == [("符**", "2025-01-01"), ("龙**", "2024-06-01"), ("向**", "2023-01-01")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_input_side_follows_the_list_page_filters(users: dict[str, Any], records: dict[str, Any], fmt: str) -> None:
    officer = users["county_officer"]

    def rows(query: str) -> list[tuple[str, str]]:
        return names(table(body(export(officer, "employment_input", fmt, query)), fmt))

    assert rows("status=ended") == [("向**", "2023-01-01")]
    assert rows("status=ongoing&work_area=02") == [("龙**", "2024-06-01")]
    assert rows("channel=公益性岗位") == [("符**", "2025-01-01")]
    # the region filter of the input side is the work region
    assert rows(f"region={LUXI}&status=ongoing") == [("符**", "2025-01-01"), ("龙**", "2024-06-01")]
    assert rows(f"region={BAOAN}") == []


# --- background jobs carry the filters -------------------------------------------------------------------------


@pytest.fixture
def small_limits(settings: Any) -> Any:
    settings.LABORCOOP_EXPORT_XLSX_DIRECT_MAX_ROWS = 0
    settings.LABORCOOP_EXPORT_DIRECT_MAX_ROWS = 0
    settings.LABORCOOP_EXPORT_CHUNK_SIZE = 1
    return settings


@pytest.mark.parametrize(
    ("kind", "query", "expected"),
    [
        ("employment", "status=ongoing&channel=劳务协作输出", [("向金花", "2024-03-01")]),
        ("employment_input", "status=ongoing", [("符**", "2025-01-01"), ("龙**", "2024-06-01")]),
    ],
)
def test_background_job_carries_the_filters(
    users: dict[str, Any],
    records: dict[str, Any],
    small_limits: Any,
    run_on_commit: Any,
    kind: str,
    query: str,
    expected: list[tuple[str, str]],
) -> None:
    officer = users["county_officer"]
    client = client_for(officer)

    with run_on_commit():
        response = client.post(reverse("exports:start", args=[kind]) + f"?{query}", {"format": "csv"})

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job_detail", args=[job.pk])
    assert job.is_direct is False
    assert job.status == ExportStatus.SUCCEEDED
    assert job.filters == dict(pair.split("=") for pair in query.split("&"))
    assert (job.rows_total, job.rows_written, job.progress) == (len(expected), len(expected), 100)
    data = body(client.get(reverse("exports:job_download", args=[job.pk])))
    assert names(table(data, "csv")) == expected
    detail = client.get(reverse("exports:job_detail", args=[job.pk])).content.decode()
    assert "在岗" in detail


# --- pages -------------------------------------------------------------------------------------------------------


def test_start_page_describes_the_filters_and_links_back(users: dict[str, Any]) -> None:
    response = client_for(users["county_officer"]).get(
        reverse("exports:start", args=["employment"]), {"region": HEITANG, "status": "ongoing", "channel": "帮扶车间"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "导出就业记录" in html
    assert "黑塘村" in html
    assert "在岗" in html
    assert "帮扶车间" in html
    assert reverse("employment:record_list") + "?region=" in html


def test_list_pages_link_to_their_export(users: dict[str, Any]) -> None:
    client = client_for(users["county_officer"])
    pages = {"employment:record_list": "employment", "employment:input_list": "employment_input"}
    for page, kind in pages.items():
        html = client.get(reverse(page), {"status": "ended"}).content.decode()
        assert reverse("exports:start", args=[kind]) + "?status=ended" in html, page


# --- queries -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "fmt"), [("employment", "xlsx"), ("employment_input", "csv")])
def test_query_count_is_constant(
    users: dict[str, Any], records: dict[str, Any], django_assert_max_num_queries: Any, kind: str, fmt: str
) -> None:
    client = client_for(users["county_officer"])
    url = reverse("exports:start", args=[kind])
    with CaptureQueriesContext(connection) as few:
        before = table(body(client.post(url, {"format": fmt})), fmt)
    for i in range(30):
        village = HEITANG if i % 2 else "433122108202"
        laborer = person(village, f"田{i}", f"1391234{i:04d}")
        EmploymentRecordFactory(laborer=laborer, work_region_id=(LUXI, BAOAN, "433123000000")[i % 3])

    with django_assert_max_num_queries(len(few.captured_queries)):
        after = table(body(client.post(url, {"format": fmt})), fmt)

    assert len(before) == 1 + 3
    # the output side gets all 30 new records; the input side the ten working in 泸溪县
    assert len(after) == 1 + 3 + (30 if kind == "employment" else 10)
