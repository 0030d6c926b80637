"""/api/v1/ routes of the comparison (数据比对) feature (included by laborcoop.api.urls)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
