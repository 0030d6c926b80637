"""Tap-to-call (拨打电话) from the person page: the clear mobile number of a laborer or of their household, for
users the access layer lets call people in their scope (accounts.desks.can_call: officers, brokers, the
hotline). Every reveal writes an audit row like the ID number's reveal (action 拨打电话 = CALL, admins
only see it), with which phone and its masked form as the reason. The page then shows the number as a tel: link.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from laborcoop.accounts.access import require_cap, require_region_in_scope
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.audit import audit_record
from laborcoop.core.models import AuditEntry
from laborcoop.registry.access import access_laborer
from laborcoop.registry.models import Laborer

PHONES = {"laborer": "联系电话", "household": "户联系电话"}
PHONE_UNKNOWN = "请选择要拨打的电话。"
PHONE_MISSING = "未登记{label}。"
CALL_REASON = "拨打{label}（{masked}）"


def phone_call_reveal(*, acting_user: Any, laborer: Laborer, which: str) -> str:
    """The clear number of the laborer's own phone (`which` "laborer") or their household's ("household"), for
    a caller allowed to dial people in the laborer's region; audited. 403 without the capability, 404 outside
    the scope (the caller fetched the laborer through access_laborer)."""
    require_cap(acting_user, Cap.PHONE_CALL)
    require_region_in_scope(acting_user, laborer.region_id)
    if which not in PHONES:
        raise ValidationError({"which": [PHONE_UNKNOWN]})
    owner: Any = laborer if which == "laborer" else laborer.household
    if not owner.phone_enc:
        raise ValidationError({"which": [PHONE_MISSING.format(label=PHONES[which])]})
    audit_record(
        actor=acting_user,
        action=AuditEntry.Action.CALL,
        instance=owner,
        region_code=owner.region_id,
        reason=CALL_REASON.format(label=PHONES[which], masked=owner.phone_masked),
    )
    return str(owner.phone)


@login_required
@require_POST
def laborer_call(request: HttpRequest, pk: int) -> HttpResponse:
    """Reveal one number as a tel: link: in place (htmx) or as a small page."""
    laborer = access_laborer(user=request.user, laborer_id=pk)
    which = request.POST.get("which", "")
    context: dict[str, Any] = {"laborer": laborer, "which": which, "label": PHONES.get(which, "")}
    try:
        context["number"] = phone_call_reveal(acting_user=request.user, laborer=laborer, which=which)
    except ValidationError as exc:
        context["error"] = "；".join(m for ms in exc.message_dict.values() for m in ms)
        status = 400
    else:
        status = 200
    template = "registry/_call.html" if request.htmx else "registry/call.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)
