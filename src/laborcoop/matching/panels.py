"""Matching's buttons on the registry's laborer page and the employers' job page (registry.panels,
employers.panels), registered in MatchingConfig.ready(). Anyone who can see the laborer or the job can open its
pipeline (the pipeline pages check their own access)."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from laborcoop.accounts.access import can_put_forward, user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.employers.models import JobPosting
from laborcoop.registry.models import Laborer


def laborer_link_panel(request: HttpRequest, laborer: Laborer) -> SafeString:
    """The 推荐岗位 button: the jobs recommended to the laborer."""
    return render_to_string("matching/_laborer_link.html", {"laborer": laborer})


def job_link_panel(request: HttpRequest, job: JobPosting) -> SafeString:
    """The 推荐人选 button: the job's matching pipeline."""
    return render_to_string("matching/_job_link.html", {"job": job})


def laborer_personal_link_panel(request: HttpRequest, laborer: Laborer) -> SafeString:
    """The 个人链接（发微信） button for staff who may edit the laborer (showing the link is audited)."""
    if not user_can(request.user, Cap.REGISTRY_EDIT):
        return SafeString("")
    return render_to_string("matching/_personal_link_action.html", {"laborer": laborer}, request=request)


def market_put_forward_panel(request: HttpRequest, job: JobPosting) -> SafeString:
    """The 推荐本辖区人员 button on a job-market posting, for those who may put a laborer forward."""
    if not can_put_forward(request.user):
        return SafeString("")
    return render_to_string("matching/_market_put_forward_link.html", {"job": job})
