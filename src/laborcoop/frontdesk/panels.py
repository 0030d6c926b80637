"""The front desk's panel on the registry's laborer page (registry.panels), registered in FrontdeskConfig.ready()."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from laborcoop.accounts.access import user_can
from laborcoop.accounts.capabilities import Cap
from laborcoop.frontdesk.contacts import laborer_contacts
from laborcoop.frontdesk.selectors import open_pairs_of_laborer
from laborcoop.registry.models import Laborer


def laborer_duplicates_panel(request: HttpRequest, laborer: Laborer) -> SafeString:
    """The "可能重复" block: the open duplicate pairs of this laborer within the user's scope."""
    pairs = open_pairs_of_laborer(user=request.user, laborer=laborer)
    return render_to_string("frontdesk/_laborer_duplicates.html", {"laborer": laborer, "pairs": pairs})


def laborer_contacts_panel(request: HttpRequest, laborer: Laborer) -> SafeString:
    """The "服务记录" block: the person's window and hotline contacts with their notes (latest first)."""
    if not user_can(request.user, Cap.REGISTRY_VIEW):
        return SafeString("")
    rows = laborer_contacts(user=request.user, laborer=laborer)
    return render_to_string("frontdesk/_laborer_contacts.html", {"laborer": laborer, "contacts": rows})
