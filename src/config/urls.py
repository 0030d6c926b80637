from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from laborcoop.core.views import healthz

# Swagger UI under the strict CSP: the split view loads its start-up script from /api/docs/?script instead of
# inlining it, so script-src stays 'self'. Only the page's own <style> block (drf-spectacular's template) and
# the style attributes Swagger UI writes need inline styles, on this page alone.
api_docs = csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="schema"))

urlpatterns = [
    path("", include("laborcoop.reports.urls")),
    path("accounts/", include("laborcoop.accounts.urls")),
    path("registry/", include("laborcoop.registry.urls")),
    path("employers/", include("laborcoop.employers.urls")),
    path("cooperation/", include("laborcoop.cooperation.urls")),
    path("employment/", include("laborcoop.employment.urls")),
    path("matching/", include("laborcoop.matching.urls")),
    path("", include("laborcoop.tracking.urls")),  # /tracking/ and /employment/states|settings/ (see there)
    path("warnings/", include("laborcoop.earlywarning.urls")),
    path("notifications/", include("laborcoop.notifications.urls")),
    path("core/", include("laborcoop.audit.urls")),  # the audit pages keep their /core/ paths
    path("intake/", include("laborcoop.intake.urls")),
    path("exports/", include("laborcoop.exports.urls")),
    path("linkage/", include("laborcoop.linkage.urls")),
    path("frontdesk/", include("laborcoop.frontdesk.urls")),
    path("regions/", include("laborcoop.regions.urls")),
    path("api/v1/", include("laborcoop.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs, name="swagger-ui"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

# /api/ paths that match no route answer the API's JSON 404; pages keep the HTML one.
handler404 = "laborcoop.core.api.errors.not_found"
