"""Matching pages: the pipeline of a job and of a laborer (staff and enterprise users), and the laborer's
personal page reached by a signed link (no login). Thin: parse, call one service or selector, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from laborcoop.accounts.access import administered_province, can_put_forward, is_enterprise_user, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.core.errors import ObjectNotFound, PermissionDeniedError
from laborcoop.core.forms import attach_validation_errors
from laborcoop.employers.access import access_job, access_market_job
from laborcoop.matching import services
from laborcoop.matching.access import access_recommendation
from laborcoop.matching.choices import ENTERPRISE_TARGETS, TRANSITIONS, RecState
from laborcoop.matching.engine.factors import Weights
from laborcoop.matching.forms import (
    EnterpriseStartForm,
    InterviewForm,
    PutForwardForm,
    PutForwardSearchForm,
    RespondForm,
    RunForm,
    TransitionForm,
    WeightsForm,
)
from laborcoop.matching.models import MatchingWeights, Recommendation
from laborcoop.matching.personal import personal_page
from laborcoop.matching.pipeline_links import openable_for
from laborcoop.matching.selectors import (
    interview_text,
    matching_run_state_counts,
    matching_run_top_jobs,
    named_for_page,
    recommendation_item,
    recommendation_list_for_job,
    recommendation_list_for_laborer,
)
from laborcoop.matching.services import put_forward
from laborcoop.matching.services.enterprise_start import recommendation_start_by_enterprise
from laborcoop.matching.services.notify import job_send_summary, laborer_send_summary
from laborcoop.matching.services.weights import ERR_NOT_ADMIN, WEIGHT_NAMES
from laborcoop.matching.tokens import LinkExpired, LinkInvalid, laborer_id_from_token
from laborcoop.regions.models import Region
from laborcoop.registry.access import access_laborer
from laborcoop.registry.models import Laborer
from laborcoop.registry.selectors import LaborerFilters, laborer_list

RUN_DONE = "已重新匹配：共{count}条推荐。"
TRANSITION_DONE = "状态已更新为“{state}”。"
RESPOND_INTERESTED = "已记录：您对该岗位有意向，工作人员会尽快与您联系。"
RESPOND_DECLINED = "已记录：您对该岗位无意向。"


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _actions(user: Any, state: str) -> list[tuple[str, str]]:
    """The buttons a user gets for a row in `state`: (state value, label)."""
    allowed = TRANSITIONS[state]
    if is_enterprise_user(user):
        allowed = allowed & ENTERPRISE_TARGETS
        cap = Cap.JOBS_EDIT
    else:
        cap = Cap.REGISTRY_EDIT
    if not user_can(user, cap):
        return []
    return [(value, label) for value, label in RecState.choices if value in allowed]


def _rows(user: Any, recs: Any, *, link: str) -> list[dict[str, Any]]:
    """The rows of a pipeline; `link` is what the rows name ("laborers" on a job's, "jobs" on a laborer's): their
    names link to those pages where the viewer may open them."""
    recs = list(recs)
    named = named_for_page(user=user, recommendations=recs)
    openable = openable_for(user=user, recommendations=recs, laborers=link == "laborers", jobs=link == "jobs")
    return [
        {
            **recommendation_item(user=user, recommendation=rec, named=rec.laborer_id in named),
            "actions": _actions(user, rec.state),
            "laborer_url": reverse("registry:laborer_detail", args=[rec.laborer_id])
            if rec.laborer_id in openable.laborers
            else "",
            "job_url": reverse("employers:job_detail", args=[rec.job_id]) if rec.job_id in openable.jobs else "",
        }
        for rec in recs
    ]


@login_required
def job_pipeline(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_job(user=request.user, job_id=pk)
    recs = recommendation_list_for_job(user=request.user, job=job)
    return render(
        request,
        "matching/job_pipeline.html",
        {
            "job": job,
            "rows": _rows(request.user, recs, link="laborers"),
            "sent": job_send_summary(job),
            "masked": is_enterprise_user(request.user),
            "can_run": user_can(request.user, Cap.JOBS_EDIT),
        },
    )


@login_required
@require_POST
def job_run(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_job(user=request.user, job_id=pk, cap=Cap.JOBS_EDIT)
    form = RunForm(request.POST)
    limit = form.cleaned_data.get("limit") if form.is_valid() else None
    stored = services.recommendations_for_job(acting_user=request.user, job=job, limit=limit or 50)
    messages.success(request, RUN_DONE.format(count=len(stored)))
    return redirect("matching:job_pipeline", pk=job.pk)


@login_required
def laborer_pipeline(request: HttpRequest, pk: int) -> HttpResponse:
    laborer = access_laborer(user=request.user, laborer_id=pk)
    recs = recommendation_list_for_laborer(user=request.user, laborer=laborer)
    return render(
        request,
        "matching/laborer_pipeline.html",
        {
            "laborer": laborer,
            "rows": _rows(request.user, recs, link="jobs"),
            "sent": laborer_send_summary(laborer),
            "can_run": user_can(request.user, Cap.REGISTRY_EDIT),
        },
    )


@login_required
@require_POST
def laborer_run(request: HttpRequest, pk: int) -> HttpResponse:
    laborer: Laborer = access_laborer(user=request.user, laborer_id=pk, cap=Cap.REGISTRY_EDIT)
    form = RunForm(request.POST)
    limit = form.cleaned_data.get("limit") if form.is_valid() else None
    stored = services.recommendations_for_laborer(acting_user=request.user, laborer=laborer, limit=limit or 20)
    messages.success(request, RUN_DONE.format(count=len(stored)))
    return redirect("matching:laborer_pipeline", pk=laborer.pk)


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    rec = access_recommendation(user=request.user, recommendation_id=pk)
    back = request.POST.get("next", "")
    if not back or not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("matching:job_pipeline", kwargs={"pk": rec.job_id})
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(back)
    data = form.cleaned_data
    try:
        saved = services.recommendation_transition(
            acting_user=request.user,
            recommendation=rec,
            to_state=data["state"],
            expected_version=data["version"],
            reason=data["reason"],
            note=data["note"],
            interview=services.Interview(
                at=data["interview_at"],
                mode=data["interview_mode"],
                place=data["interview_place"],
                note=data["interview_note"],
            ),
            hire_date=data["hire_date"],
            confirm_over_hire=data["confirm_over_hire"],
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, TRANSITION_DONE.format(state=saved.get_state_display()))
    return redirect(back)


INTERVIEW_DONE = "已安排面试：{when}。已短信通知求职者。"
INTERVIEW_MOVED = "面试安排已更新：{when}。已短信通知求职者。"


def _can_arrange(user: Any, rec: Any) -> bool:
    """Whether the page offers the interview form: the user may move the row to (or within) 面试."""
    if rec.state == RecState.INTERVIEW:
        return any(value == RecState.HIRED for value, _ in _actions(user, rec.state))
    return any(value == RecState.INTERVIEW for value, _ in _actions(user, rec.state))


START_DONE = "已报送上岗：{name}，{day:%Y-%m-%d} 起在本企业就业，已列入员工名册。"


@login_required
@require_POST
def recommendation_start(request: HttpRequest, pk: int) -> HttpResponse:
    """报送上岗 by the enterprise for a candidate it hired: the employment record without typing an ID."""
    user: Any = request.user
    rec = access_recommendation(user=user, recommendation_id=pk, edit=True)
    form = EnterpriseStartForm(request.POST)
    if form.is_valid():
        try:
            saved = recommendation_start_by_enterprise(
                acting_user=user,
                recommendation=rec,
                expected_version=form.cleaned_data["version"],
                start_date=form.cleaned_data["hire_date"],
                monthly_wage=form.cleaned_data["monthly_wage"],
            )
        except ValidationError as exc:
            attach_validation_errors(form, exc)
        else:
            messages.success(request, START_DONE.format(name=saved.laborer.name, day=saved.hire_date))
            return redirect("matching:recommendation_detail", pk=saved.pk)
    return recommendation_detail(request, pk, start_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_detail(request: HttpRequest, pk: int, start_form: Any = None) -> HttpResponse:
    """One candidate for one job: who (named once they showed interest or work here), the score, the state, the
    interview step (time, on site or online, place, note) and the result actions."""
    user: Any = request.user
    rec = access_recommendation(user=user, recommendation_id=pk)
    can_arrange = _can_arrange(user, rec)
    status = 400 if start_form is not None else 200  # a refused 报送上岗 (recommendation_start)
    if request.method == "POST" and start_form is None:
        rec = access_recommendation(user=user, recommendation_id=pk, edit=True)
        form = InterviewForm(request.POST)
        status = 400
        if not can_arrange:
            form.add_error(None, "当前状态不能安排面试：求职者表示有意向后才能安排。")
        elif form.is_valid():
            data = form.cleaned_data
            moving = rec.state == RecState.INTERVIEW
            try:
                saved = services.recommendation_transition(
                    acting_user=user,
                    recommendation=rec,
                    to_state=RecState.INTERVIEW,
                    expected_version=data["version"],
                    interview=services.Interview(
                        at=data["interview_at"],
                        mode=data["interview_mode"],
                        place=data["interview_place"],
                        note=data["interview_note"],
                    ),
                )
            except ValidationError as exc:
                attach_validation_errors(form, exc)
            else:
                done = INTERVIEW_MOVED if moving else INTERVIEW_DONE
                messages.success(request, done.format(when=interview_text(saved)))
                return redirect("matching:recommendation_detail", pk=saved.pk)
    if request.method != "POST" or start_form is not None:
        initial: dict[str, Any] = {"version": rec.version, "interview_mode": rec.interview_mode or "onsite"}
        if rec.interview_at is not None:
            initial.update(
                interview_at=rec.interview_at,
                interview_place=rec.interview_place,
                interview_note=rec.interview_note,
            )
        else:
            initial["interview_place"] = rec.job.enterprise.address
        form = InterviewForm(initial=initial)
    named = rec.laborer_id in named_for_page(user=user, recommendations=[rec])
    can_start = rec.state == RecState.HIRED and is_enterprise_user(user) and user_can(user, Cap.JOBS_EDIT)
    if start_form is None:
        start_form = EnterpriseStartForm(
            initial={"version": rec.version, "hire_date": rec.hire_date, "monthly_wage": rec.job.wage_min}
        )
    row = {
        **recommendation_item(user=user, recommendation=rec, named=named),
        "actions": [(v, label) for v, label in _actions(user, rec.state) if v != RecState.INTERVIEW],
    }
    return render(
        request,
        "matching/recommendation_detail.html",
        {
            "rec": rec,
            "row": row,
            "form": form,
            "can_arrange": can_arrange,
            "can_start": can_start,
            "start_form": start_form,
            "masked": is_enterprise_user(user) and not named,
        },
        status=status,
    )


# --- the laborer's personal page (no login) ------------------------------------------------------------------


def _link_error(request: HttpRequest, exc: LinkExpired | LinkInvalid) -> HttpResponse:
    status = 410 if isinstance(exc, LinkExpired) else 403
    return render(request, "matching/link_error.html", {"message": exc.message}, status=status)


def _private(response: HttpResponse) -> HttpResponse:
    """The token is in the URL: keep it out of caches, search engines and every Referer.

    `strict-origin` sends only `https://host/` as the Referer, never the path that holds the token, not even to
    this server's own static files. Not `no-referrer`: with it Chromium sends `Origin: null` on the page's own
    form posts and Django's CSRF check refuses the laborer's answer (tests/browser/test_matching_flow.py).
    """
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def personal(request: HttpRequest, token: str) -> HttpResponse:
    try:
        laborer_id = laborer_id_from_token(token)
    except (LinkExpired, LinkInvalid) as exc:
        return _private(_link_error(request, exc))
    page = personal_page(laborer_id=laborer_id)  # in the laborer's words (matching.personal)
    return _private(render(request, "matching/personal.html", {"token": token, **page}))


@require_POST
def personal_respond(request: HttpRequest, token: str, rec_id: int) -> HttpResponse:
    return _private(_personal_respond(request, token, rec_id))


def _personal_respond(request: HttpRequest, token: str, rec_id: int) -> HttpResponse:
    try:
        laborer_id = laborer_id_from_token(token)
    except (LinkExpired, LinkInvalid) as exc:
        return _link_error(request, exc)
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择有意向或无意向。")
        return redirect("matching:personal", token=token)
    try:
        saved = services.recommendation_respond_by_link(
            laborer_id=laborer_id,
            recommendation_id=rec_id,
            to_state=form.cleaned_data["state"],
            reason=form.cleaned_data["reason"],
        )
    except ObjectNotFound:
        return render(request, "matching/link_error.html", {"message": ObjectNotFound.message}, status=404)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("matching:personal", token=token)
    messages.success(request, RESPOND_INTERESTED if saved.state == RecState.INTERESTED else RESPOND_DECLINED)
    return redirect("matching:personal", token=token)


WEIGHTS_SAVED = "匹配权重已保存，新的匹配将按新权重计算。"


def _weights_province(request: HttpRequest) -> str:
    return administered_province(
        user=request.user, requested=request.GET.get("province", ""), denied_message=ERR_NOT_ADMIN
    )


@login_required
@require_http_methods(["GET", "POST"])
def weights(request: HttpRequest) -> HttpResponse:
    province_code = _weights_province(request)
    row = MatchingWeights.objects.select_related("updated_by").filter(province_id=province_code).first()
    current = (Weights.from_dict(row.values) if row is not None else Weights()).to_dict()
    defaults = Weights().to_dict()
    version = row.version if row is not None else 0
    status = 200
    if request.method == "POST":
        form = WeightsForm(request.POST, defaults=defaults)
        if form.is_valid():
            try:
                services.matching_weights_set(
                    acting_user=request.user,
                    province_code=province_code,
                    values=form.weight_values(),
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                attach_validation_errors(form, exc)
            else:
                messages.success(request, WEIGHTS_SAVED)
                return redirect(request.get_full_path())
        status = 400
    else:
        form = WeightsForm(initial={"version": version, **current}, defaults=defaults)
    rows = [{"field": form[name], "current": current[name], "default": defaults[name]} for name in WEIGHT_NAMES]
    return render(
        request,
        "matching/weights.html",
        {
            "form": form,
            "rows": rows,
            "province": Region.objects.filter(pk=province_code).first(),
            "province_code": province_code,
            "row": row,
        },
        status=status,
    )


RUN_QUEUED = "已发起批量匹配，正在后台运行。"


@login_required
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    """Batch runs (mode 3) in the user's subtree; POST starts one over the user's home region."""
    if request.method == "POST":
        run = services.matching_run_create(acting_user=request.user)
        messages.success(request, RUN_QUEUED)
        return redirect("matching:run_detail", pk=run.pk)
    rows = services.matching_runs_for(request.user)[:50]
    return render(
        request,
        "matching/runs.html",
        {"runs": rows, "can_start": services.can_start_matching_run(request.user)},
    )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = services.access_matching_run(user=request.user, run_id=pk)
    context: dict[str, Any] = {"run": run, "top_jobs": [], "state_counts": []}
    if run.status == run.Status.SUCCEEDED:
        context["top_jobs"] = matching_run_top_jobs(user=request.user, run=run)
        context["state_counts"] = matching_run_state_counts(user=request.user, run=run)
    if request.htmx and request.GET.get("part") == "status":  # type: ignore[attr-defined]
        response = render(request, "matching/_run_status.html", context)
    else:
        response = render(request, "matching/run_detail.html", context)
    add_never_cache_headers(response)
    return response


# --- the job market: put a laborer of one's own subtree forward --------------------------------------------------

PUT_FORWARD_DONE = "已推荐 {name} 应聘“{title}”，企业可在该岗位的推荐人选中看到。"
PUT_FORWARD_ROWS = 20


@login_required
@require_http_methods(["GET", "POST"])
def market_put_forward(request: HttpRequest, pk: int) -> HttpResponse:
    """Find a laborer of the user's subtree (GET ?q=) and put them forward for the open posting (POST)."""
    user: Any = request.user
    if not can_put_forward(user):
        raise PermissionDeniedError(put_forward.ERR_NOT_ALLOWED)
    job = access_market_job(user=user, job_id=pk)
    search = PutForwardSearchForm(request.GET or None)
    error, status = "", 200
    if request.method == "POST":
        form = PutForwardForm(request.POST)
        if not form.is_valid():
            error, status = "；".join(str(e) for errors in form.errors.values() for e in errors), 400
        else:
            try:
                rec = put_forward.recommendation_put_forward(
                    acting_user=user, job_id=job.pk, laborer_id=form.cleaned_data["laborer_id"]
                )
            except ValidationError as exc:
                error, status = _error_text(exc), 400
            else:
                messages.success(request, PUT_FORWARD_DONE.format(name=rec.laborer.name, title=job.title))
                return redirect(request.get_full_path())
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    found = list(laborer_list(user=user, filters=LaborerFilters(q=query))[:PUT_FORWARD_ROWS]) if query else []
    proposed = set(
        Recommendation.objects.filter(job=job, laborer_id__in=[p.pk for p in found]).values_list(
            "laborer_id", flat=True
        )
    )
    return render(
        request,
        "matching/market_put_forward.html",
        {"job": job, "search": search, "query": query, "found": found, "proposed": proposed, "error": error},
        status=status,
    )
