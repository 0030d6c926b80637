"""/api/v1/ routes of the intake app (included by laborcoop.api.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
