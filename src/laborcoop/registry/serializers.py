"""Households and laborers (household members): the output shapes and the request bodies of the API.

The output never carries `id_number_enc`, `id_number_hash` or the clear number: only `id_number_masked`.
Phones are shown masked (`phone_masked`); the clear phone stays on the server. Request bodies are parsed here
only; the rules live in the services.
"""

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from laborcoop.core.api.serializers import PatchSerializer, warnings_field
from laborcoop.registry import choices as c
from laborcoop.registry.models import Household, Laborer

REGION_CODE_INVALID = "区划代码应为 12 位数字。"


def _choices(choices: Any, *, optional: bool = False, **kwargs: Any) -> serializers.ChoiceField:
    if optional:
        return serializers.ChoiceField(choices=choices, required=False, allow_blank=True, default="", **kwargs)
    return serializers.ChoiceField(choices=choices, **kwargs)


def _choice_list(choices: Any, **kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), **kwargs)


def region_code_field(**kwargs: Any) -> serializers.RegexField:
    return serializers.RegexField(r"^\d{12}$", error_messages={"invalid": REGION_CODE_INVALID}, max_length=12, **kwargs)


class LaborerSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True, help_text="所在村的 12 位区划代码")
    household_id = serializers.IntegerField(read_only=True)
    household_no = serializers.CharField(source="household.household_no", read_only=True)
    id_number_masked = serializers.CharField(source="id_masked", read_only=True, help_text="脱敏证件号码")
    phone_masked = serializers.SerializerMethodField(help_text="脱敏联系电话，如 138****5678")
    health = _choice_list(c.Health.choices, read_only=True)
    work_region_willingness = _choice_list(c.WILLINGNESS_CHOICES, read_only=True)
    intended_occupations = serializers.ListField(child=serializers.CharField(), read_only=True)
    intended_regions = serializers.ListField(child=serializers.CharField(), read_only=True)
    training_needs = _choice_list(c.TrainingNeed.choices, read_only=True)
    warnings = warnings_field()

    class Meta:
        model = Laborer
        fields = [
            "id",
            "region_code",
            "household_id",
            "household_no",
            "person_no",
            "name",
            "id_type",
            "id_number_masked",
            "sex",
            "birth_date",
            "ethnicity",
            "relation",
            "education",
            "student_status",
            "health",
            "disability_category",
            "labor_skill",
            "political_status",
            "marital_status",
            "phone_masked",
            "qualification",
            "skills",
            "employment_status",
            "employer_name",
            "work_area",
            "work_region_willingness",
            "intended_occupations",
            "intended_regions",
            "expected_wage",
            "training_needs",
            "unreachable",
            "unreachable_since",
            "warnings",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_phone_masked(self, obj: Laborer) -> str:
        return obj.phone_masked


class LaborerFilterSerializer(serializers.Serializer):
    """Query parameters of the laborer list; the same search as the registry pages."""

    q = serializers.CharField(
        required=False, default="", help_text="姓名或姓名前缀、完整证件号码、证件号后四位、手机号或其后四位"
    )
    region = serializers.RegexField(
        r"^\d{12}$",
        required=False,
        default="",
        error_messages={"invalid": REGION_CODE_INVALID},
        help_text="12 位区划代码：只看该地区（在您的管辖范围内）",
    )
    labor_skill = _choices(c.LaborSkill.choices, optional=True, help_text="劳动技能")
    employment_status = _choices(c.EmploymentStatus.choices, optional=True, help_text="就业状态")


class LaborerWriteSerializer(serializers.Serializer):
    """Body of registering a household member. The ID number is parsed and checked by the service."""

    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(
        max_length=30, write_only=True, help_text="18 位身份证号；15 位旧号自动升级；残疾人证号（20/22 位）"
    )
    relation = _choices(c.Relation.choices)
    person_no = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    ethnicity = serializers.CharField(max_length=20, required=False, allow_blank=True, default="汉族")
    education = _choices(c.Education.choices, optional=True)
    student_status = _choices(c.StudentStatus.choices, optional=True)
    health = _choice_list(c.Health.choices, allow_empty=False)
    disability_category = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    labor_skill = _choices(c.LaborSkill.choices)
    political_status = serializers.ChoiceField(
        choices=c.PoliticalStatus.choices, required=False, default=c.PoliticalStatus.MASSES
    )
    marital_status = _choices(c.MaritalStatus.choices, optional=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="", write_only=True)
    qualification = _choices(c.Qualification.choices, optional=True)
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    employment_status = serializers.ChoiceField(
        choices=c.EmploymentStatus.choices, required=False, default=c.EmploymentStatus.UNEMPLOYED
    )
    employer_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    work_area = _choices(c.WorkArea.choices, optional=True)
    work_region_willingness = _choice_list(c.WILLINGNESS_CHOICES, required=False, default=list)
    intended_occupations = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, default=list
    )
    intended_regions = serializers.ListField(child=region_code_field(), required=False, default=list)
    expected_wage = serializers.IntegerField(
        min_value=0, max_value=100000, required=False, allow_null=True, default=None
    )
    training_needs = _choice_list(c.TrainingNeed.choices, required=False, default=list)
    unreachable = serializers.BooleanField(required=False, default=False)


class LaborerUpdateSerializer(PatchSerializer, LaborerWriteSerializer):
    """Body of PATCH: any subset of the fields, plus the `version` the client last read (required).

    `id_number` left out keeps the stored number.
    """


def laborer_merged_update(laborer: Laborer, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The laborer's stored values with the PATCHed ones on top, in the shape the service reads.

    `id_number` defaults to blank, which makes the service keep the stored number.
    """
    names = [name for name in LaborerWriteSerializer._declared_fields if name != "id_number"]
    current = {name: getattr(laborer, name) for name in names}
    return {**current, "id_number": "", **changes}


class RevealRequestSerializer(serializers.Serializer):
    # Blank is let through so that a user without the grant hears 403 before any 400 about the reason;
    # the service then rejects a blank reason with its own message.
    reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="必填：查看原因（记入审计）"
    )


class RevealResponseSerializer(serializers.Serializer):
    id_number = serializers.CharField(help_text="完整证件号码")


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
