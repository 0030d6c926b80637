"""Turns domain errors raised anywhere below a page view into the right HTTP answer."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from laborcoop.core.errors import ConflictError, ObjectNotFound, PermissionDeniedError


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ObjectNotFound):
            return render(request, "404.html", {"message": ObjectNotFound.message}, status=404)
        if isinstance(exception, PermissionDeniedError):
            return render(request, "403.html", {"message": exception.message}, status=403)
        if isinstance(exception, ConflictError):
            return render(request, "409.html", {"message": exception.message}, status=409)
        return None
