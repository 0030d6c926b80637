"""Writes to the registry: households and their members (laborers).

Every service validates with registry.validation (errors block, warnings are stored on the row and must be
confirmed by the user in the UI), checks scope through the access layer, saves inside one transaction and
writes an audit row with masked personal values.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from laborcoop.accounts.access import can_unmask, region_code_in_scope, require_cap, require_region_in_scope
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import audit_record, diff, snapshot
from laborcoop.core.errors import ConflictError, PermissionDeniedError
from laborcoop.core.models import AuditEntry
from laborcoop.core.validation.idcard import parse_id_number
from laborcoop.core.validation.issues import Issues
from laborcoop.core.validation.phone import validate_mobile
from laborcoop.regions.models import Region, RegionLevel
from laborcoop.regions.selectors import address_code_status
from laborcoop.registry import choices as c
from laborcoop.registry.identity import id_number_hash, identity_columns
from laborcoop.registry.models import Household, Laborer
from laborcoop.registry.signals import laborer_registered, laborers_moved, summary_locked
from laborcoop.registry.validation.household import NO_HEAD, MemberFacts, check_household_members
from laborcoop.registry.validation.person import check_person

HOUSEHOLD_NO_TAKEN = "该户编号已存在。"
HOUSEHOLD_REGION_NOT_VILLAGE = "家庭所在地必须选择到村（社区）一级。"
REGION_UNKNOWN = "区划代码不存在。"
REGION_OUT_OF_SCOPE = "该地区不在您的管辖范围内。"
ID_ALREADY_REGISTERED = "该证件号码已登记（可能在其他地区），请核实后再登记。"
HEAD_REQUIRED_FIRST = "请先登记户主，再登记其他家庭成员。"
REVEAL_REASON_REQUIRED = "请填写查看完整证件号的原因。"
SUMMARY_FOLLOWS_RECORD = "该人员有在岗的就业记录，此项随就业记录变化；请在“就业记录”中修改或结束该记录。"

HOUSEHOLD_FIELDS = [
    "household_no",
    "region",
    "household_type",
    "poverty_attribute",
    "monitor_category",
    "identified_on",
    "risk_eliminated",
    "poverty_causes",
    "phone",
    "address",
]

LABORER_FIELDS = [
    "region",
    "person_no",
    "name",
    "id_type",
    "id_masked",
    "disability_cert_suffix",
    "sex",
    "birth_date",
    "ethnicity",
    "relation",
    "education",
    "student_status",
    "health",
    "disability_category",
    "labor_skill",
    "political_status",
    "marital_status",
    "phone",
    "qualification",
    "skills",
    "employment_status",
    "employer_name",
    "work_area",
    "work_region_willingness",
    "intended_occupations",
    "intended_regions",
    "expected_wage",
    "training_needs",
    "unreachable",
    "unreachable_since",
]

# Fields of the input mapping copied as they are onto a Laborer (the rest are derived).
_LABORER_PLAIN_FIELDS = [
    "person_no",
    "name",
    "ethnicity",
    "relation",
    "education",
    "student_status",
    "health",
    "disability_category",
    "labor_skill",
    "political_status",
    "marital_status",
    "qualification",
    "skills",
    "employment_status",
    "employer_name",
    "work_area",
    "work_region_willingness",
    "intended_occupations",
    "intended_regions",
    "expected_wage",
    "training_needs",
    "unreachable",
]


class NeedsConfirmation(Exception):
    """The data is valid but has warnings the user has not yet confirmed."""

    def __init__(self, issues: Issues) -> None:
        super().__init__("warnings need confirmation")
        self.issues = issues


def _village(*, acting_user: Any, code: str, issues: Issues) -> Region | None:
    region = Region.objects.filter(code=code).first()
    if region is None:
        issues.error("region", REGION_UNKNOWN)
        return None
    if region.level != RegionLevel.VILLAGE:
        issues.error("region", HOUSEHOLD_REGION_NOT_VILLAGE)
        return None
    if not region_code_in_scope(acting_user, code):
        issues.error("region", REGION_OUT_OF_SCOPE)
        return None
    return region


def _finish(issues: Issues, *, confirm_warnings: bool) -> None:
    issues.raise_if_errors()
    if issues.has_warnings and not confirm_warnings:
        raise NeedsConfirmation(issues)


# --- households -------------------------------------------------------------------------------------------


def _household_issues(*, acting_user: Any, data: Mapping[str, Any], current: Household | None) -> Issues:
    issues = Issues()
    _village(acting_user=acting_user, code=str(data.get("region_code", "")), issues=issues)
    number = str(data.get("household_no", "")).strip()
    taken = Household.objects.filter(household_no=number)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        issues.error("household_no", HOUSEHOLD_NO_TAKEN)
    if data.get("phone"):
        _, phone_issues = validate_mobile(data["phone"], field="phone")
        issues.merge(phone_issues)
    return issues


def _apply_household(household: Household, data: Mapping[str, Any]) -> None:
    household.household_no = str(data["household_no"]).strip()
    household.region_id = data["region_code"]
    household.household_type = data["household_type"]
    household.poverty_attribute = data.get("poverty_attribute", "") or ""
    household.monitor_category = data.get("monitor_category", "") or ""
    household.identified_on = data.get("identified_on")
    household.risk_eliminated = data.get("risk_eliminated")
    household.poverty_causes = list(data.get("poverty_causes") or [])
    household.phone = validate_mobile(data["phone"], field="phone")[0] if data.get("phone") else ""
    household.address = data.get("address", "") or ""


@transaction.atomic
def household_create(*, acting_user: Any, data: Mapping[str, Any], confirm_warnings: bool = False) -> Household:
    require_cap(acting_user, Cap.REGISTRY_EDIT)
    issues = _household_issues(acting_user=acting_user, data=data, current=None)
    _finish(issues, confirm_warnings=confirm_warnings)
    household = Household()
    _apply_household(household, data)
    household.warnings = issues.warnings
    household.full_clean()
    household.save()
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.CREATE,
        instance=household,
        region_code=household.region_id,
        changes=diff({}, snapshot(household, HOUSEHOLD_FIELDS)),
    )
    return household


@transaction.atomic
def household_update(
    *,
    acting_user: Any,
    household: Household,
    data: Mapping[str, Any],
    expected_version: int,
    confirm_warnings: bool = False,
) -> Household:
    """Update a household the caller fetched through access_household(cap=REGISTRY_EDIT)."""
    require_cap(acting_user, Cap.REGISTRY_EDIT)
    locked = Household.objects.select_for_update().get(pk=household.pk)
    if locked.version != expected_version:
        raise ConflictError
    issues = _household_issues(acting_user=acting_user, data=data, current=locked)
    _finish(issues, confirm_warnings=confirm_warnings)
    before = snapshot(locked, HOUSEHOLD_FIELDS)
    _apply_household(locked, data)
    locked.warnings = issues.warnings
    locked.version += 1
    locked.full_clean()
    locked.save()
    if locked.region_id != before["region"]:
        # Members live where their household lives.
        locked.members.update(region_id=locked.region_id, updated_at=timezone.now())
        # Their employment records, notices and follow-up tasks follow the home (employment, tracking).
        laborers_moved.send(sender=Laborer, laborer_ids=[], household_ids=[locked.pk])
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        region_code=locked.region_id,
        changes=diff(before, snapshot(locked, HOUSEHOLD_FIELDS)),
    )
    return locked


# --- laborers ---------------------------------------------------------------------------------------------


def _member_facts(household: Household, *, replacing: Laborer | None, new: MemberFacts) -> list[MemberFacts]:
    facts = [
        MemberFacts(label=m.name, relation=m.relation, sex=m.sex, id_hash=m.id_number_hash)
        for m in household.members.all()
        if replacing is None or m.pk != replacing.pk
    ]
    facts.append(new)
    return facts


def _laborer_issues(
    *, household: Household, data: Mapping[str, Any], current: Laborer | None, today: date
) -> tuple[Issues, Any, str]:
    """Validate a member's data. Returns the issues, the parsed ID and the normalised phone."""
    issues = Issues()
    parsed = parse_id_number(data.get("id_number", ""), address_status=address_code_status, on=today)
    issues.merge(parsed.issues)
    phone = ""
    if data.get("phone"):
        phone, phone_issues = validate_mobile(data["phone"], field="phone")
        issues.merge(phone_issues)
    if not str(data.get("name", "")).strip():
        issues.error("name", "请填写姓名。")
    if parsed.normalized:
        digest = id_number_hash(parsed.normalized)
        clash = Laborer.objects.filter(id_number_hash=digest)
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if clash.exists():
            issues.error("id_number", ID_ALREADY_REGISTERED)
        issues.merge(
            check_person(
                birth_date=parsed.birth_date,
                sex=parsed.sex,
                labor_skill=data.get("labor_skill", ""),
                education=data.get("education", "") or "",
                student_status=data.get("student_status", "") or "",
                health=list(data.get("health") or []),
                employment_status=data.get("employment_status", ""),
                today=today,
            )
        )
        members = _member_facts(
            household,
            replacing=current,
            new=MemberFacts(
                label=str(data.get("name", "")),
                relation=data.get("relation", ""),
                sex=parsed.sex,
                id_hash=digest,
            ),
        )
        if data.get("relation") != c.Relation.HEAD and not any(m.relation == c.Relation.HEAD for m in members):
            issues.error("relation", HEAD_REQUIRED_FIRST if current is None else NO_HEAD)
        else:
            issues.merge(check_household_members(members))
    return issues, parsed, phone


def _apply_laborer(laborer: Laborer, *, household: Household, data: Mapping[str, Any], parsed: Any, phone: str) -> None:
    laborer.household = household
    laborer.region_id = household.region_id
    for name in _LABORER_PLAIN_FIELDS:
        if name in data:
            value = data[name]
            if isinstance(value, str):
                value = value.strip()
            setattr(laborer, name, value if value is not None else _empty_for(name))
    cols = identity_columns(parsed.normalized)
    if laborer.id_number_hash != cols.id_number_hash:
        laborer.id_number_enc = cols.id_number_enc
        laborer.id_number_hash = cols.id_number_hash
        laborer.id_masked = cols.id_masked
        laborer.id_last4 = cols.id_last4
    laborer.id_type = c.IdType.DISABILITY_CERT if parsed.disability_suffix else c.IdType.RESIDENT_ID
    laborer.disability_cert_suffix = parsed.disability_suffix
    laborer.sex = parsed.sex
    laborer.birth_date = parsed.birth_date
    laborer.phone = phone  # fills the encrypted, hashed, masked and tail columns (EncryptedPhone)
    if laborer.unreachable and laborer.unreachable_since is None:
        laborer.unreachable_since = timezone.localdate()
    if not laborer.unreachable:
        laborer.unreachable_since = None


def _empty_for(name: str) -> Any:
    field = Laborer._meta.get_field(name)
    assert isinstance(field, models.Field)
    return None if field.null else field.get_default()


@transaction.atomic
def laborer_register(
    *, acting_user: Any, household: Household, data: Mapping[str, Any], confirm_warnings: bool = False
) -> Laborer:
    """Register a member of a household the caller fetched through access_household(cap=REGISTRY_EDIT)."""
    require_cap(acting_user, Cap.REGISTRY_EDIT)
    require_region_in_scope(acting_user, household.region_id)
    household = Household.objects.select_for_update().get(pk=household.pk)
    issues, parsed, phone = _laborer_issues(household=household, data=data, current=None, today=timezone.localdate())
    _finish(issues, confirm_warnings=confirm_warnings)
    laborer = Laborer()
    _apply_laborer(laborer, household=household, data=data, parsed=parsed, phone=phone)
    laborer.warnings = issues.warnings
    laborer.full_clean()
    laborer.save()
    changes = diff({}, snapshot(laborer, LABORER_FIELDS))
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.CREATE,
        instance=laborer,
        region_code=laborer.region_id,
        changes=changes,
    )
    # A newly registered laborer gets recommended jobs after the commit (matching).
    laborer_registered.send(sender=Laborer, laborer=laborer, acting_user=acting_user)
    return laborer


def _employment_summary_issues(laborer: Laborer, data: Mapping[str, Any], issues: Issues) -> None:
    """While a job is ongoing, the employment summary follows the employment record: editing it by hand here
    would contradict the record (and the tracking built on it)."""
    changed = [
        name
        for name in EMPLOYMENT_SUMMARY_FIELDS
        if name in data and (data[name] or "") != (getattr(laborer, name) or "")
    ]
    if changed and summary_locked(sender=Laborer, laborer_id=laborer.pk):
        for name in changed:
            issues.error(name, SUMMARY_FOLLOWS_RECORD)


@transaction.atomic
def laborer_update(
    *,
    acting_user: Any,
    laborer: Laborer,
    data: Mapping[str, Any],
    expected_version: int,
    confirm_warnings: bool = False,
) -> Laborer:
    """Update a laborer the caller fetched through access_laborer(cap=REGISTRY_EDIT).

    `data` must carry the clear `id_number` (the edit form shows it only to users allowed to unmask;
    for others the view passes the stored number through `laborer_current_id_number`).
    """
    require_cap(acting_user, Cap.REGISTRY_EDIT)
    household = Household.objects.select_for_update().get(pk=laborer.household_id)
    locked = Laborer.objects.select_for_update().get(pk=laborer.pk)
    if locked.version != expected_version:
        raise ConflictError
    if not str(data.get("id_number", "")).strip():
        # Users without the unmask grant edit other fields and leave the ID blank: keep the stored one.
        data = {**data, "id_number": locked.reveal_id_number()}
    issues, parsed, phone = _laborer_issues(household=household, data=data, current=locked, today=timezone.localdate())
    _employment_summary_issues(locked, data, issues)
    _finish(issues, confirm_warnings=confirm_warnings)
    before = snapshot(locked, LABORER_FIELDS)
    _apply_laborer(locked, household=household, data=data, parsed=parsed, phone=phone)
    locked.warnings = issues.warnings
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=locked,
        region_code=locked.region_id,
        changes=diff(before, snapshot(locked, LABORER_FIELDS)),
    )
    return locked


@transaction.atomic
def household_set_head(*, acting_user: Any, household: Household, new_head: Laborer, former_head_relation: str) -> None:
    """Make `new_head` the 户主 and give the former head another relation, in one step (both must hold
    exactly one 户主 afterwards, which two separate edits could not)."""
    require_cap(acting_user, Cap.REGISTRY_EDIT)
    require_region_in_scope(acting_user, household.region_id)
    household = Household.objects.select_for_update().get(pk=household.pk)
    members = list(household.members.select_for_update().order_by("pk"))
    by_pk = {m.pk: m for m in members}
    target = by_pk.get(new_head.pk)
    issues = Issues()
    if target is None:
        issues.error("relation", "该人员不属于本户。")
        issues.raise_if_errors()
    assert target is not None
    if former_head_relation not in c.Relation.values or former_head_relation == c.Relation.HEAD:
        issues.error("relation", "请为原户主选择新的与户主关系。")
        issues.raise_if_errors()
    new_relations = {
        m.pk: (
            c.Relation.HEAD
            if m.pk == target.pk
            else former_head_relation
            if m.relation == c.Relation.HEAD
            else m.relation
        )
        for m in members
    }
    facts = [
        MemberFacts(label=m.name, relation=new_relations[m.pk], sex=m.sex, id_hash=m.id_number_hash) for m in members
    ]
    check_household_members(facts).raise_if_errors()
    for m in members:
        if m.relation != new_relations[m.pk]:
            old = m.relation
            m.relation = new_relations[m.pk]
            m.version += 1
            m.save(update_fields=["relation", "version", "updated_at"])
            audit_record(
                actor=acting_user,
                action=AuditEntry.Action.UPDATE,
                instance=m,
                region_code=m.region_id,
                changes={"relation": [old, m.relation]},
                reason="变更户主",
            )


def laborer_reveal_id(*, acting_user: Any, laborer: Laborer, reason: str) -> str:
    """The clear ID number, for users granted `can_unmask_id`; every reveal is audited with its reason."""
    require_cap(acting_user, Cap.REGISTRY_VIEW)
    if not can_unmask(acting_user):
        raise PermissionDeniedError("您没有查看完整证件号码的权限。")
    if not reason.strip():
        raise ValidationError({"reason": [REVEAL_REASON_REQUIRED]})
    require_region_in_scope(acting_user, laborer.region_id)
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UNMASK,
        instance=laborer,
        region_code=laborer.region_id,
        reason=reason.strip(),
    )
    return laborer.reveal_id_number()


# --- employment summary (kept in sync by laborcoop.employment.records.services) ------------------------------------

EMPLOYMENT_SUMMARY_FIELDS = ["employment_status", "employer_name", "work_area"]


@dataclass(frozen=True)
class EmploymentSummary:
    """A laborer's employment fields as derived from their current employment record."""

    employment_status: str
    employer_name: str
    work_area: str


def laborers_set_employment_summary(
    *, acting_user: Any, summaries: Sequence[tuple[Laborer, EmploymentSummary]], reasons: Sequence[str]
) -> list[Laborer]:
    """Write the denormalised employment summary of laborers (status, employer, 务工地域) derived from their
    employment records. The caller holds the laborers' row locks (or the import's transaction) and has
    checked scope; changed rows get a new version (an open edit form then gets a conflict instead of
    overwriting the summary) and one audit row each. Returns the laborers that changed."""
    changed: list[Laborer] = []
    audits: list[AuditEntry] = []
    now = timezone.now()
    for (laborer, summary), reason in zip(summaries, reasons, strict=True):
        before = snapshot(laborer, EMPLOYMENT_SUMMARY_FIELDS)
        after = {
            "employment_status": summary.employment_status,
            "employer_name": summary.employer_name[:100],
            "work_area": summary.work_area,
        }
        changes = diff(before, after)
        if not changes:
            continue
        for name, value in after.items():
            setattr(laborer, name, value)
        laborer.version += 1
        laborer.updated_at = now
        changed.append(laborer)
        audits.append(
            AuditEntry(
                actor_id=acting_user.pk if acting_user is not None and acting_user.is_authenticated else None,
                action=AuditEntry.Action.UPDATE,
                object_type=Laborer._meta.label_lower,
                object_id=str(laborer.pk),
                object_repr=str(laborer)[:200],
                region_code=laborer.region_id,
                changes=changes,
                reason=reason[:500],
            )
        )
    if changed:
        Laborer.objects.bulk_update(changed, [*EMPLOYMENT_SUMMARY_FIELDS, "version", "updated_at"], batch_size=500)
        AuditEntry.objects.bulk_create(audits, batch_size=500)
    return changed


# --- reachability (kept by laborcoop.tracking from the follow-up log) --------------------------------------


def laborer_set_unreachable(
    *, acting_user: Any, laborer: Laborer, unreachable: bool, since: date | None, reason: str
) -> bool:
    """Mark a laborer unreachable (无法联系) from `since`, or reachable again. The caller holds the laborer's
    row lock and has checked scope (tracking.followups.services.followup_log). A change bumps `version` (an open edit
    form then gets a conflict) and writes one audit row; returns whether anything changed."""
    before = snapshot(laborer, ["unreachable", "unreachable_since"])
    laborer.unreachable = unreachable
    laborer.unreachable_since = since if unreachable else None
    changes = diff(before, snapshot(laborer, ["unreachable", "unreachable_since"]))
    if not changes:
        return False
    laborer.version += 1
    laborer.save(update_fields=["unreachable", "unreachable_since", "version", "updated_at"])
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.UPDATE,
        instance=laborer,
        region_code=laborer.region_id,
        changes=changes,
        reason=reason,
    )
    return True
