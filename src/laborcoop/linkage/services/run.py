"""Running a comparison: read the list, link it to the registry of the comparison's region, store the review.

`comparison_run` is what the task calls. It is idempotent: a finished comparison is returned as it is, one
awaiting its mapping is left alone, and one found running (a worker died) is run again from the start; the
results are written in one transaction that first removes any earlier partial results.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from laborcoop.core.file_crypto import FileDecryptError
from laborcoop.core.uploads import UPLOAD_UNREADABLE, purged_cannot_run_message
from laborcoop.intake.readers import ReadError
from laborcoop.linkage.engine import LinkResult, link
from laborcoop.linkage.models import (
    FIELD_LABELS,
    Comparison,
    ComparisonEntry,
    Department,
    ProposedChange,
    TheirRecord,
)
from laborcoop.linkage.selectors import comparison_ours_rows
from laborcoop.linkage.services.insurance import insurance_context
from laborcoop.linkage.services.proposals import SEX_LABELS, insured_month_of, propose
from laborcoop.linkage.services.reading import read_their_records
from laborcoop.regions.models import Region

logger = logging.getLogger(__name__)

NO_RECORDS = "名单中没有可比对的记录（每行至少需要姓名或证件号码）"
INTERNAL_ERROR = "比对时发生内部错误；请联系管理员并提供比对编号 {id}"
UPLOADER_GONE = "上传人账号已停用，比对未执行"

# Progress: reading the list up to 15 %, the engine's phases up to 90 %, storing to 100 %.
READ_DONE, LINK_DONE = 15, 90
# Conflicts shown side by side (name_pinyin and county_code are implied by name and village).
SHOWN_CONFLICTS = ("id_number", "name", "birth_date", "sex", "village_code")
BATCH = 1000


def _claim(comparison_id: int) -> Comparison | None:
    now = timezone.now()
    Comparison.objects.filter(pk=comparison_id, status=Comparison.Status.QUEUED).update(
        status=Comparison.Status.RUNNING, started_at=now, updated_at=now, progress=0, note=""
    )
    comparison = Comparison.objects.select_related("uploaded_by").get(pk=comparison_id)
    return comparison if comparison.status == Comparison.Status.RUNNING else None


def _progress(comparison: Comparison, percent: int, phase: str) -> None:
    comparison.progress = percent
    comparison.phase = phase
    Comparison.objects.filter(pk=comparison.pk).update(progress=percent, phase=phase, updated_at=timezone.now())


def _fail(comparison: Comparison, message: str) -> Comparison:
    comparison.status = Comparison.Status.FAILED
    comparison.error = message
    comparison.finished_at = timezone.now()
    comparison.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return comparison


def comparison_run(*, comparison_id: int) -> Comparison:
    """Run (or re-run after a crash) a queued comparison; returns it as it ends."""
    comparison = _claim(comparison_id)
    if comparison is None:
        return Comparison.objects.get(pk=comparison_id)
    user = comparison.uploaded_by
    if user is None or not user.is_active:
        return _fail(comparison, UPLOADER_GONE)
    if comparison.file_purged or not comparison.file:
        return _fail(comparison, purged_cannot_run_message())
    try:
        _progress(comparison, 1, "读取名单")
        theirs = list(read_their_records(comparison, today=timezone.localdate()))
        if not theirs:
            return _fail(comparison, NO_RECORDS)
        _progress(comparison, READ_DONE, "读取本库人员")
        ours = {str(row["id"]): row for row in comparison_ours_rows(comparison=comparison)}
        result = _link(comparison, ours, theirs)
        _progress(comparison, LINK_DONE, "保存结果")
        _store(comparison, theirs, ours, result)
    except ReadError as exc:
        return _fail(comparison, exc.message)
    except (OSError, FileDecryptError):
        logger.exception("comparison %s: stored file unreadable", comparison.pk)
        return _fail(comparison, UPLOAD_UNREADABLE)
    except Exception:
        logger.exception("comparison %s failed", comparison.pk)
        return _fail(comparison, INTERNAL_ERROR.format(id=comparison.pk))
    return comparison


def _link(comparison: Comparison, ours: dict[str, dict[str, Any]], theirs: list[TheirRecord]) -> LinkResult:
    our_input = [_our_input(row) for row in ours.values()]
    their_input = [_their_input(i, record) for i, record in enumerate(theirs)]

    def progress(phase: str, fraction: float) -> None:
        _progress(comparison, READ_DONE + int((LINK_DONE - READ_DONE) * fraction), f"比对：{phase}")

    result = link(our_input, their_input, threshold=comparison.threshold, progress=progress)
    # Technical detail (trained or preset weights) for the logs only: officers see levels and reasons.
    logger.info("comparison %s: model %s, stats %s", comparison.pk, result.stats.get("model"), _counts(result))
    return result


def _counts(result: LinkResult) -> dict[str, Any]:
    return {k: v for k, v in result.stats.items() if k not in ("training_error",)}


def _our_input(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "record_id": str(row["id"]),
        "id_hash": row["id_number_hash"],
        "name": row["name"],
        "birth_date": row["birth_date"],
        "sex": row["sex"],
        "village_code": row["region_id"],
        "phone_hash": row["phone_hash"] or None,
    }


def _their_input(index: int, record: TheirRecord) -> dict[str, Any]:
    return {
        "record_id": str(index),
        "id_hash": record.id_hash or None,
        "name": record.name,
        "birth_date": record.birth_date,
        "sex": record.sex,
        "village_code": record.village_code,
        "phone_hash": record.phone_hash or None,
        # 18 digits ending in "000": possibly zeroed by Excel, so a differing ID is no evidence of two people.
        "id_doubtful": bool(record.id_hash) and record.id_masked.endswith("000"),
    }


def _village_names(codes: Iterable[str]) -> dict[str, str]:
    wanted = sorted({c for c in codes if c})
    names: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        names.update(Region.objects.filter(code__in=wanted[start : start + 500]).values_list("code", "name"))
    return names


def _shown(field: str, ours: dict[str, Any], their: TheirRecord, names: dict[str, str]) -> tuple[str, str]:
    if field == "id_number":
        return ours["id_masked"], their.id_masked
    if field == "name":
        return ours["name"], their.name
    if field == "birth_date":
        return (ours["birth_date"].isoformat() if ours["birth_date"] else ""), (
            their.birth_date.isoformat() if their.birth_date else ""
        )
    if field == "sex":
        return SEX_LABELS.get(ours["sex"], ""), SEX_LABELS.get(their.sex, "")
    return names.get(ours["region_id"], ours["region_id"]), names.get(their.village_code, their.village_name)


def _conflict(field: str, ours: dict[str, Any], their: TheirRecord, names: dict[str, str]) -> dict[str, str]:
    our_value, their_value = _shown(field, ours, their, names)
    return {"field": field, "label": FIELD_LABELS[field], "ours": our_value, "theirs": their_value}


def _department_context(
    comparison: Comparison, ours: dict[str, dict[str, Any]], theirs: list[TheirRecord], matches: list[Any]
) -> dict[int, dict[str, Any]]:
    """Per matched laborer, what the list's proposals need beyond the registry columns (社保参保 only)."""
    if comparison.department != Department.SOCIAL_INSURANCE or not matches:
        return {}
    months = {m for m in (insured_month_of(t.extra) for t in theirs) if m is not None}
    return insurance_context(laborer_ids=[ours[m.our_id]["id"] for m in matches], months=months)


@transaction.atomic
def _store(comparison: Comparison, theirs: list[TheirRecord], ours: dict[str, dict[str, Any]], result: Any) -> None:
    ProposedChange.objects.filter(comparison=comparison).delete()
    ComparisonEntry.objects.filter(comparison=comparison).delete()
    TheirRecord.objects.filter(comparison=comparison).delete()
    TheirRecord.objects.bulk_create(theirs, batch_size=BATCH)
    matches = list(result.iter_matches())
    names = _village_names(
        [row["region_id"] for row in ours.values()] + [t.village_code for t in theirs if t.village_code]
    )
    entries: list[ComparisonEntry] = []
    pending: list[tuple[ComparisonEntry, list[Any], dict[str, Any]]] = []
    extra = _department_context(comparison, ours, theirs, matches)
    for match in matches:
        our_row, their = ours[match.our_id], theirs[int(match.their_id)]
        if extra:
            our_row = {**our_row, **extra.get(our_row["id"], {})}
        conflicts = set(match.conflicting_fields)
        outcome = propose(department=comparison.department, ours=our_row, their=their, conflicts=conflicts, names=names)
        shown = [f for f in SHOWN_CONFLICTS if f in conflicts]
        entry = ComparisonEntry(
            comparison=comparison,
            kind=ComparisonEntry.Kind.MATCHED,
            laborer_id=our_row["id"],
            their=their,
            probability=match.probability,
            method=match.method,
            agreeing=[f for f in match.agreeing_fields if f in FIELD_LABELS],
            conflicts=[_conflict(f, our_row, their, names) for f in shown],
            has_conflicts=bool(shown),
            level=match.level,
            reasons=list(match.reasons),
            evidence=outcome.evidence,
        )
        entries.append(entry)
        pending.append((entry, outcome.proposals, our_row))
    entries += [
        ComparisonEntry(comparison=comparison, kind=ComparisonEntry.Kind.ONLY_OURS, laborer_id=ours[i]["id"])
        for i in result.only_ours
    ]
    entries += [
        ComparisonEntry(comparison=comparison, kind=ComparisonEntry.Kind.ONLY_THEIRS, their=theirs[int(i)])
        for i in result.only_theirs
    ]
    ComparisonEntry.objects.bulk_create(entries, batch_size=BATCH)
    changes = [
        ProposedChange(
            comparison=comparison,
            entry=entry,
            laborer_id=our_row["id"],
            field=p.field,
            ours_display=str(p.ours_display)[:200],
            theirs_display=str(p.theirs_display)[:200],
            new_value=p.new_value,
            applies=p.applies,
            confidence=round(float(entry.probability or 0.0), 4),
        )
        for entry, proposals, our_row in pending
        for p in proposals
    ]
    ProposedChange.objects.bulk_create(changes, batch_size=BATCH)
    comparison.rows_total = len(theirs)
    comparison.rows_id_damaged = sum(1 for t in theirs if t.id_problem)
    comparison.ours_total = len(ours)
    comparison.matched_count = len(matches)
    comparison.conflict_count = sum(1 for e in entries if e.has_conflicts)
    comparison.review_count = sum(1 for e in entries if e.needs_review)
    comparison.only_ours_count = len(result.only_ours)
    comparison.only_theirs_count = len(result.only_theirs)
    comparison.changes_count = len(changes)
    comparison.status = Comparison.Status.SUCCEEDED
    comparison.progress = 100
    comparison.phase = ""
    comparison.error = ""
    comparison.finished_at = timezone.now()
    comparison.save()
