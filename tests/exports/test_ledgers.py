"""The standard ledgers: title rows, one block per village / township / enterprise, subtotals and totals."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from laborcoop.core.models import AuditEntry
from tests.exports.conftest import HEITANG, HUANGJIAQIAO, body, client_for, person, read_xlsx

pytestmark = pytest.mark.django_db


def ledger(user: Any, kind: str, region: str = "", **post: Any) -> dict[str, list[list[Any]]]:
    url = reverse("exports:start", args=[kind]) + (f"?region={region}" if region else "")
    response = client_for(user).post(url, {"format": "xlsx", **post})
    assert response.status_code == 200, response.content.decode()[:500]
    return read_xlsx(body(response))


def blocks(rows: list[list[Any]]) -> list[tuple[str, list[list[Any]], list[Any]]]:
    """(group heading, data rows, subtotal row) for each block below the 4 top rows; the total row last."""
    found: list[tuple[str, list[list[Any]], list[Any]]] = []
    heading, data = "", []
    for row in rows[4:]:
        if row[0] == "小计":
            found.append((heading, data, row))
            heading, data = "", []
        elif row[0] == "合计":
            continue
        elif heading == "":
            heading = row[0]
        else:
            data.append(row)
    return found


def test_labor_ledger_groups_by_village_with_counts(users: dict[str, Any], people: dict[str, Any]) -> None:
    person("433122108202", "田大山", "13712340011")  # 浦溪村

    [(name, rows)] = ledger(users["county_officer"], "ledger_labor").items()

    assert name == "劳动力资源登记台账"
    assert rows[0][0] == "劳动力资源登记台账"
    assert rows[1][0] == "地区：湖南省/湘西土家族苗族自治州/泸溪县"
    assert rows[2][0].startswith(f"制表日期：{date.today().isoformat()}")
    assert rows[3][:4] == ["序号", "姓名", "性别", "证件号码"]
    assert rows[3][-1] == "培训需求"
    found = blocks(rows)
    assert [heading for heading, _, _ in found] == [
        "所在村：湖南省/湘西土家族苗族自治州/泸溪县/武溪镇/黑塘村",
        "所在村：湖南省/湘西土家族苗族自治州/泸溪县/浦市镇/黄家桥村",
        "所在村：湖南省/湘西土家族苗族自治州/泸溪县/浦市镇/浦溪村",
    ]
    # 符老汉 has lost his labor ability: not in the labor-resource ledger
    assert [[r[1] for r in data] for _, data, _ in found] == [["向金花", "向银生"], ["符秋菊"], ["田大山"]]
    assert [[r[0] for r in data] for _, data, _ in found] == [[1, 2], [1], [1]]
    assert [sub[:3] for _, _, sub in found] == [
        ["小计", "2 人", "其中已就业 1 人"],
        ["小计", "1 人", "其中已就业 1 人"],
        ["小计", "1 人", "其中已就业 0 人"],
    ]
    assert rows[-1][:3] == ["合计", "4 人", "其中已就业 2 人"]
    a = found[0][1][0]
    assert a[3] == people["a"].id_masked
    assert a[11] == "137****0001"
    assert "龙凤英" not in str(rows)
    assert people["a"].clear_id not in str(rows)
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT)
    assert entry.changes["kind"] == "ledger_labor"
    assert entry.changes["rows"] == 4


def test_labor_ledger_for_a_sub_region(users: dict[str, Any], people: dict[str, Any]) -> None:
    [rows] = ledger(users["county_officer"], "ledger_labor", region=HUANGJIAQIAO).values()

    assert rows[1][0] == "地区：湖南省/湘西土家族苗族自治州/泸溪县/浦市镇/黄家桥村"
    assert [b[0] for b in blocks(rows)] == ["所在村：湖南省/湘西土家族苗族自治州/泸溪县/浦市镇/黄家桥村"]
    assert rows[-1][:2] == ["合计", "1 人"]


def test_sub_region_outside_scope_gives_no_rows(users: dict[str, Any], people: dict[str, Any]) -> None:
    [rows] = ledger(users["county_officer"], "ledger_labor", region="433123109201").values()

    assert blocks(rows) == []
    assert rows[-1][:2] == ["合计", "0 人"]
    assert "龙凤英" not in str(rows)


def test_transfer_ledger_lists_transferred_workers_by_township(users: dict[str, Any], people: dict[str, Any]) -> None:
    person(HEITANG, "向在家", "13712340021", employment_status="employed", work_area="01")  # in county, no employer

    [rows] = ledger(users["county_officer"], "ledger_transfer").values()

    assert rows[0][0] == "转移就业人员台账"
    assert rows[3] == ["序号", "姓名", "证件号码", "所在村", "务工地域", "务工单位", "联系电话"]
    found = blocks(rows)
    assert [b[0] for b in found] == [
        "乡镇：湖南省/湘西土家族苗族自治州/泸溪县/武溪镇",
        "乡镇：湖南省/湘西土家族苗族自治州/泸溪县/浦市镇",
    ]
    assert found[0][1] == [[1, "向金花", people["a"].id_masked, "黑塘村", "省外", None, "137****0001"]]
    assert found[1][1] == [[1, "符秋菊", people["c"].id_masked, "黄家桥村", None, "浦市镇扶贫车间", "137****0003"]]
    assert [b[2][:3] for b in found] == [["小计", "1 人", "其中省外 1 人"], ["小计", "1 人", "其中省外 0 人"]]
    assert rows[-1][:3] == ["合计", "2 人", "其中省外 1 人"]


def test_unmasked_transfer_ledger(unmasker: Any, people: dict[str, Any]) -> None:
    [rows] = ledger(unmasker, "ledger_transfer", unmasked="on", reason="报送劳务输出统计").values()

    assert people["a"].clear_id in str(rows)
    assert "13712340001" in str(rows)
    assert "含完整证件号码和电话" in rows[2][0]
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT)
    assert entry.reason == "报送劳务输出统计"


def test_enterprise_ledger_lists_open_jobs_with_subtotals(users: dict[str, Any], firms: dict[str, Any]) -> None:
    [(name, rows)] = ledger(users["county_officer"], "ledger_enterprise").items()

    assert name == "企业用工台账"
    assert rows[3] == ["序号", "岗位名称", "工种", "招聘人数", "月薪范围（元）", "工作地点", "有效期至"]
    [(heading, jobs, subtotal)] = blocks(rows)
    assert heading.startswith("泸溪白沙制衣有限公司（")
    assert "所在地区：湖南省/湘西土家族苗族自治州/泸溪县/武溪镇" in heading
    assert "就业帮扶车间：是" in heading
    assert "就业帮扶基地：否" in heading
    # closed and expired postings are left out; openings and wage ranges listed
    assert [(j[1], j[3], j[4], j[5]) for j in jobs] == [
        ("缝纫工", 20, "3500-5000", "广东省/深圳市/宝安区"),
        ("包装工", 5, "3000-4000", "湖南省/湘西土家族苗族自治州/泸溪县/武溪镇"),
    ]
    assert subtotal[:4] == ["小计", "2 个岗位", None, 25]
    assert rows[-1][:4] == ["合计", "1 家企业，2 个岗位", None, 25]
    assert "凤凰沱江食品有限公司" not in str(rows)


def test_enterprise_without_open_jobs_still_has_its_block(users: dict[str, Any], firms: dict[str, Any]) -> None:
    [rows] = ledger(users["other_county_officer"], "ledger_enterprise").values()

    [(heading, jobs, subtotal)] = blocks(rows)
    assert heading.startswith("凤凰沱江食品有限公司")
    assert [j[1] for j in jobs] == ["面点师"]
    assert subtotal[:4] == ["小计", "1 个岗位", None, 10]

    firms["cook"].status = "closed"
    firms["cook"].save()
    [rows] = ledger(users["other_county_officer"], "ledger_enterprise").values()
    [(_, jobs, subtotal)] = blocks(rows)
    assert jobs == [[None, "暂无招聘中岗位", None, None, None, None, None]]
    assert subtotal[:4] == ["小计", "0 个岗位", None, 0]


def test_enterprise_user_gets_only_the_enterprise_ledger(users: dict[str, Any], people: dict[str, Any]) -> None:
    client = client_for(users["enterprise"])
    assert client.post(reverse("exports:start", args=["ledger_labor"]), {"format": "xlsx"}).status_code == 403
    assert client.post(reverse("exports:start", args=["ledger_transfer"]), {"format": "xlsx"}).status_code == 403
    [rows] = ledger(users["enterprise"], "ledger_enterprise").values()
    assert [b[0].split("（")[0] for b in blocks(rows)] == ["济南测试制造有限公司"]


def test_ledger_sheets_split_with_title_rows(users: dict[str, Any], people: dict[str, Any], settings: Any) -> None:
    settings.LABORCOOP_EXPORT_XLSX_SHEET_MAX_ROWS = 4

    book = ledger(users["county_officer"], "ledger_labor")

    assert list(book) == ["劳动力资源登记台账", "劳动力资源登记台账（2）"]
    first, second = book.values()
    assert first[:4] == second[:4]
    assert len(first) == 4 + 4
    assert second[-1][:2] == ["合计", "3 人"]
