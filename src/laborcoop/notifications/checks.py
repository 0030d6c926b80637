"""Deployment checks (`manage.py check --deploy`): messages sent to people need the public address of the site.

Without `LABORCOOP_PUBLIC_URL` an SMS would carry a bare path ("/matching/r/...") that no phone can open.
"""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

E_PUBLIC_URL_MISSING = "laborcoop.E001"
E_PUBLIC_URL_INVALID = "laborcoop.E002"
PUBLIC_URL_MISSING = "LABORCOOP_PUBLIC_URL is not set: links in SMS and e-mail would be relative paths."
PUBLIC_URL_INVALID = "LABORCOOP_PUBLIC_URL must be an absolute http(s) address without a path, query or fragment."
PUBLIC_URL_HINT = "Set LABORCOOP_PUBLIC_URL to the site's public address, e.g. https://laowu.example.gov.cn"


def public_url_problem(value: str) -> str:
    """ "" when `value` is a usable public base URL, else the check id of the problem."""
    if not value:
        return E_PUBLIC_URL_MISSING
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        return E_PUBLIC_URL_INVALID
    if parts.path.strip("/"):
        return E_PUBLIC_URL_INVALID
    return ""


@register("laborcoop", deploy=True)
def check_public_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problem = public_url_problem(str(getattr(settings, "LABORCOOP_PUBLIC_URL", "") or ""))
    if problem == E_PUBLIC_URL_MISSING:
        return [Error(PUBLIC_URL_MISSING, hint=PUBLIC_URL_HINT, id=problem)]
    if problem == E_PUBLIC_URL_INVALID:
        return [Error(PUBLIC_URL_INVALID, hint=PUBLIC_URL_HINT, id=problem)]
    return []
