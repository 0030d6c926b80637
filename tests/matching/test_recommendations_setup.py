"""A small market for the recommendation tests (plain helpers; tests.matching.engine_support.py is the engine's).

Laborers: three in 泸溪县 (two in 黄家桥村, one in 黑塘村) and two in 凤凰县 (棉寨村), all able, unemployed and
willing to work anywhere. Jobs: one of an enterprise in 泸溪县 (武溪镇), one of the enterprise user's own
enterprise in 济南 (历下区), and one in 凤凰县.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from laborcoop.accounts.tokens import api_token_issue
from laborcoop.employers.models import JobPosting
from laborcoop.registry.models import Laborer
from tests.factories import EnterpriseFactory, HouseholdFactory, JobPostingFactory, LaborerFactory, fresh_id_number

LUXI_VILLAGES = ["433122108201", "433122108201", "433122107201"]
FENGHUANG_VILLAGES = ["433123109201", "433123109201"]


@dataclass
class Market:
    luxi: list[Laborer]
    fenghuang: list[Laborer]
    luxi_job: JobPosting
    jinan_job: JobPosting
    fenghuang_job: JobPosting

    @property
    def everyone(self) -> list[Laborer]:
        return self.luxi + self.fenghuang


def make_laborer(village: str, *, name: str, phone: str = "13812345678", **extra: Any) -> Laborer:
    household = HouseholdFactory(region_id=village)
    return LaborerFactory(
        household=household,
        name=name,
        id_number=fresh_id_number(county=village[:6], birth=date(1988, 3, 9)),
        phone=phone,
        intended_occupations=["普工"],
        expected_wage=4500,
        **extra,
    )


def build_market(users: dict[str, Any]) -> Market:
    luxi = [
        make_laborer(village, name=name, phone=f"1381234{i:04d}")
        for i, (village, name) in enumerate(zip(LUXI_VILLAGES, ["张三丰", "李四光", "王五福"], strict=True))
    ]
    fenghuang = [
        make_laborer(village, name=name, phone=f"1391234{i:04d}")
        for i, (village, name) in enumerate(zip(FENGHUANG_VILLAGES, ["赵六顺", "钱七宝"], strict=True))
    ]
    luxi_enterprise = EnterpriseFactory(name="泸溪白沙制衣有限公司", region_id="433122107000")
    fenghuang_enterprise = EnterpriseFactory(name="凤凰沱江食品有限公司", region_id="433123000000")
    return Market(
        luxi=luxi,
        fenghuang=fenghuang,
        luxi_job=JobPostingFactory(enterprise=luxi_enterprise, title="缝纫普工", occupation="普工"),
        jinan_job=JobPostingFactory(
            enterprise=users["enterprise"].enterprise,
            title="电子厂操作工",
            occupation="操作工",
            provides_accommodation=True,
        ),
        fenghuang_job=JobPostingFactory(enterprise=fenghuang_enterprise, title="食品包装工", occupation="包装工"),
    )


def page_client(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_client(user: Any | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user).key}")
    return client
