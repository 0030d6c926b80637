"""/api/v1/ routes of the regions app: the administrative tree (included by laborcoop.api.urls, namespace
"api")."""

from django.urls import URLPattern, URLResolver, path

from laborcoop.regions import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("regions/", apis.RegionListView.as_view(), name="region_list"),
    path("regions/<str:code>/", apis.RegionDetailView.as_view(), name="region_detail"),
]
