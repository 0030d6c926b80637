"""/api/v1/: every app's routes under the namespace "api" (each app owns its endpoints in <app>/api_urls.py;
the shared plumbing is laborcoop.core.api)."""

from django.urls import include, path

app_name = "api"
urlpatterns = [
    path("", include("laborcoop.accounts.api_urls")),
    path("", include("laborcoop.registry.api_urls")),
    path("", include("laborcoop.employers.api_urls")),
    path("", include("laborcoop.cooperation.api_urls")),
    path("", include("laborcoop.regions.api_urls")),
    path("", include("laborcoop.intake.api_urls")),
    path("", include("laborcoop.linkage.api_urls")),
    path("", include("laborcoop.employment.api_urls")),
    path("", include("laborcoop.matching.api_urls")),
    path("", include("laborcoop.tracking.api_urls")),
    path("", include("laborcoop.earlywarning.api_urls")),
]
