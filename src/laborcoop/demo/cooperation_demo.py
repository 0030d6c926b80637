"""Demo labor-cooperation agreements, so that matching's cooperation factor is real in `make demo`:

- 济南市 (input) – 湘西州 (output), in force, with annual targets, subsidies and contacts;
- 广东省 (input) – 湖南省 (output), in force;
- 深圳市 (input) – 泸溪县 (output), proposed by 深圳市 and waiting for 湘西州's confirmation (`zhou` confirms it).

The agreements are proposed through cooperation.services by the output side's demo admin; the input side's
confirmation (no demo login there) is written as the history the demo stands for. Idempotent.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from laborcoop.accounts.models import User
from laborcoop.cooperation.models import Agreement, AgreementStatus, CooperationField, Side
from laborcoop.cooperation.services import agreement_propose

F = CooperationField
AGREEMENTS: tuple[dict[str, Any], ...] = (
    {
        "output_region_code": "433100000000",
        "input_region_code": "370100000000",
        "title": "济南市—湘西州东西部劳务协作协议",
        "fields": [F.LABOR_EXPORT, F.TRAINING, F.JOBS, F.STATION, F.INDUSTRY],
        "target_transfer": 3000,
        "target_training": 1500,
        "target_jobs": 5000,
        "output_subsidy": "赴济南稳定就业3个月以上的脱贫劳动力，给予一次性交通补贴500元。",
        "input_subsidy": "济南企业吸纳湘西州脱贫劳动力稳定就业6个月以上，每人给予1000元一次性吸纳就业补贴。",
        "output_contact_name": "彭建华",
        "output_contact_phone": "0743-8222333",
        "input_contact_name": "李明",
        "input_contact_phone": "0531-86012333",
        "owner": "zhou",
        "confirm": True,
        "start": (2025, 1, 1),
        "end": (2027, 12, 31),
    },
    {
        "output_region_code": "430000000000",
        "input_region_code": "440000000000",
        "title": "湖南省—广东省劳务协作框架协议",
        "fields": [F.LABOR_EXPORT, F.JOBS, F.RIGHTS],
        "target_transfer": 50000,
        "target_training": 10000,
        "target_jobs": 80000,
        "output_subsidy": "省内对跨省就业脱贫劳动力给予交通补助。",
        "input_subsidy": "广东省为湖南籍务工人员提供职业技能培训补贴和维权服务。",
        "output_contact_name": "周立",
        "output_contact_phone": "0731-84900000",
        "input_contact_name": "陈伟",
        "input_contact_phone": "020-83100000",
        "owner": "sheng",
        "confirm": True,
        "start": (2024, 7, 1),
        "end": (2027, 6, 30),
    },
    {
        "output_region_code": "433122000000",
        "input_region_code": "440300000000",
        "title": "深圳市—泸溪县劳务协作协议",
        "fields": [F.LABOR_EXPORT, F.STATION],
        "target_transfer": 300,
        "target_training": 100,
        "target_jobs": 600,
        "output_subsidy": "",
        "input_subsidy": "深圳市对新招用泸溪县脱贫劳动力的企业给予岗位补贴。",
        "output_contact_name": "",
        "output_contact_phone": "",
        "input_contact_name": "黄海",
        "input_contact_phone": "0755-88123333",
        "owner": None,
        "confirm": False,
        "start": (2026, 1, 1),
        "end": (2028, 12, 31),
    },
)


@dataclass(frozen=True)
class CooperationDemoReport:
    created: int
    in_force: int
    pending: int


@transaction.atomic
def demo_cooperation_ensure() -> CooperationDemoReport:
    created = 0
    for spec in AGREEMENTS:
        if Agreement.objects.filter(title=spec["title"]).exists():
            continue
        data = {k: v for k, v in spec.items() if k not in {"owner", "confirm", "start", "end"}}
        data["start_date"], data["end_date"] = date(*spec["start"]), date(*spec["end"])
        owner = User.objects.filter(username=spec["owner"]).first() if spec["owner"] else None
        if owner is not None:
            agreement = agreement_propose(acting_user=owner, data=data)
        else:
            # proposed by the input side, which has no demo login
            agreement = Agreement.objects.create(
                output_region_id=data.pop("output_region_code"),
                input_region_id=data.pop("input_region_code"),
                proposed_side=Side.INPUT,
                **{k: ([str(f) for f in v] if k == "fields" else v) for k, v in data.items()},
            )
        if spec["confirm"]:
            agreement.status = AgreementStatus.ACTIVE
            agreement.confirmed_at = timezone.now()
            agreement.save(update_fields=["status", "confirmed_at", "updated_at"])
        created += 1
    return CooperationDemoReport(
        created=created,
        in_force=Agreement.objects.filter(status=AgreementStatus.ACTIVE).count(),
        pending=Agreement.objects.filter(status=AgreementStatus.PENDING).count(),
    )
