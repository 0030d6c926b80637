"""Front-desk pages: walk-in check and the duplicate review queue. Thin: parse, call one service or
selector, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from laborcoop.accounts.access import can_scan_duplicates, is_admin, is_hotline_user, require_cap, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.forms import attach_validation_errors
from laborcoop.core.pagination import page_of
from laborcoop.frontdesk import contacts, review
from laborcoop.frontdesk.access import access_contact, access_merge_record, access_pair
from laborcoop.frontdesk.forms import (
    AttachForm,
    ContactFilterForm,
    MergeForm,
    NotDuplicateForm,
    PairFilterForm,
    WalkinForm,
)
from laborcoop.frontdesk.models import DuplicatePair, ServiceContact
from laborcoop.frontdesk.scan import duplicate_scan
from laborcoop.frontdesk.selectors import compare_laborers, pair_list, pair_merge_record
from laborcoop.regions.selectors import region_path_name
from laborcoop.registry.access import access_laborer


def _error_text(exc: ValidationError) -> str:
    return "；".join(m for ms in exc.message_dict.values() for m in ms)


@login_required
@sensitive_post_parameters("id_number")
def index(request: HttpRequest) -> HttpResponse:
    """The service window / 12333 call console (the hotline's home page): look a person up by ID or name + birth
    date; every lookup is logged with its note, which the person's page and the service log show."""
    user: Any = request.user
    require_cap(user, Cap.REGISTRY_VIEW)
    result = None
    found: list[dict[str, Any]] = []
    if request.method == "POST":
        form = WalkinForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = contacts.walkin_lookup(
                    acting_user=user,
                    channel=data["channel"],
                    id_number=data["id_number"],
                    name=data["name"],
                    birth_date=data["birth_date"],
                    note=data["note"],
                )
            except ValidationError as exc:
                attach_validation_errors(form, exc)
        if result is not None:
            found = [
                {
                    "candidate": cand,
                    "region_path": region_path_name(cand.laborer.region_id),
                    "services": contacts.services_received(user=request.user, laborer=cand.laborer),
                }
                for cand in result.matches
            ]
            form = WalkinForm(initial={"channel": form.cleaned_data["channel"]})
    else:
        # The 12333 desk takes calls; the service window sees people in person.
        channel = ServiceContact.Channel.PHONE if is_hotline_user(user) else ServiceContact.Channel.WINDOW
        form = WalkinForm(initial={"channel": channel})
    if is_hotline_user(user):
        form.fields["note"].label = "来电内容"  # what the caller asked and was told: shown on the person's page
    return render(
        request,
        "frontdesk/index.html",
        {
            "form": form,
            "result": result,
            "found": found,
            "can_register": user_can(user, Cap.REGISTRY_EDIT),
            "hotline": is_hotline_user(user),
            "today_count": contacts.contacts_today_count(user=user),
            "recent": contacts.recent_contacts(user=user),
        },
    )


@login_required
@require_POST
def contact_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a lookup that found several people (and its note) under the one the call was about."""
    contact = access_contact(user=request.user, contact_id=pk)
    form = AttachForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择人员。")
        return redirect("frontdesk:index")
    laborer = access_laborer(user=request.user, laborer_id=form.cleaned_data["laborer"])
    try:
        contacts.contact_attach_laborer(acting_user=request.user, contact=contact, laborer=laborer)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("frontdesk:index")
    messages.success(request, f"已把这次服务记录记到 {laborer.name} 名下。")
    return redirect("registry:laborer_detail", pk=laborer.pk)


@login_required
def contact_log(request: HttpRequest) -> HttpResponse:
    """The service log (服务记录): every window and hotline contact of the user's subtree, with its note."""
    form = ContactFilterForm(request.GET or None)
    channel = form.cleaned_data["channel"] if form.is_valid() else ""
    page = page_of(contacts.contact_list(user=request.user, channel=channel), request)
    return render(request, "frontdesk/contact_log.html", {"form": form, "page": page})


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    form = PairFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() and form.cleaned_data["status"] else "open"
    page = page_of(pair_list(user=request.user, status=status), request)
    return render(
        request,
        "frontdesk/duplicates.html",
        {
            "form": form,
            "page": page,
            "status": status,
            "statuses": DuplicatePair.Status.choices,
            "can_scan": can_scan_duplicates(request.user),
        },
    )


@login_required
@require_POST
def duplicate_scan_view(request: HttpRequest) -> HttpResponse:
    s = duplicate_scan(acting_user=request.user)
    messages.success(
        request,
        f"查重完成：扫描 {s.laborers} 人，发现疑似重复 {s.found} 对（新增 {s.created}，更新 {s.updated}），"
        f"用时 {s.seconds:.1f} 秒。",
    )
    return redirect("frontdesk:duplicates")


@login_required
def duplicate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pair = access_pair(user=request.user, pair_id=pk)
    left, right = pair.laborer_a, pair.laborer_b
    rows = compare_laborers(left, right) if left is not None and right is not None else []
    return render(
        request,
        "frontdesk/duplicate_detail.html",
        {
            "pair": pair,
            "left": left,
            "right": right,
            "rows": rows,
            "merge_record": pair_merge_record(user=request.user, pair=pair),
            "can_edit": user_can(request.user, Cap.REGISTRY_EDIT),
            "can_unmerge": is_admin(request.user),
            "note_form": NotDuplicateForm(),
        },
    )


@login_required
@require_POST
def duplicate_not_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    pair = access_pair(user=request.user, pair_id=pk, cap=Cap.REGISTRY_EDIT)
    form = NotDuplicateForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        review.pair_mark_not_duplicate(acting_user=request.user, pair=pair, note=note)
        messages.success(request, "已标记为不是同一人。")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("frontdesk:duplicate_detail", pk=pair.pk)


@login_required
@require_POST
def duplicate_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    pair = access_pair(user=request.user, pair_id=pk, cap=Cap.REGISTRY_EDIT)
    form = MergeForm(request.POST)
    keep = form.cleaned_data["keep"] if form.is_valid() else ""
    try:
        kept = review.duplicate_merge(acting_user=request.user, pair=pair, keep=keep)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("frontdesk:duplicate_detail", pk=pair.pk)
    messages.success(request, f"已合并，保留 {kept.name}（{kept.id_masked}）。")
    return redirect("registry:laborer_detail", pk=kept.pk)


@login_required
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_merge_record(user=request.user, record_id=pk, cap=Cap.REGISTRY_EDIT)
    try:
        restored = review.duplicate_unmerge(acting_user=request.user, merge_record=record)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        if record.pair_id is not None:
            return redirect("frontdesk:duplicate_detail", pk=record.pair_id)
        return redirect("frontdesk:duplicates")
    messages.success(request, f"已撤销合并，恢复 {restored.name}（{restored.id_masked}）。")
    return redirect("registry:laborer_detail", pk=restored.pk)
