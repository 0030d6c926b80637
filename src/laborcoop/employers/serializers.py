"""Enterprises and job postings: output shapes and request bodies. The enterprise contact phone is business
data and is shown in full."""

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from laborcoop.core.api.serializers import PatchSerializer
from laborcoop.core.codes import Education
from laborcoop.employers import choices as c
from laborcoop.employers.models import Enterprise, JobPosting


# A job's requirements reuse the laborer's code lists (性别, 文化程度) under other field names. Each gets its own
# enum component so that the schema does not give one code list two generated names.
@extend_schema_field(
    serializers.ChoiceField(choices=c.SexRequirement.choices, allow_blank=True), component_name="SexRequirementEnum"
)
class SexRequirementField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=c.SexRequirement.choices, allow_blank=True, **kwargs)


@extend_schema_field(
    serializers.ChoiceField(choices=Education.choices, allow_blank=True), component_name="EducationMinEnum"
)
class EducationMinField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Education.choices, allow_blank=True, **kwargs)


ENTERPRISE_FIELDS = [
    "id",
    "name",
    "uscc",
    "region_code",
    "region_name",
    "industry",
    "size",
    "contact_name",
    "contact_phone",
    "address",
    "is_assist_workshop",
    "is_assist_base",
    "description",
    "version",
    "created_at",
    "updated_at",
]


class EnterpriseSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True, help_text="12 位区划代码")
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Enterprise
        fields = ENTERPRISE_FIELDS
        read_only_fields = ENTERPRISE_FIELDS


class EnterpriseListSerializer(EnterpriseSerializer):
    open_jobs = serializers.IntegerField(read_only=True, help_text="招聘中的岗位数")

    class Meta(EnterpriseSerializer.Meta):
        fields = [*ENTERPRISE_FIELDS, "open_jobs"]
        read_only_fields = fields


class EnterpriseFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, default="", help_text="企业名称的一部分，或完整统一社会信用代码")
    industry = serializers.ChoiceField(
        choices=c.Industry.choices, required=False, allow_blank=True, default="", help_text="所属行业"
    )
    is_assist_workshop = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="就业帮扶车间"
    )
    is_assist_base = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="就业帮扶基地")


class EnterpriseWriteSerializer(serializers.Serializer):
    """Body of registering an enterprise; the credit code and region are checked by the service."""

    name = serializers.CharField(max_length=100)
    uscc = serializers.CharField(max_length=30, help_text="统一社会信用代码（18 位）")
    region_code = serializers.CharField(max_length=12, help_text="县（市、区）或以下一级的区划代码，须在您的管辖范围内")
    industry = serializers.ChoiceField(choices=c.Industry.choices)
    size = serializers.ChoiceField(choices=c.EnterpriseSize.choices)
    contact_name = serializers.CharField(max_length=30)
    contact_phone = serializers.CharField(max_length=30, help_text="手机号码或固定电话（如 0743-4221234）")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    is_assist_workshop = serializers.BooleanField(required=False, default=False)
    is_assist_base = serializers.BooleanField(required=False, default=False)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class EnterpriseUpdateSerializer(PatchSerializer, EnterpriseWriteSerializer):
    """Body of PATCH: any subset of the fields plus `version`. Enterprise users cannot change the credit
    code, the region or the assistance designations."""


def enterprise_merged_update(enterprise: Enterprise, changes: Mapping[str, Any]) -> dict[str, Any]:
    names = [name for name in EnterpriseWriteSerializer._declared_fields if name != "region_code"]
    current = {name: getattr(enterprise, name) for name in names}
    return {**current, "region_code": enterprise.region_id, **changes}


JOB_FIELDS = [
    "id",
    "enterprise_id",
    "enterprise_name",
    "region_code",
    "title",
    "occupation",
    "openings",
    "wage_min",
    "wage_max",
    "work_region_code",
    "work_region_name",
    "age_min",
    "age_max",
    "sex_requirement",
    "education_min",
    "provides_accommodation",
    "provides_meals",
    "is_low_threshold",
    "valid_from",
    "valid_until",
    "status",
    "description",
    "version",
    "created_at",
    "updated_at",
]


class JobSerializer(serializers.ModelSerializer):
    enterprise_id = serializers.IntegerField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True, help_text="企业所在地区代码")
    work_region_code = serializers.CharField(source="work_region_id", read_only=True, help_text="工作地点代码")
    work_region_name = serializers.CharField(source="work_region.name", read_only=True)
    sex_requirement = SexRequirementField(read_only=True, help_text="性别要求（空为不限）")
    education_min = EducationMinField(read_only=True, help_text="最低学历（空为不限）")

    class Meta:
        model = JobPosting
        fields = JOB_FIELDS
        read_only_fields = JOB_FIELDS


class JobFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, default="", help_text="岗位名称、工种或企业名称的一部分")
    status = serializers.ChoiceField(
        choices=c.JobStatus.choices, required=False, allow_blank=True, default="", help_text="岗位状态"
    )
    open_only = serializers.BooleanField(required=False, default=False, help_text="只看招聘中且在有效期内的岗位")
    enterprise = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="企业 id")


class JobWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    occupation = serializers.CharField(max_length=50)
    openings = serializers.IntegerField(min_value=1, max_value=100000)
    wage_min = serializers.IntegerField(min_value=0, max_value=10_000_000, help_text="月薪下限（元）")
    wage_max = serializers.IntegerField(min_value=0, max_value=10_000_000, help_text="月薪上限（元）")
    work_region_code = serializers.CharField(max_length=12, help_text="工作地点：县（市、区）或以下一级的区划代码")
    age_min = serializers.IntegerField(min_value=0, max_value=200, required=False, default=16)
    age_max = serializers.IntegerField(min_value=0, max_value=200, required=False, default=60)
    sex_requirement = SexRequirementField(required=False, default="", help_text="性别要求（空为不限）")
    education_min = EducationMinField(required=False, default="", help_text="最低学历（空为不限）")
    provides_accommodation = serializers.BooleanField(required=False, default=False)
    provides_meals = serializers.BooleanField(required=False, default=False)
    is_low_threshold = serializers.BooleanField(required=False, default=False)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")


class JobCreateSerializer(JobWriteSerializer):
    enterprise_id = serializers.IntegerField(help_text="发布岗位的企业 id（须在您的管辖范围内）")


class JobUpdateSerializer(PatchSerializer, JobWriteSerializer):
    """Body of PATCH: any subset of the terms plus `version`. The status changes through /status/."""


def job_merged_update(job: JobPosting, changes: Mapping[str, Any]) -> dict[str, Any]:
    names = [name for name in JobWriteSerializer._declared_fields if name != "work_region_code"]
    current = {name: getattr(job, name) for name in names}
    return {**current, "work_region_code": job.work_region_id, **changes}


class JobStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=c.JobStatus.choices)
    version = serializers.IntegerField(min_value=1, help_text="读取时的版本号；已被他人修改时返回 409")


# --- the job market (/api/v1/job-market/) ----------------------------------------------------------------------


class JobMarketSerializer(serializers.ModelSerializer):
    """An open posting on the job market: public terms only (no contact person or phone). `work_region_path` is
    read from the serializer context's `region_names` (a regions.paths.RegionNames loaded for the page)."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    work_region_code = serializers.CharField(source="work_region_id", read_only=True, help_text="工作地点代码")
    work_region_path = serializers.SerializerMethodField(help_text="工作地点全称，如“山东省/济南市/济阳区”")
    region_code = serializers.CharField(source="region_id", read_only=True, help_text="企业所在地区代码")

    class Meta:
        model = JobPosting
        fields = [
            "id",
            "title",
            "occupation",
            "enterprise_name",
            "region_code",
            "work_region_code",
            "work_region_path",
            "wage_min",
            "wage_max",
            "openings",
            "provides_accommodation",
            "provides_meals",
            "is_low_threshold",
            "valid_from",
            "valid_until",
        ]
        read_only_fields = fields

    def get_work_region_path(self, job: JobPosting) -> str:
        names = self.context.get("region_names")
        return str(names.path(job.work_region_id)) if names is not None else ""


class JobMarketDetailSerializer(JobMarketSerializer):
    class Meta(JobMarketSerializer.Meta):
        fields = [*JobMarketSerializer.Meta.fields, "age_min", "age_max", "description"]
        read_only_fields = fields


class JobMarketFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, default="", help_text="岗位名称、工种或企业名称的一部分")
    region = serializers.RegexField(
        r"^\d{12}$",
        required=False,
        default="",
        help_text="工作地区代码（12 位）：只看该地区及下级",
        error_messages={"invalid": "地区代码应为 12 位数字。"},
    )
    occupation = serializers.CharField(required=False, default="", help_text="工种的一部分")
    wage_min = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, help_text="月薪不低于（元，按上限比较）"
    )
    distance = serializers.ChoiceField(
        choices=[("county", "县内"), ("province", "省内"), ("outside", "省外")],
        required=False,
        allow_blank=True,
        default="",
        help_text="相对本人所在地区：county 县内、province 省内、outside 省外",
    )
    accommodation = serializers.BooleanField(required=False, default=False, help_text="只看提供住宿的岗位")
    order = serializers.ChoiceField(
        choices=[("wage", "月薪从高到低")], required=False, allow_blank=True, default="", help_text="默认最新发布在前"
    )
