"""What the OpenAPI schema says, made true of what the API answers (the schemathesis run in
tests/api/test_schemathesis.py holds every operation to it).

- `ApiAutoSchema`: a read-only choice field of a ModelSerializer says what its column can hold. DRF drops
  `allow_blank` from read-only fields, so a column with `blank=True` (婚姻状况 not given) was documented as an enum
  without "" and every row without a value violated the schema.
- `document_errors` (a postprocessing hook): the answers every operation of a kind gives without saying so in its
  own `@extend_schema`: 404 (JSON, the same body for missing and out-of-scope) for a path with an id, 400 for a
  paginated list (page or page size not valid), 401 for every operation behind authentication, 429 for a
  throttled one; and `allowEmptyValue` on optional query parameters, which DRF reads as left out when empty.
"""

from typing import Any

from django.db import models
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

DETAIL_REF = "#/components/schemas/Detail"
ERROR_DESCRIPTIONS = {
    "400": "字段或查询参数无效（400）：{字段名: [中文提示]}",
    "401": "未登录（401）",
    "404": "记录不存在或不在您的管辖范围内（404）",
    "415": "请求体的格式（Content-Type）不受支持或无法解析（415）",
    "429": "请求过于频繁（429），请稍后重试",
}


def _model_field(field: serializers.Field) -> models.Field | None:
    """The model column behind a ModelSerializer field (following dotted sources), or None."""
    parent = field.parent
    meta = getattr(parent, "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or field.source in ("*", None):
        return None
    model_field: Any = None
    for name in field.source.split("."):
        if model is None:
            return None
        try:
            model_field = model._meta.get_field(name)
        except Exception:
            return None
        model = getattr(model_field, "related_model", None)
    return model_field if isinstance(model_field, models.Field) else None


class ApiAutoSchema(AutoSchema):
    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> dict[str, Any]:
        if isinstance(field, serializers.ChoiceField) and field.read_only:
            model_field = _model_field(field)
            if model_field is not None:
                if model_field.blank and isinstance(model_field, models.CharField | models.TextField):
                    field.allow_blank = True
                if model_field.null:
                    field.allow_null = True
        result: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        return result

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        bodies: dict[str, Any] = super()._get_response_bodies(direction)
        if getattr(self.view, "throttle_classes", None) and direction == "response":
            bodies.setdefault("429", _error_response("429"))
        return bodies


def _error_response(code: str) -> dict[str, Any]:
    response: dict[str, Any] = {"description": ERROR_DESCRIPTIONS[code]}
    if code != "400":
        response["content"] = {"application/json": {"schema": {"$ref": DETAIL_REF}}}
    else:
        response["content"] = {
            "application/json": {
                "schema": {
                    "type": "object",
                    "additionalProperties": {},
                    "description": "{字段名: [中文提示]}；嵌套的列表字段按条目给出",
                }
            }
        }
    return response


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Postprocessing hook: add the error answers each operation gives by its kind (see the module docstring)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    if "Detail" not in schemas:
        schemas["Detail"] = {
            "type": "object",
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        }
    for path, item in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            params = operation.get("parameters", [])
            wanted = []
            if any(p.get("in") == "path" for p in params):
                wanted.append("404")
            if any(p.get("in") == "query" for p in params) or method in ("post", "put", "patch"):
                wanted.append("400")
            if operation.get("security") and {} not in operation["security"]:
                wanted.append("401")
            if "requestBody" in operation:  # a body DRF's parsers cannot read (damaged multipart, other types)
                wanted.append("415")
            for code in wanted:
                responses.setdefault(code, _error_response(code))
            for param in params:
                # DRF reads an empty query value (`?q=`) of an optional parameter as the parameter left out.
                if param.get("in") == "query" and not param.get("required"):
                    param["allowEmptyValue"] = True
    return result
