"""Response headers that every page and API answer carries (docs/architecture.md, "Security headers").

Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY); X-Content-Type-Options,
X-Frame-Options and Referrer-Policy from Django's own middleware settings. This adds the two Django has no
setting for: Permissions-Policy, and `Cache-Control: no-store` on everything Django renders.

Why no-store on every rendered response, not only on logged-in pages: almost every page and API answer carries
personal data, and the anonymous ones either do too (the laborer's personal-link page, the lockout page with
the typed user name) or are worthless to cache (the login form, error pages). One rule with no exception is one
that a new view cannot forget. Static files never reach this middleware: WhiteNoise answers them further up
the stack with its own long-lived caching headers.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers

# Browser features no page of the platform uses, switched off for the page and any frame it might embed.
# Only names Chromium recognises: an unknown one is a console error on every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Replaces any weaker Cache-Control a view set: `no-store` must win over a `max-age`.
        if "no-store" not in response.get("Cache-Control", ""):
            if "Cache-Control" in response:
                del response["Cache-Control"]
            add_never_cache_headers(response)
        response["Pragma"] = "no-cache"  # HTTP/1.0 caches and proxies that ignore Cache-Control
        return response
