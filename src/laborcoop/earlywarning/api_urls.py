"""/api/v1/ routes of the earlywarning app (included by laborcoop.api.urls, namespace "api")."""

from django.urls import URLPattern, URLResolver, path

from laborcoop.earlywarning import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("warnings/", apis.WarningListView.as_view(), name="warning_list"),
    path("warnings/<int:pk>/handle/", apis.WarningHandleView.as_view(), name="warning_handle"),
    path("warnings/<int:pk>/dismiss/", apis.WarningDismissView.as_view(), name="warning_dismiss"),
    path("warnings/<int:pk>/assign/", apis.WarningAssignView.as_view(), name="warning_assign"),
]
