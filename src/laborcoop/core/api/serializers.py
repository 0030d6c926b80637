"""Shapes shared by every resource."""

from rest_framework import serializers


class DetailSerializer(serializers.Serializer):
    """The body of 401, 403, 404 and 409 answers."""

    detail = serializers.CharField()


def warnings_field() -> serializers.DictField:
    """A row's stored `warnings`: `{field: [message, ...]}`, accepted by the writer when it was saved."""
    return serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        read_only=True,
        help_text="校验提示：{字段名: [中文提示]}。通过接口保存时视为已确认，供核对。",
    )


class PatchSerializer(serializers.Serializer):
    """Mixed in before a create body to make the PATCH body: every field optional, absent means unchanged,
    except `version`, the version the client last read (a stale one gets 409)."""

    version = serializers.IntegerField(min_value=1, help_text="必填：读取时的版本号；已被他人修改时返回 409")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name, field in fields.items():
            if name != "version":
                field.required = False
                field.default = serializers.empty
        return fields
