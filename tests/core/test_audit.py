"""Audit rows keep personal values masked: a laborer update records masked ID and phone, never clear ones."""

import json
from typing import Any

from laborcoop.accounts.models import User
from laborcoop.core.audit import diff
from laborcoop.core.masking import mask_id_number, mask_phone
from laborcoop.core.models import AuditEntry
from laborcoop.registry import services
from laborcoop.registry.models import Laborer
from tests.factories import fresh_id_number

OLD_PHONE = "13812345678"
NEW_PHONE = "13987654321"


def _data(laborer: Laborer, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": laborer.name,
        "id_number": "",
        "relation": laborer.relation,
        "education": laborer.education,
        "student_status": laborer.student_status,
        "health": list(laborer.health),
        "labor_skill": laborer.labor_skill,
        "political_status": laborer.political_status,
        "employment_status": laborer.employment_status,
        "phone": laborer.phone,
        "work_region_willingness": [],
        "intended_occupations": [],
        "expected_wage": None,
        "training_needs": [],
        "unreachable": False,
    }
    data.update(overrides)
    return data


def test_laborer_update_audits_masked_id_and_phone(users: dict[str, User], luxi_laborer: Laborer) -> None:
    officer = users["county_officer"]
    old_id = luxi_laborer.reveal_id_number()
    new_id = fresh_id_number("433122")
    assert luxi_laborer.phone == OLD_PHONE

    services.laborer_update(
        acting_user=officer,
        laborer=luxi_laborer,
        data=_data(luxi_laborer, id_number=new_id, phone=NEW_PHONE),
        expected_version=luxi_laborer.version,
        confirm_warnings=True,
    )

    entry = AuditEntry.objects.get(object_type="registry.laborer", object_id=str(luxi_laborer.pk))
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.actor == officer
    assert entry.region_code == "433122107201"
    assert entry.changes["phone"] == [mask_phone(OLD_PHONE), mask_phone(NEW_PHONE)]
    assert entry.changes["phone"] == ["138****5678", "139****4321"]
    assert entry.changes["id_masked"] == [mask_id_number(old_id), mask_id_number(new_id)]
    stored = json.dumps(entry.changes, ensure_ascii=False) + entry.object_repr + entry.reason
    for secret in (old_id, new_id, OLD_PHONE, NEW_PHONE):
        assert secret not in stored
    for column in ("id_number_enc", "id_number_hash", "id_number"):
        assert column not in entry.changes


def test_laborer_update_without_id_change_keeps_id_out_of_audit(users: dict[str, User], luxi_laborer: Laborer) -> None:
    services.laborer_update(
        acting_user=users["county_officer"],
        laborer=luxi_laborer,
        data=_data(luxi_laborer, expected_wage=5000),
        expected_version=luxi_laborer.version,
        confirm_warnings=True,
    )

    entry = AuditEntry.objects.get(object_type="registry.laborer")
    assert entry.changes == {"expected_wage": [None, 5000]}


def test_diff_masks_personal_fields_named_like_them() -> None:
    changes = diff(
        {"id_number": "433122199001011234", "contact_phone": "13900001111", "name": "甲"},
        {"id_number": "43312219900101123X", "contact_phone": "13900002222", "name": "乙"},
    )

    assert changes == {
        "id_number": ["4331**********1234", "4331**********123X"],
        "contact_phone": ["139****1111", "139****2222"],
        "name": ["甲", "乙"],
    }
