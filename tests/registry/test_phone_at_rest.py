"""Mobile numbers of households and laborers at rest: ciphertext + keyed hash + masked form + tail, never the
clear number in a column; lookups by full number and by tail still work; the migration encrypts old rows."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from laborcoop.core.crypto import decrypt
from laborcoop.registry import services
from laborcoop.registry.identity import phone_hash
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.selectors import LaborerFilters, laborer_list
from tests.factories import HouseholdFactory, LaborerFactory, fresh_id_number

PHONE = "13912345678"


def _raw_row(model: Any, pk: int) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table} WHERE id = %s", [pk])
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


@pytest.mark.django_db
def test_register_stores_the_phone_encrypted_hashed_and_masked(users: dict[str, Any]) -> None:
    household = services.household_create(
        acting_user=users["county_officer"],
        data={
            "household_no": "433122107201000555",
            "region_code": "433122107201",
            "household_type": "一般农户",
            "phone": "138 1234 5678",
        },
    )
    head = services.laborer_register(
        acting_user=users["county_officer"],
        household=household,
        data={
            "id_number": fresh_id_number(),
            "name": "向金花",
            "relation": "户主",
            "education": "初中",
            "health": ["健康"],
            "labor_skill": "普通劳动力",
            "employment_status": "unemployed",
            "phone": PHONE,
        },
        confirm_warnings=True,
    )

    for model, pk, number in ((Household, household.pk, "13812345678"), (Laborer, head.pk, PHONE)):
        row = _raw_row(model, pk)
        assert "phone" not in row
        assert not any(number in str(value) for value in row.values())
        assert decrypt(row["phone_enc"]) == number
        assert row["phone_hash"] == phone_hash(number)
        assert row["phone_masked"] == number[:3] + "****" + number[-4:]
        assert row["phone_last4"] == number[-4:]
    assert Laborer.objects.get(pk=head.pk).phone == PHONE  # the property decrypts


@pytest.mark.django_db
def test_lookup_by_full_number_and_by_tail(users: dict[str, Any]) -> None:
    household = HouseholdFactory(region_id="433122107201")
    wanted = LaborerFactory(household=household, phone=PHONE)
    LaborerFactory(household=household, phone="13712340000", relation="配偶")

    by_number = list(laborer_list(user=users["county_officer"], filters=LaborerFilters(q="139 1234 5678")))
    by_tail = list(laborer_list(user=users["county_officer"], filters=LaborerFilters(q="5678")))

    assert by_number == [wanted]
    assert by_tail == [wanted]


@pytest.mark.django_db
def test_setting_the_phone_keeps_the_columns_in_step(regions: dict[str, Any]) -> None:
    laborer = LaborerFactory(phone=PHONE)
    laborer.phone = ""
    laborer.save()
    laborer.refresh_from_db()
    assert (laborer.phone_enc, laborer.phone_hash, laborer.phone_masked, laborer.phone_last4) == ("", "", "", "")
    assert laborer.phone == ""


def _migrate(target: list[tuple[str, str]]) -> Any:
    """Migrate to `target` with a fresh executor (one that knows what is applied now); its project apps."""
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_migration_encrypts_existing_phones_and_reverses(regions: dict[str, Any]) -> None:
    columns, encrypted = [("registry", "0006_phone_columns")], [("registry", "0008_drop_clear_phone")]
    try:
        _check_migrations(columns, encrypted)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def _check_migrations(columns: list[tuple[str, str]], encrypted: list[tuple[str, str]]) -> None:
    old = _migrate(columns)
    OldHousehold, OldLaborer = old.get_model("registry", "Household"), old.get_model("registry", "Laborer")
    household = OldHousehold.objects.create(
        household_no="433122107201000777", region_id="433122107201", household_type="一般农户", phone=PHONE
    )
    common = {"household": household, "region_id": "433122107201", "sex": "2", "labor_skill": "普通劳动力"}
    laborer = OldLaborer.objects.create(
        **common,
        name="向金花",
        id_number_enc="x",
        id_number_hash="h1",
        id_masked="4331**********0000",
        id_last4="0000",
        birth_date="1990-01-01",
        relation="户主",
        phone="13712340001",
        phone_last4="0001",
    )
    silent = OldLaborer.objects.create(
        **common,
        name="向小花",
        id_number_enc="y",
        id_number_hash="h2",
        id_masked="4331**********0001",
        id_last4="0001",
        birth_date="2000-01-01",
        relation="之女",
    )

    new = _migrate(encrypted)
    hh = new.get_model("registry", "Household").objects.get(pk=household.pk)
    lab = new.get_model("registry", "Laborer").objects.get(pk=laborer.pk)
    none = new.get_model("registry", "Laborer").objects.get(pk=silent.pk)
    assert decrypt(hh.phone_enc) == PHONE
    assert (hh.phone_hash, hh.phone_masked) == (phone_hash(PHONE), "139****5678")
    assert decrypt(lab.phone_enc) == "13712340001"
    assert (lab.phone_hash, lab.phone_last4) == (phone_hash("13712340001"), "0001")
    assert (none.phone_enc, none.phone_hash, none.phone_masked) == ("", "", "")

    old = _migrate(columns)  # back over the drop: the clear column returns and is filled again
    restored = old.get_model("registry", "Laborer").objects.get(pk=laborer.pk)
    assert (restored.phone, restored.phone_enc, restored.phone_hash) == ("13712340001", "", "")
    assert old.get_model("registry", "Household").objects.get(pk=household.pk).phone == PHONE
