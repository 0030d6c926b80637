"""Regions: public reference data (the administrative tree), readable by every signed-in user."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from laborcoop.regions.models import Region

REGION_FIELDS = ["code", "name", "level", "parent_code", "prefix", "valid_from", "valid_to", "is_active"]
QUERY_CODE_INVALID = "区划代码应为 2、4、6、9 或 12 位数字。"


class RegionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent_id", read_only=True, allow_null=True)
    is_active = serializers.BooleanField(read_only=True, help_text="现行区划（未撤销）")

    class Meta:
        model = Region
        fields = REGION_FIELDS
        read_only_fields = REGION_FIELDS


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level"]
        read_only_fields = fields


class RegionDetailSerializer(RegionSerializer):
    """One region with its ancestors (province first); the view passes them in the context."""

    ancestors = serializers.SerializerMethodField()

    class Meta(RegionSerializer.Meta):
        fields = [*REGION_FIELDS, "ancestors"]
        read_only_fields = fields

    @extend_schema_field(RegionBriefSerializer(many=True))
    def get_ancestors(self, obj: Region) -> list[dict[str, object]]:
        return list(RegionBriefSerializer(self.context.get("ancestors", []), many=True).data)


class RegionFilterSerializer(serializers.Serializer):
    # The query parameter is `parent`; DRF takes the declared field out of the class body, so it does not
    # shadow Field.parent at run time, but the stubs cannot know that.
    parent = serializers.RegexField(  # type: ignore[assignment]
        r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$",
        required=False,
        default="",
        error_messages={"invalid": QUERY_CODE_INVALID},
        help_text="上级区划代码（2/4/6/9/12 位）；不填则为本账号所属区划",
    )
    q = serializers.CharField(
        required=False, default="", max_length=50, help_text="按名称（或代码前缀）搜索；有 parent 时只在其下搜索"
    )
