"""List exports (人员、家庭、企业、岗位) in csv and xlsx: the user's scope only, code-list labels and region
path names, masked by default, the list page's filters, and a constant number of queries."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from laborcoop.exports.models import ExportJob
from laborcoop.exports.writers import csv_cell
from tests.exports.conftest import HEITANG, body, client_for, person, table

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "xlsx"]
HEITANG_PATH = "湖南省/湘西土家族苗族自治州/泸溪县/武溪镇/黑塘村"


def export(user: Any, kind: str, fmt: str, query: str = "", **post: Any) -> Any:
    url = reverse("exports:start", args=[kind]) + (f"?{query}" if query else "")
    return client_for(user).post(url, {"format": fmt, **post})


def by_name(rows: list[list[str]], column: str = "姓名") -> dict[str, dict[str, str]]:
    header = rows[0]
    return {row[header.index(column)]: dict(zip(header, row, strict=True)) for row in rows[1:]}


@pytest.mark.parametrize("fmt", FORMATS)
def test_laborers_in_scope_masked_with_labels(users: dict[str, Any], people: dict[str, Any], fmt: str) -> None:
    response = export(users["county_officer"], "laborers", fmt)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = body(response)
    rows = by_name(table(data, fmt))
    assert set(rows) == {"向金花", "向银生", "符秋菊", "符老汉"}  # 凤凰县's 龙凤英 is absent
    a = rows["向金花"]
    assert a["证件号码"] == people["a"].id_masked
    assert a["联系电话"] == "137****0001"
    assert a["就业状态"] == "已就业"
    assert a["务工地域"] == "省外"
    assert a["性别"] in {"男", "女"}
    assert a["所在村"] == HEITANG_PATH
    assert a["户编号"] == people["a"].household.household_no
    assert rows["向银生"]["培训需求"] == "焊工、驾驶"
    assert rows["向银生"]["劳动技能"] == "技能劳动力"
    for p in people.values():
        assert p.clear_id.encode() not in data
        assert p.phone.encode() not in data
    assert "龙凤英".encode() not in data


@pytest.mark.parametrize("fmt", FORMATS)
def test_laborers_follow_the_list_page_filters(users: dict[str, Any], people: dict[str, Any], fmt: str) -> None:
    officer = users["county_officer"]

    by_query = by_name(table(body(export(officer, "laborers", fmt, "q=向金")), fmt))
    by_region = by_name(table(body(export(officer, "laborers", fmt, f"region={HEITANG}")), fmt))
    by_status = by_name(table(body(export(officer, "laborers", fmt, "employment_status=employed&page=3")), fmt))
    by_skill = by_name(table(body(export(officer, "laborers", fmt, "labor_skill=技能劳动力")), fmt))

    assert set(by_query) == {"向金花"}
    assert set(by_region) == {"向金花", "向银生"}
    assert set(by_status) == {"向金花", "符秋菊"}
    assert set(by_skill) == {"向银生"}


def test_other_county_and_township_see_only_their_rows(users: dict[str, Any], people: dict[str, Any]) -> None:
    other = by_name(table(body(export(users["other_county_officer"], "laborers", "csv")), "csv"))
    township = by_name(table(body(export(users["township_officer"], "laborers", "csv")), "csv"))

    assert set(other) == {"龙凤英"}
    assert set(township) == {"向金花", "向银生"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_households_in_scope_masked(users: dict[str, Any], people: dict[str, Any], fmt: str) -> None:
    household = people["a"].household
    household.phone = "13812349999"
    household.poverty_causes = ["因病", "缺技术"]
    household.save()

    data = body(export(users["county_officer"], "households", fmt))

    rows = by_name(table(data, fmt), "户编号")
    assert set(rows) == {people["a"].household.household_no, people["c"].household.household_no}
    row = rows[household.household_no]
    assert row["所在村"] == HEITANG_PATH
    assert row["户类型"] == "脱贫户"
    assert row["致贫/返贫风险"] == "因病、缺技术"
    assert row["户联系电话"] == "138****9999"
    assert b"13812349999" not in data
    assert people["other"].household.household_no.encode() not in data


@pytest.mark.parametrize("fmt", FORMATS)
def test_enterprises_in_scope_with_labels(users: dict[str, Any], firms: dict[str, Any], fmt: str) -> None:
    data = body(export(users["county_officer"], "enterprises", fmt))

    rows = by_name(table(data, fmt), "企业名称")
    assert set(rows) == {"泸溪白沙制衣有限公司"}
    row = rows["泸溪白沙制衣有限公司"]
    assert row["所在地区"] == "湖南省/湘西土家族苗族自治州/泸溪县/武溪镇"
    assert row["所属行业"] == "制造业"
    assert row["企业规模"] == "中型"
    assert row["就业帮扶车间"] == "是"
    assert row["就业帮扶基地"] == "否"
    assert row["招聘中岗位"] == "2"
    assert row["联系电话"] == "139****0001"
    assert b"13907430001" not in data


@pytest.mark.parametrize("fmt", FORMATS)
def test_jobs_in_scope_with_filters(users: dict[str, Any], firms: dict[str, Any], fmt: str) -> None:
    officer = users["county_officer"]

    rows = by_name(table(body(export(officer, "jobs", fmt)), fmt), "岗位名称")
    open_rows = by_name(table(body(export(officer, "jobs", fmt, "open_only=on")), fmt), "岗位名称")

    assert set(rows) == {"缝纫工", "包装工", "已招满岗位", "过期岗位"}  # not 凤凰县's 面点师
    assert set(open_rows) == {"缝纫工", "包装工"}
    sew = rows["缝纫工"]
    assert sew["企业名称"] == "泸溪白沙制衣有限公司"
    assert sew["工作地点"] == "广东省/深圳市/宝安区"
    assert sew["状态"] == "招聘中"
    assert sew["月薪下限（元）"] == "3500"
    assert rows["已招满岗位"]["状态"] == "已结束"


def test_enterprise_user_exports_only_own_enterprise(users: dict[str, Any], firms: dict[str, Any]) -> None:
    rows = by_name(table(body(export(users["enterprise"], "jobs", "csv")), "csv"), "企业名称")

    assert set(rows) == set()  # the fixture's enterprise has no jobs; none of 泸溪/凤凰's leak
    assert export(users["enterprise"], "laborers", "csv").status_code == 403


@pytest.mark.parametrize("kind", ["laborers", "households"])
def test_enterprise_user_gets_403_for_registry_and_nothing_is_recorded(
    users: dict[str, Any], people: dict[str, Any], kind: str
) -> None:
    client = client_for(users["enterprise"])
    url = reverse("exports:start", args=[kind])

    assert client.get(url).status_code == 403
    response = client.post(url, {"format": "csv"})

    assert response.status_code == 403
    assert "向金花" not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
    assert not ExportJob.objects.exists()


def test_anonymous_is_sent_to_login(users: dict[str, Any]) -> None:
    job = ExportJob.objects.create(kind="laborers", format="csv", requested_by=users["county_officer"])
    urls = [
        reverse("exports:index"),
        reverse("exports:start", args=["laborers"]),
        reverse("exports:job_detail", args=[job.pk]),
        reverse("exports:job_download", args=[job.pk]),
    ]
    for url in urls:
        for response in (client_for(None).get(url), client_for(None).post(url, {"format": "csv"})):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login")), url


def test_unknown_kind_is_404(users: dict[str, Any]) -> None:
    assert client_for(users["county_officer"]).get(reverse("exports:start", args=["secrets"])).status_code == 404


def test_start_page_shows_filters_and_hides_unmask_without_the_grant(users: dict[str, Any]) -> None:
    response = client_for(users["county_officer"]).get(
        reverse("exports:start", args=["laborers"]), {"region": HEITANG, "employment_status": "employed"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "黑塘村" in html
    assert "已就业" in html
    assert "导出完整证件号和电话" not in html


def test_list_pages_link_to_export(users: dict[str, Any]) -> None:
    client = client_for(users["county_officer"])
    pages = {
        "registry:laborer_list": "laborers",
        "registry:household_list": "households",
        "employers:enterprise_list": "enterprises",
        "employers:job_list": "jobs",
    }
    for page, kind in pages.items():
        html = client.get(reverse(page), {"q": "张"}).content.decode()
        assert reverse("exports:start", args=[kind]) + "?q=" in html, page


def test_csv_cells_cannot_become_formulas() -> None:
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("-1") == "'-1"
    assert csv_cell("向金花") == "向金花"
    assert csv_cell(None) == ""
    assert csv_cell(12) == 12


def _csv_export(client: Any) -> bytes:
    return body(client.post(reverse("exports:start", args=["laborers"]), {"format": "csv"}))


def test_csv_query_count_is_constant(
    users: dict[str, Any], people: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = client_for(users["county_officer"])
    with CaptureQueriesContext(connection) as few:
        _csv_export(client)
    for i in range(30):
        person(HEITANG if i % 2 else "433122108202", f"田{i}", f"1391234{i:04d}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        data = _csv_export(client)

    assert data.count(b"\n") == 1 + 4 + 30
