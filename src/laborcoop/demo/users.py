"""The demo logins: one account per role and level, all with the password `demo-2026`.

`demo_logins_ensure()` creates the accounts or brings them back to their demo settings; an account that is
already right is left untouched (no write), so running it again changes nothing. Regions are chosen from
the loaded tree and the seeded data: the township officer works in a real 泸溪县 township, the broker in a
village of that township that has seeded laborers, the enterprise user at a seeded 济南 enterprise with jobs.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import Count, Exists, OuterRef

from laborcoop.accounts.models import User
from laborcoop.accounts.roles import Role
from laborcoop.employers.models import Enterprise, JobPosting
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.scope import in_subtree_q
from laborcoop.registry.models import Laborer

DEMO_PASSWORD = "demo-2026"
DEMO_SALT = "LaborCoopDemoLogins2026"  # 23 alphanumerics: enough salt entropy for Django's must_update
PROVINCE, PREFECTURE, COUNTY = "430000000000", "433100000000", "433122000000"
# 泸溪县 townships to prefer, in order: 浦市镇 (NBS 2023), 白沙镇 (the test fixture); else the first one.
PREFERRED_TOWNSHIPS = ("433122108000", "433122100000")
ENTERPRISE_AREA = "3701"  # 济南

NO_REGION = "行政区划表中缺少 {code}，请先运行 manage.py load_regions。"
NO_TOWNSHIP = "泸溪县（433122）下没有乡镇，请先运行 manage.py load_regions。"
NO_BROKER_VILLAGE = "所选乡镇下没有已生成人员的村，请先运行 manage.py seed。"
NO_ENTERPRISE = "济南（3701）没有已生成且有岗位的企业，请先运行 manage.py seed。"


class DemoSetupError(Exception):
    pass


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    region_code: str
    display_name: str
    can_unmask_id: bool = False
    enterprise_id: int | None = None


@dataclass(frozen=True)
class DemoLoginResult:
    user: User
    created: bool
    changed: bool

    @property
    def region_path(self) -> str:
        return region_path(self.user.home_region_id or "")


def region_path(code: str) -> str:
    """湖南省湘西土家族苗族自治州泸溪县 for 433122000000: the names from the province down."""
    if not code:
        return ""
    level = Region.objects.filter(code=code).values_list("level", flat=True).first() or 0
    cuts = (2, 4, 6, 9, 12)[:level]
    codes = [code[:cut].ljust(12, "0") for cut in cuts]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return "".join(names.get(c, "") for c in dict.fromkeys(codes))


def _require_region(code: str) -> str:
    if not Region.objects.filter(code=code).exists():
        raise DemoSetupError(NO_REGION.format(code=code))
    return code


def _township() -> str:
    for code in PREFERRED_TOWNSHIPS:
        if Region.objects.filter(code=code, valid_to__isnull=True).exists():
            return code
    first = (
        Region.objects.filter(in_subtree_q("433122", "code"), level=RegionLevel.TOWNSHIP, valid_to__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    if first is None:
        raise DemoSetupError(NO_TOWNSHIP)
    return first


def _broker_village(township: str, current: str | None) -> str:
    """Keep the broker's village if it is in the township and has laborers; else the village with most."""
    prefix = township[:9]
    if current and current.startswith(prefix) and Laborer.objects.filter(region_id=current).exists():
        return current
    busiest = (
        Laborer.objects.filter(in_subtree_q(prefix))
        .order_by()
        .values("region")
        .annotate(n=Count("id"))
        .order_by("-n", "region")
        .values_list("region", flat=True)
        .first()
    )
    if busiest is None:
        raise DemoSetupError(NO_BROKER_VILLAGE)
    return str(busiest)


def _enterprise(current: int | None) -> Enterprise:
    """Keep the enterprise user's enterprise if it is still in 济南 with jobs; else the first such one."""
    with_jobs = Enterprise.objects.filter(in_subtree_q(ENTERPRISE_AREA)).filter(
        Exists(JobPosting.objects.filter(enterprise=OuterRef("pk")))
    )
    enterprise = (with_jobs.filter(pk=current).first() if current else None) or with_jobs.order_by("id").first()
    if enterprise is None:
        raise DemoSetupError(NO_ENTERPRISE)
    return enterprise


def demo_logins_plan() -> list[DemoLogin]:
    for code in (PROVINCE, PREFECTURE, COUNTY):
        _require_region(code)
    township = _township()
    existing = {u.username: u for u in User.objects.filter(username__in=["jjr", "qiye"])}
    jjr, qiye = existing.get("jjr"), existing.get("qiye")
    village = _broker_village(township, jjr.home_region_id if jjr else None)
    enterprise = _enterprise(qiye.enterprise_id if qiye else None)
    return [
        DemoLogin("sheng", Role.ADMIN, PROVINCE, "湖南省人社厅管理员"),
        DemoLogin("zhou", Role.ADMIN, PREFECTURE, "湘西州人社局管理员", can_unmask_id=True),
        DemoLogin("xian", Role.OFFICER, COUNTY, "泸溪县人社局经办人"),
        DemoLogin("xiang", Role.OFFICER, township, "乡镇人社服务站经办人"),
        DemoLogin("jjr", Role.BROKER, village, "村劳务经纪人"),
        DemoLogin(
            "qiye", Role.ENTERPRISE, str(enterprise.region_id), f"{enterprise.name}人事专员", False, enterprise.pk
        ),
        DemoLogin("rexian", Role.HOTLINE, PROVINCE, "12333 热线坐席"),
    ]


_FK_NAMES = {"home_region_id": "home_region", "enterprise_id": "enterprise"}
# Work phones of the field staff: a laborer's personal page names whom to call (the village broker, else the
# township's or county's officer).
DEMO_WORK_PHONES = {"xian": "13974361001", "xiang": "13974361002", "jjr": "13974361003"}


def _wanted(login: DemoLogin) -> dict[str, Any]:
    return {
        "home_region_id": login.region_code,
        "roles": [str(login.role)],
        "enterprise_id": login.enterprise_id,
        "can_unmask_id": login.can_unmask_id,
        "first_name": login.display_name,
        "last_name": "",
        "phone": DEMO_WORK_PHONES.get(login.username, ""),
        "is_active": True,
        "is_staff": False,
        "is_superuser": False,
    }


def demo_logins_ensure() -> list[DemoLoginResult]:
    """Create or update the seven demo logins. Writes only what differs from the demo settings.

    The demo password is hashed once with a fixed salt (the password is public anyway), so an account that
    still has it is recognised by comparing strings and a second run costs one PBKDF2 hash in all.
    """
    demo_hash = make_password(DEMO_PASSWORD, salt=DEMO_SALT)
    results: list[DemoLoginResult] = []
    for login in demo_logins_plan():
        wanted = _wanted(login)
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user = User(username=login.username, password=demo_hash, **wanted)
            user.save()
            results.append(DemoLoginResult(user, created=True, changed=True))
            continue
        changed_fields = [name for name, value in wanted.items() if getattr(user, name) != value]
        for name in changed_fields:
            setattr(user, name, wanted[name])
        if user.password != demo_hash:
            # Another hash: reset it to the demo one (also when it verifies, so later runs compare strings).
            user.password = demo_hash
            changed_fields.append("password")
        if changed_fields:
            user.save(update_fields=[_FK_NAMES.get(f, f) for f in changed_fields])
        results.append(DemoLoginResult(user, created=False, changed=bool(changed_fields)))
    return results
