"""The PERSONS import's short paths give exactly what the plain paths give.

- `parse_member_memoized` (member cells converted once per distinct combination) == `parse_member`;
- `cross_check_id`'s short path for a birth-date cell equal to the ID's date == the parse_date path;
- `bulk.insert_rows` (rows as dicts) stores exactly what `bulk.insert_objects` (model instances) stores;
- `existing_laborers` (named tuples, JSON decoded once per distinct text) == the model instances' values.
"""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from laborcoop.core.models import AuditEntry
from laborcoop.intake import normalize
from laborcoop.intake.columns import PERSON_COLUMNS, ImportKind, map_headers
from laborcoop.intake.models import ImportJob
from laborcoop.intake.services import pipeline
from laborcoop.intake.services.bulk import insert_objects, insert_rows
from laborcoop.intake.services.persons import PersonsImporter, prefetch
from laborcoop.intake.services.persons.parse import Parsed
from laborcoop.intake.services.persons.prefetch import STORED_FIELDS
from laborcoop.registry import choices as c
from laborcoop.registry.models import Laborer
from tests.factories import HouseholdFactory, LaborerFactory
from tests.intake.helpers import family, run_file, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = [column.label for column in PERSON_COLUMNS]
MEMBER_KEYS = [
    "person_no",
    "ethnicity",
    "disability_category",
    "employer_name",
    "relation",
    "education",
    "student_status",
    "labor_skill",
    "health",
    "political_status",
    "marital_status",
    "employment_status",
    "phone",
    "intended_occupations",
    "training_needs",
    "work_region_willingness",
    "expected_wage",
]


def _labels(*choice_lists: Any) -> list[str]:
    return [str(text) for choices in choice_lists for pair in choices.choices for text in pair]


# Values of the code lists (codes and labels), variants, junk, blanks and over-long text.
member_cell = st.one_of(
    st.sampled_from(
        [
            "",
            "  ",
            "子",
            "妻子",
            "慢性病",
            "残疾,长期慢性病",
            "残疾、健康",
            "健康，大病",
            "3000",
            "3,000元",
            "50",
            "abc",
            "汉族",
            "土家族",
            "13912345678",
            "139 1234 5678",
            "1391234567",
            "省内,省外",
            "月球",
            "Ｘ" * 25,
            "某某公司" * 30,
            '="01"',
            "1.0",
            *_labels(c.Relation, c.Education, c.StudentStatus, c.LaborSkill, c.Health, c.PoliticalStatus),
            *_labels(c.MaritalStatus, c.EmploymentStatus),
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
)


def _importer(user: Any, headers: list[str] = HEADERS) -> PersonsImporter:
    job = ImportJob(kind=ImportKind.PERSONS, original_name="人员.xlsx", uploaded_by=user)
    mapping = map_headers(headers, ImportKind.PERSONS)
    return PersonsImporter(job=job, user=user, mapping=mapping, headers=headers)


def _cells(importer: PersonsImporter, values: dict[str, str], width: int) -> list[str]:
    cells = [""] * width
    for key, value in values.items():
        index = importer.parser.index.get(key)
        if index is not None:
            cells[index] = value
    return cells


def _member(importer: PersonsImporter, cells: list[str], *, memoized: bool) -> tuple[Any, ...]:
    p = Parsed(row=7, cells=cells)
    (importer.parser.parse_member_memoized if memoized else importer.parser.parse_member)(p)
    return p.laborer, p.issues, p.rejected, p.warnings.warnings


@pytest.mark.parametrize("headers", [HEADERS, HEADERS[:13] + HEADERS[20:]], ids=["all-columns", "some-columns"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries({key: member_cell for key in MEMBER_KEYS}), min_size=1, max_size=6))
def test_memoized_member_parse_equals_cell_by_cell(
    users: dict[str, Any], headers: list[str], rows: list[dict[str, str]]
) -> None:
    importer = _importer(users["county_officer"], headers)
    plain = _importer(users["county_officer"], headers)
    for values in [*rows, *rows]:  # the second round hits the memo
        cells = _cells(importer, values, len(headers))
        assert _member(importer, cells, memoized=True) == _member(plain, cells, memoized=False)


@pytest.mark.parametrize("cell", ["1985-03-15", "1985/3/15", "19850315", "1985-03-16", "", " 1985-03-15 ", "x"])
def test_birth_date_short_path_equals_parse_date(users: dict[str, Any], cell: str) -> None:
    birth = date(1985, 3, 15)
    importer = _importer(users["county_officer"])
    p = Parsed(row=4, cells=_cells(importer, {"birth_date": cell}, len(HEADERS)))

    importer.parser.cross_check_id(p, "1", birth)

    differs = bool(cell.strip()) and normalize.parse_date(cell) != birth  # the rule without the short path
    assert [issue.key for issue in p.issues] == (["birth_date"] if differs else [])
    assert list(p.warnings.warnings) == (["birth_date"] if differs else [])


def _column_values(model: type[Any], pk: int, skip: set[str]) -> dict[str, Any]:
    values = model.objects.filter(pk=pk).values().get()
    return {k: v for k, v in values.items() if k not in skip}


def test_insert_rows_stores_what_insert_objects_stores(regions: dict[str, Any]) -> None:
    household = HouseholdFactory(household_no="433122107201000001", region_id="433122107201")
    common = {
        "household_id": household.pk,
        "region_id": "433122107201",
        "name": "张三",
        "id_type": c.IdType.RESIDENT_ID,
        "id_number_enc": "x",
        "id_masked": "433122********0039",
        "id_last4": "0039",
        "sex": "1",
        "birth_date": date(1985, 3, 15),
        "relation": "户主",
        "labor_skill": "普通劳动力",
        "health": ["健康"],
        "work_region_willingness": ["省内"],
        "expected_wage": 3000,
        "employment_status": c.EmploymentStatus.UNEMPLOYED,
        "warnings": {"sex": ["提示"]},
    }
    obj = Laborer(id_number_hash="a" * 64)
    for name, value in common.items():
        setattr(obj, name, value)
    insert_objects(Laborer, [obj])
    (pk,) = insert_rows(Laborer, [{**common, "id_number_hash": "b" * 64}])

    by_django = Laborer(id_number_hash="c" * 64, **common)
    Laborer.objects.bulk_create([by_django])

    skip = {"id", "id_number_hash", "created_at", "updated_at"}
    assert _column_values(Laborer, pk, skip) == _column_values(Laborer, obj.pk, skip)
    assert _column_values(Laborer, pk, skip) == _column_values(Laborer, by_django.pk, skip)
    stored = Laborer.objects.get(pk=pk)
    assert stored.created_at is not None
    assert stored.updated_at is not None
    assert stored.ethnicity == Laborer().ethnicity  # a field not given takes the model's default

    audit = {"actor_id": None, "action": "create", "object_type": "t", "object_id": "1", "reason": "r"}
    entry = AuditEntry(**audit)
    insert_objects(AuditEntry, [entry])
    (audit_pk,) = insert_rows(AuditEntry, [audit])
    assert _column_values(AuditEntry, audit_pk, {"id", "at"}) == _column_values(AuditEntry, entry.pk, {"id", "at"})
    assert AuditEntry.objects.get(pk=audit_pk).changes == {}


def test_insert_rows_refuses_unknown_fields() -> None:
    with pytest.raises(ValueError, match="no field"):
        insert_rows(AuditEntry, [{"nonsense": 1}])


def test_existing_laborers_records_equal_model_values(regions: dict[str, Any]) -> None:
    household = HouseholdFactory(household_no="433122107201000001", region_id="433122107201")
    stored = [
        LaborerFactory(household=household, relation="户主", health=["残疾", "长期慢性病"], expected_wage=4000),
        LaborerFactory(household=household, relation="配偶", health=["健康"], intended_occupations=["厨师"]),
        LaborerFactory(household=household, relation="之子", health=["健康"]),
    ]
    records = prefetch.existing_laborers([lab.id_number_hash for lab in stored])
    assert set(records) == {lab.id_number_hash for lab in stored}
    for lab in stored:
        lab = Laborer.objects.get(pk=lab.pk)
        record = records[lab.id_number_hash]
        assert {name: getattr(record, name) for name in STORED_FIELDS} == {
            name: getattr(lab, name) for name in STORED_FIELDS
        }


@pytest.mark.django_db(transaction=True)
def test_large_import_refreshes_planner_statistics(
    users: dict[str, Any], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL an import that wrote at least ANALYZE_AFTER_ROWS rows ANALYZEs the tables it wrote."""
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE after an import is PostgreSQL only")
    monkeypatch.setattr(pipeline, "ANALYZE_AFTER_ROWS", 3)
    with CaptureQueriesContext(connection) as queries:
        job = run_file(users["county_officer"], write_xlsx(tmp_path / "a.xlsx", family("433122107201000001")))
    statements = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]
    assert job.rows_created == 3
    assert statements == ['ANALYZE "registry_laborer", "registry_household", "core_auditentry"']
