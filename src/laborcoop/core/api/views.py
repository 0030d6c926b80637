"""Pieces shared by the API views."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse
from rest_framework.generics import GenericAPIView

from laborcoop.core.api.serializers import DetailSerializer
from laborcoop.core.errors import ConflictError


class ApiView(GenericAPIView):
    """Base of every authenticated API view.

    Authentication comes from settings (REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]): token first, so that
    an anonymous request gets 401 with `WWW-Authenticate: Token` (with session first, DRF answers 403 because
    sessions have no challenge header), then the browser session.
    """


@contextmanager
def error_fields_renamed(mapping: Mapping[str, str]) -> Iterator[None]:
    """Report a service's ValidationError under the API's field names (the service says `region`, the API
    body says `region_code`)."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise DjangoValidationError(
            {mapping.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from exc


def require_version(instance: Any, expected_version: int) -> None:
    """A PATCH is merged onto the row as fetched, before the service locks it. The services bump `version`
    on every change to the fields merged here, so refusing a fetched row whose version is not the client's
    makes the merge base the very state the service then locks and checks: a concurrent edit is never
    silently overwritten with the values read before it."""
    if instance.version != expected_version:
        raise ConflictError


_DENIED = OpenApiResponse(DetailSerializer, description="未登录（401）")
_FORBIDDEN = OpenApiResponse(DetailSerializer, description="当前角色无此权限（403）")
_NOT_FOUND = OpenApiResponse(DetailSerializer, description="记录不存在或不在您的管辖范围内（404）")
_CONFLICT = OpenApiResponse(DetailSerializer, description="记录已被他人修改（409），请刷新后重试")
_INVALID = OpenApiResponse(description="字段校验错误（400）：{字段名: [中文提示]}")


def error_responses(*codes: int) -> dict[int, Any]:
    """The documented error answers of an operation."""
    table = {400: _INVALID, 401: _DENIED, 403: _FORBIDDEN, 404: _NOT_FOUND, 409: _CONFLICT}
    return {code: table[code] for code in codes}
