"""The demo shows the desks at work: jjr's home lists real due follow-ups, people to register and jobs to pass
on; rexian's home is the call console with recent calls and their notes, which the person's page shows too."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from laborcoop.accounts.models import User
from laborcoop.demo.desks_demo import CALLS, demo_desks_ensure
from laborcoop.demo.generator import regions as demo_regions
from laborcoop.frontdesk.models import ServiceContact
from laborcoop.regions.models import Region

pytestmark = pytest.mark.django_db


def test_demo_desks_at_work(regions: dict[str, Region], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_regions, "regions_complete", lambda: True)
    call_command("demo_setup", laborers=200, stdout=StringIO())

    jjr = Client()
    jjr.force_login(User.objects.get(username="jjr"))
    home = jjr.get("/", follow=True)
    assert home.redirect_chain == [(reverse("tracking:today"), 302)]
    today = home.context["t"]
    assert today.due_count >= 3
    assert today.new_worker_count == 2
    assert today.jobs_to_pass_count >= 1
    html = home.content.decode()
    assert "向小雨" in html

    rexian = Client()
    rexian.force_login(User.objects.get(username="rexian"))
    console = rexian.get("/", follow=True)
    assert console.redirect_chain == [(reverse("frontdesk:index"), 302)]
    assert CALLS[0] in console.content.decode()
    called = ServiceContact.objects.filter(note=CALLS[0]).get()
    person_page = jjr.get(reverse("registry:laborer_detail", args=[called.matched_laborer_id]))
    assert CALLS[0] in person_page.content.decode()

    again = demo_desks_ensure()  # idempotent
    assert (again.new_workers, again.calls) == (2, len(CALLS))
    assert ServiceContact.objects.filter(staff__username="rexian").count() == len(CALLS)
