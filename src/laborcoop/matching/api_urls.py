"""/api/v1/ routes of person-job matching (included by laborcoop.api.urls)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
