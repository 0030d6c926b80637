from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from laborcoop.core.views import healthz

urlpatterns = [
    path("", include("laborcoop.reports.urls")),
    path("accounts/", include("laborcoop.accounts.urls")),
    path("registry/", include("laborcoop.registry.urls")),
    path("employers/", include("laborcoop.employers.urls")),
    path("employment/", include("laborcoop.employment.urls")),
    path("matching/", include("laborcoop.matching.urls")),
    path("tracking/", include("laborcoop.tracking.urls")),
    path("warnings/", include("laborcoop.earlywarning.urls")),
    path("notifications/", include("laborcoop.notifications.urls")),
    path("core/", include("laborcoop.core.urls")),
    path("intake/", include("laborcoop.intake.urls")),
    path("exports/", include("laborcoop.exports.urls")),
    path("linkage/", include("laborcoop.linkage.urls")),
    path("frontdesk/", include("laborcoop.frontdesk.urls")),
    path("api/v1/", include("laborcoop.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
