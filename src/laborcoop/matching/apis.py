"""/api/v1/ endpoints of matching: ranked candidates of a job, ranked jobs of a laborer (GET: stored pipeline,
POST: run the engine now), and the state transitions of a recommendation."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from laborcoop.accounts.capabilities import Cap
from laborcoop.core.api.views import ApiView, error_responses
from laborcoop.employers.access import access_job
from laborcoop.matching import services
from laborcoop.matching.access import access_recommendation
from laborcoop.matching.selectors import (
    named_for_page,
    recommendation_item,
    recommendation_list_for_job,
    recommendation_list_for_laborer,
)
from laborcoop.matching.serializers import (
    RecommendationListSerializer,
    RecommendationSerializer,
    RunSerializer,
    TransitionSerializer,
)
from laborcoop.registry.access import access_laborer

TAGS = ["人岗匹配"]


def _listing(user: Any, recs: Any) -> Response:
    recs = list(recs)
    named = named_for_page(user=user, recommendations=recs)
    items = [recommendation_item(user=user, recommendation=rec, named=rec.laborer_id in named) for rec in recs]
    return Response(RecommendationListSerializer({"count": len(items), "results": items}).data)


def _limit(request: Request) -> int | None:
    body = RunSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    limit: int | None = body.validated_data.get("limit")
    return limit


class JobCandidatesView(ApiView):
    serializer_class = RecommendationListSerializer
    parser_classes = [JSONParser]  # an optional JSON body; a form that parses to nothing must not pass as one

    @extend_schema(
        tags=TAGS,
        summary="岗位的推荐人选（按得分排序，含得分构成；企业用户在求职者表示有意向前只看到脱敏信息）",
        responses={200: RecommendationListSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        job = access_job(user=request.user, job_id=pk)
        return _listing(request.user, recommendation_list_for_job(user=request.user, job=job))

    @extend_schema(
        tags=TAGS,
        summary="为岗位重新匹配人选（通知新推荐的劳动者）",
        request=RunSerializer,
        responses={200: RecommendationListSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        job = access_job(user=request.user, job_id=pk, cap=Cap.JOBS_EDIT)
        services.recommendations_for_job(acting_user=request.user, job=job, limit=_limit(request) or 50)
        return _listing(request.user, recommendation_list_for_job(user=request.user, job=job))


class LaborerRecommendationsView(ApiView):
    serializer_class = RecommendationListSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="劳动者的推荐岗位（按得分排序，含得分构成）",
        responses={200: RecommendationListSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        laborer = access_laborer(user=request.user, laborer_id=pk)
        return _listing(request.user, recommendation_list_for_laborer(user=request.user, laborer=laborer))

    @extend_schema(
        tags=TAGS,
        summary="为劳动者重新匹配岗位（通知新推荐的岗位）",
        request=RunSerializer,
        responses={200: RecommendationListSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        laborer = access_laborer(user=request.user, laborer_id=pk, cap=Cap.REGISTRY_EDIT)
        services.recommendations_for_laborer(acting_user=request.user, laborer=laborer, limit=_limit(request) or 20)
        return _listing(request.user, recommendation_list_for_laborer(user=request.user, laborer=laborer))


class RecommendationTransitionView(ApiView):
    serializer_class = RecommendationSerializer

    @extend_schema(
        tags=TAGS,
        summary="变更推荐状态（推荐→已通知→有意向/无意向→面试→录用/未录用→已上岗）",
        request=TransitionSerializer,
        responses={200: RecommendationSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        rec = access_recommendation(user=request.user, recommendation_id=pk)
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        saved = services.recommendation_transition(
            acting_user=request.user,
            recommendation=rec,
            to_state=data["state"],
            expected_version=data["version"],
            reason=data["reason"],
            note=data["note"],
            interview=services.Interview(
                at=data["interview_at"],
                mode=data["interview_mode"],
                place=data["interview_place"],
                note=data["interview_note"],
            ),
            hire_date=data["hire_date"],
            confirm_over_hire=data["confirm_over_hire"],
        )
        return Response(RecommendationSerializer(recommendation_item(user=request.user, recommendation=saved)).data)
