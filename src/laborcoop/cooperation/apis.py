"""/api/v1/agreements/: the labor-cooperation agreements the caller may read (cooperation.access)."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.cooperation.selectors import agreement_list
from laborcoop.cooperation.serializers import AgreementFilterSerializer, AgreementSerializer
from laborcoop.core.api.views import ApiView, error_responses

TAGS = ["劳务协作"]


class AgreementListView(ApiView):
    serializer_class = AgreementSerializer

    @extend_schema(
        tags=TAGS,
        summary="劳务协作协议列表（一方地区在本辖区内或为本地区上级的协议）",
        parameters=[AgreementFilterSerializer],
        responses={200: AgreementSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        filters = AgreementFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(
            agreement_list(user=request.user, status=filters.validated_data.get("status", ""))
        )
        return self.get_paginated_response(AgreementSerializer(page, many=True).data)
