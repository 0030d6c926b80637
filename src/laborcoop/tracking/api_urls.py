"""/api/v1/ routes of the tracking app (included by laborcoop.api.urls, namespace "api")."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
