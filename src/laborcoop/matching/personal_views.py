"""Staff's view of a laborer's personal link (POST: showing it is audited). Thin: parse, call, render."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from laborcoop.matching.services.personal_link import personal_link_reveal
from laborcoop.matching.tokens import LINK_VALID_DAYS
from laborcoop.registry.access import access_laborer


@login_required
@require_POST
def personal_link(request: HttpRequest, pk: int) -> HttpResponse:
    link = personal_link_reveal(acting_user=request.user, laborer_id=pk)
    laborer = access_laborer(user=request.user, laborer_id=pk)
    context = {
        "laborer": laborer,
        "link": link,
        "valid_days": LINK_VALID_DAYS,
        "absolute": link.startswith(("http://", "https://")),
    }
    response = render(request, "matching/personal_link.html", context)
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"  # the page holds the token
    return response
