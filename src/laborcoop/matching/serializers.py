"""API shapes of matching (kept beside the app; the API layer routes to matching.apis)."""

from rest_framework import serializers

from laborcoop.matching.choices import InterviewMode, RecState


class FactorSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    points = serializers.FloatField()
    explanation = serializers.CharField()


class IdentitySerializer(serializers.Serializer):
    name = serializers.CharField(help_text="企业用户在求职者表示有意向前只看到姓氏，如“张**”")
    id_masked = serializers.CharField()
    phone = serializers.CharField(help_text="企业用户在求职者表示有意向前为空")


class RecommendationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    job_id = serializers.IntegerField()
    job_title = serializers.CharField()
    enterprise = serializers.CharField()
    laborer_id = serializers.IntegerField()
    laborer = IdentitySerializer()
    state = serializers.ChoiceField(choices=RecState.choices)
    state_label = serializers.CharField()
    score = serializers.FloatField()
    factors = FactorSerializer(many=True)
    decline_reason = serializers.CharField()
    interview_at = serializers.DateTimeField(allow_null=True)
    interview_mode = serializers.CharField(help_text="onsite 现场面试，online 线上面试；未安排为空")
    interview_place = serializers.CharField(help_text="面试地点（线上面试为方式，如微信视频）")
    interview_note = serializers.CharField(help_text="面试说明")
    hire_date = serializers.DateField(allow_null=True)
    result_note = serializers.CharField()
    version = serializers.IntegerField()


class RecommendationListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = RecommendationSerializer(many=True)


class RunSerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=200, required=False)


class TransitionSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=RecState.choices)
    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    interview_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="面试时间（状态为面试时必填，不早于今天）"
    )
    interview_mode = serializers.ChoiceField(
        choices=InterviewMode.choices, required=False, allow_blank=True, default="", help_text="面试方式（面试时必填）"
    )
    interview_place = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="面试地点（现场面试必填）"
    )
    interview_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    hire_date = serializers.DateField(required=False, allow_null=True, default=None)
    confirm_over_hire = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "确认超额录用：岗位招聘人数已满时，录用/已上岗须设为 true，招聘人数随之增加（记入审计）；"
            "否则返回 400（confirm_over_hire：该岗位招聘人数已满……）。"
        ),
    )
