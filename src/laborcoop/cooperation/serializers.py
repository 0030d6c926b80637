from typing import Any

from django.utils import timezone
from rest_framework import serializers

from laborcoop.cooperation.models import Agreement, AgreementStatus


class AgreementFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=AgreementStatus.choices, required=False, error_messages={"invalid_choice": "未知的状态：{input}。"}
    )


class AgreementSerializer(serializers.ModelSerializer):
    output_region_code = serializers.CharField(source="output_region_id", read_only=True)
    output_region_name = serializers.CharField(source="output_region.name", read_only=True)
    input_region_code = serializers.CharField(source="input_region_id", read_only=True)
    input_region_name = serializers.CharField(source="input_region.name", read_only=True)
    title = serializers.CharField(source="display_title", read_only=True)
    state = serializers.SerializerMethodField(help_text="状态（待对方确认、生效、已到期、已终止）")

    class Meta:
        model = Agreement
        fields = [
            "id",
            "title",
            "output_region_code",
            "output_region_name",
            "input_region_code",
            "input_region_name",
            "start_date",
            "end_date",
            "fields",
            "target_transfer",
            "target_training",
            "target_jobs",
            "output_subsidy",
            "input_subsidy",
            "output_contact_name",
            "output_contact_phone",
            "input_contact_name",
            "input_contact_phone",
            "status",
            "state",
            "confirmed_at",
        ]
        read_only_fields = fields

    def get_state(self, obj: Any) -> str:
        return str(obj.state_label(timezone.localdate()))
