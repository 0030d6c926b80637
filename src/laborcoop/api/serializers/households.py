"""Households: the output shapes (list row, detail with a members summary) and the request bodies."""

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from laborcoop.api.serializers.laborers import region_code_field
from laborcoop.core.api.serializers import PatchSerializer, warnings_field
from laborcoop.registry import choices as c
from laborcoop.registry.models import Household, Laborer

HOUSEHOLD_FIELDS = [
    "id",
    "household_no",
    "region_code",
    "household_type",
    "poverty_attribute",
    "monitor_category",
    "identified_on",
    "risk_eliminated",
    "poverty_causes",
    "phone_masked",
    "address",
    "member_count",
    "warnings",
    "version",
    "created_at",
    "updated_at",
]


class _HouseholdFields(serializers.ModelSerializer):
    """What a list row and the detail share; each adds `member_count` its own way."""

    region_code = serializers.CharField(source="region_id", read_only=True, help_text="所在村的 12 位区划代码")
    poverty_causes = serializers.ListField(
        child=serializers.ChoiceField(choices=c.PovertyCause.choices), read_only=True
    )
    phone_masked = serializers.SerializerMethodField(help_text="脱敏户联系电话")
    warnings = warnings_field()

    class Meta:
        model = Household
        fields = HOUSEHOLD_FIELDS
        read_only_fields = HOUSEHOLD_FIELDS

    def get_phone_masked(self, obj: Household) -> str:
        return obj.phone_masked


class HouseholdSerializer(_HouseholdFields):
    """A list row; `member_count` comes from an annotation on the list query."""

    member_count = serializers.IntegerField(read_only=True, help_text="家庭成员人数")


class MemberSummarySerializer(serializers.ModelSerializer):
    id_number_masked = serializers.CharField(source="id_masked", read_only=True)

    class Meta:
        model = Laborer
        fields = [
            "id",
            "name",
            "relation",
            "sex",
            "birth_date",
            "id_number_masked",
            "labor_skill",
            "employment_status",
            "unreachable",
        ]
        read_only_fields = fields


class HouseholdDetailSerializer(_HouseholdFields):
    """One household with its members; the view passes the members (already fetched) in the context."""

    member_count = serializers.SerializerMethodField(help_text="家庭成员人数")
    members = serializers.SerializerMethodField()

    class Meta(_HouseholdFields.Meta):
        fields = [*HOUSEHOLD_FIELDS, "members"]
        read_only_fields = fields

    def _members(self) -> list[Laborer]:
        return list(self.context.get("members", []))

    def get_member_count(self, obj: Household) -> int:
        return len(self._members())

    @extend_schema_field(MemberSummarySerializer(many=True))
    def get_members(self, obj: Household) -> list[dict[str, Any]]:
        return list(MemberSummarySerializer(self._members(), many=True).data)


class HouseholdFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, default="", help_text="户编号前缀，或成员姓名、证件号后四位等")
    region = region_code_field(required=False, default="", help_text="12 位区划代码：只看该地区")


class HouseholdWriteSerializer(serializers.Serializer):
    household_no = serializers.CharField(max_length=30)
    region_code = region_code_field(help_text="所在村（12 位区划代码，须在您的管辖范围内）")
    household_type = serializers.ChoiceField(choices=c.HouseholdType.choices)
    poverty_attribute = serializers.ChoiceField(
        choices=c.PovertyAttribute.choices, required=False, allow_blank=True, default=""
    )
    monitor_category = serializers.ChoiceField(
        choices=c.MonitorCategory.choices, required=False, allow_blank=True, default=""
    )
    identified_on = serializers.DateField(required=False, allow_null=True, default=None)
    risk_eliminated = serializers.BooleanField(required=False, allow_null=True, default=None)
    poverty_causes = serializers.ListField(
        child=serializers.ChoiceField(choices=c.PovertyCause.choices), required=False, default=list
    )
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="", write_only=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class HouseholdUpdateSerializer(PatchSerializer, HouseholdWriteSerializer):
    """Body of PATCH: any subset of the fields, plus the `version` the client last read (required)."""


def household_merged_update(household: Household, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The household's stored values with the PATCHed ones on top, in the shape the service reads."""
    current = {
        name: getattr(household, name) for name in HouseholdWriteSerializer._declared_fields if name != "region_code"
    }
    current["region_code"] = household.region_id
    return {**current, **changes}
