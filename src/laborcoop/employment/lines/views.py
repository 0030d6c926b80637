"""Wage and insurance pages: the 工资与社保 section of a record (month table, add and edit via htmx) and the
enterprise's 本月工资报送 (one amount per current worker, saved in one transaction).

htmx posts get the section back with status 200 even when the form has errors (htmx does not swap 4xx
answers); the same post without htmx gets the whole page with status 400.
"""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from laborcoop.accounts.access import is_enterprise_user, user_can
from laborcoop.core.forms import attach_validation_errors
from laborcoop.employment import lines
from laborcoop.employment.lines.access import (
    access_insurance_month,
    access_line_record,
    access_wage_month,
    line_cap,
)
from laborcoop.employment.lines.forms import InsuranceMonthForm, MonthPickForm, PayrollForm, WageMonthForm
from laborcoop.employment.lines.selectors import enterprise_payroll_rows, record_identity, record_month_rows
from laborcoop.employment.models import EmploymentRecord
from laborcoop.registry.services import NeedsConfirmation

SECTION = "employment/_lines_section.html"


def _section_context(
    request: HttpRequest,
    record: EmploymentRecord,
    *,
    wage_form: WageMonthForm | None = None,
    insurance_form: InsuranceMonthForm | None = None,
    warnings: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    user: Any = request.user
    can_edit = user_can(user, line_cap(user, write=True))
    name, id_masked = record_identity(user=user, record=record)
    return {
        "record": record,
        "laborer_name": name,
        "laborer_id_masked": id_masked,
        "is_enterprise": is_enterprise_user(user),
        "months": record_month_rows(record=record),
        "can_edit": can_edit,
        "can_delete": can_edit and not is_enterprise_user(user),
        "wage_form": wage_form or WageMonthForm(initial={"month": timezone.localdate().replace(day=1)}),
        "insurance_form": insurance_form or InsuranceMonthForm(initial={"month": timezone.localdate().replace(day=1)}),
        "warnings": warnings or {},
    }


def _edit_initial(request: HttpRequest, record: EmploymentRecord) -> WageMonthForm | None:
    """The wage form filled with a stored month (?edit=2025-05): editing is recording the month again."""
    form = MonthPickForm({"month": request.GET.get("edit", "")})
    if not request.GET.get("edit") or not form.is_valid() or form.cleaned_data["month"] is None:
        return None
    month: date = form.cleaned_data["month"]
    wage = record.wages.filter(month=month).first()
    initial: dict[str, Any] = {"month": month}
    if wage is not None:
        initial.update(amount=wage.amount, paid_on=wage.paid_on)
    return WageMonthForm(initial=initial)


def _answer(request: HttpRequest, record: EmploymentRecord, context: dict[str, Any], *, ok: bool) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, SECTION, context)
    if ok:
        return redirect("employment:record_lines", pk=record.pk)
    return render(request, "employment/record_lines.html", context, status=400)


@login_required
def record_lines(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_line_record(user=request.user, record_id=pk)
    context = _section_context(request, record, wage_form=_edit_initial(request, record))
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, SECTION, context)
    return render(request, "employment/record_lines.html", context)


@login_required
@require_POST
def record_wage_save(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_line_record(user=request.user, record_id=pk, write=True)
    form = WageMonthForm(request.POST)
    warnings: dict[str, list[str]] = {}
    if form.is_valid():
        d = form.cleaned_data
        try:
            saved = lines.wage_month_record(
                acting_user=request.user,
                record=record,
                month=d["month"],
                amount=d["amount"],
                paid_on=d["paid_on"],
                confirm_warnings=d["confirm_warnings"],
            )
        except NeedsConfirmation as exc:
            warnings = exc.issues.warnings
        except ValidationError as exc:
            attach_validation_errors(form, exc)
        else:
            messages.success(request, f"已保存 {saved.month:%Y-%m} 的工资：{saved.amount} 元。")
            return _answer(request, record, _section_context(request, record), ok=True)
    context = _section_context(request, record, wage_form=form, warnings=warnings)
    return _answer(request, record, context, ok=False)


@login_required
@require_POST
def record_insurance_save(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_line_record(user=request.user, record_id=pk, write=True)
    form = InsuranceMonthForm(request.POST)
    if form.is_valid():
        month = form.cleaned_data["month"]
        entries = [
            lines.InsuranceEntry(record_id=record.pk, month=month, insurance_type=t)
            for t in form.cleaned_data["insurance_types"]
        ]
        try:
            lines.insurance_months_record(acting_user=request.user, entries=entries)
        except lines.ItemsInvalid as exc:
            for errors in exc.item_errors.values():
                attach_validation_errors(form, ValidationError(errors), {"insurance_type": "insurance_types"})
        else:
            messages.success(request, f"已保存 {month:%Y-%m} 的参保缴费。")
            return _answer(request, record, _section_context(request, record), ok=True)
    return _answer(request, record, _section_context(request, record, insurance_form=form), ok=False)


@login_required
@require_POST
def wage_delete(request: HttpRequest, pk: int) -> HttpResponse:
    wage = access_wage_month(user=request.user, wage_id=pk)
    record = access_line_record(user=request.user, record_id=wage.record_id, write=True)
    lines.wage_month_delete(acting_user=request.user, wage=wage)
    messages.success(request, f"已删除 {wage.month:%Y-%m} 的工资。")
    return _answer(request, record, _section_context(request, record), ok=True)


@login_required
@require_POST
def insurance_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = access_insurance_month(user=request.user, insurance_id=pk)
    if item.record_id is None:
        lines.insurance_month_delete(acting_user=request.user, insurance=item)
        return redirect("registry:laborer_detail", pk=item.laborer_id)
    record = access_line_record(user=request.user, record_id=item.record_id, write=True)
    lines.insurance_month_delete(acting_user=request.user, insurance=item)
    messages.success(request, f"已删除 {item.month:%Y-%m} 的{item.get_insurance_type_display()}。")
    return _answer(request, record, _section_context(request, record), ok=True)


# --- the enterprise's monthly payroll ----------------------------------------------------------------------


def _payroll_month(request: HttpRequest) -> date:
    picked = MonthPickForm(request.GET or None)
    if picked.is_valid() and picked.cleaned_data["month"] is not None:
        month: date = picked.cleaned_data["month"]
        return month
    return timezone.localdate().replace(day=1)


@login_required
def enterprise_payroll(request: HttpRequest) -> HttpResponse:
    """本月工资报送: the enterprise's workers of a month (masked), one amount each, saved in one transaction."""
    month = _payroll_month(request)
    if request.method == "POST":
        posted = MonthPickForm(request.POST)
        if posted.is_valid() and posted.cleaned_data["month"] is not None:
            month = posted.cleaned_data["month"]
    rows = enterprise_payroll_rows(user=request.user, month=month)
    record_ids = [row["id"] for row in rows]
    row_errors: dict[int, list[str]] = {}
    row_warnings: dict[int, list[str]] = {}
    status = 200
    if request.method == "POST":
        form = PayrollForm(request.POST, record_ids=record_ids)
        status = 400
        amounts = form.amounts() if form.is_valid() else []
        entries = [lines.WageEntry(record_id=pk, month=month, amount=amount) for pk, amount in amounts]
        if form.is_valid() and not entries:
            # Nothing entered: a message on the page (the service refuses an empty list with a ValidationError).
            form.add_error(None, lines.NOTHING_TO_SAVE)
        elif form.is_valid():
            try:
                outcome = lines.wage_months_record(
                    acting_user=request.user, entries=entries, confirm_warnings=form.cleaned_data["confirm_warnings"]
                )
            except lines.ItemsInvalid as exc:
                row_errors = {amounts[i][0]: [m for ms in e.values() for m in ms] for i, e in exc.item_errors.items()}
                if not entries:
                    form.add_error(None, "；".join(exc.messages))
            except lines.ItemsNeedConfirmation as exc:
                row_warnings = {
                    amounts[i][0]: [m for ms in w.values() for m in ms] for i, w in exc.item_warnings.items()
                }
            else:
                messages.success(
                    request,
                    f"已保存 {month:%Y-%m} 的工资：新增 {outcome.created} 人，更新 {outcome.updated} 人，"
                    f"无变化 {outcome.unchanged} 人。",
                )
                return redirect(f"{request.path}?month={month:%Y-%m}")
    else:
        form = PayrollForm(
            initial={"month": month, **{f"amount_{row['id']}": row["amount"] for row in rows}}, record_ids=record_ids
        )
    table = [
        {**row, "field": form[f"amount_{row['id']}"], "errors": row_errors.get(row["id"], []),
         "warnings": row_warnings.get(row["id"], [])}
        for row in rows
    ]  # fmt: skip
    context = {"form": form, "month": month, "rows": table, "has_warnings": bool(row_warnings)}
    return render(request, "employment/enterprise_payroll.html", context, status=status)
