"""Translate domain errors to HTTP: 404 for missing-or-out-of-scope, 403 for a role that may not act, 409 for
stale edits, 400 with Chinese field messages for validation errors."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from laborcoop.core.errors import ConflictError, ObjectNotFound, PermissionDeniedError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ObjectNotFound):
        return Response({"detail": ObjectNotFound.message}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDeniedError):
        return Response({"detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ConflictError):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail: Any = {field: [m for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)


API_PREFIX = "/api/"


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The project's handler404. Under /api/ every path that matches no route (a non-integer id such as
    /api/v1/laborers/abc/, a typo) answers the API's JSON 404 with the very body of a missing or out-of-scope
    object, rendered the way DRF renders it; pages keep the HTML 404."""
    if not request.path.startswith(API_PREFIX):
        return page_not_found(request, exception or Exception())
    body = JSONRenderer().render({"detail": ObjectNotFound.message})
    return HttpResponse(body, status=status.HTTP_404_NOT_FOUND, content_type="application/json")
