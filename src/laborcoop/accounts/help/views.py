"""The help page: the guide of the reader's role, with their own menu explained."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from laborcoop.accounts.help.guides import GUIDE_TITLES, guide_for, menu_help_for


def help_view(request: HttpRequest) -> HttpResponse:
    """Open to everyone: a visitor who is not signed in reads how to sign in."""
    guide = guide_for(request.user)
    context = {"guide": guide, "guide_title": GUIDE_TITLES[guide], "menu": menu_help_for(request.user)}
    return render(request, f"accounts/help/{guide}.html", context)
