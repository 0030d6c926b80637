"""/api/v1/ routes of the accounts app: the API token (included by laborcoop.api.urls, namespace "api")."""

from django.urls import URLPattern, URLResolver, path

from laborcoop.accounts.apis import TokenObtainView

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenObtainView.as_view(), name="token"),
]
