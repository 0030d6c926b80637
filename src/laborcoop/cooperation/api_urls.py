"""/api/v1/ routes of the cooperation app (included by laborcoop.api.urls, namespace "api")."""

from django.urls import URLPattern, URLResolver, path

from laborcoop.cooperation import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("agreements/", apis.AgreementListView.as_view(), name="agreement_list"),
]
