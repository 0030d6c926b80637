"""/api/v1/ routes of person-job matching (included by laborcoop.api.urls)."""

from django.urls import path

from laborcoop.matching import apis

urlpatterns = [
    path("jobs/<int:pk>/candidates/", apis.JobCandidatesView.as_view(), name="job_candidates"),
    path(
        "laborers/<int:pk>/recommendations/",
        apis.LaborerRecommendationsView.as_view(),
        name="laborer_recommendations",
    ),
    path(
        "recommendations/<int:pk>/transition/",
        apis.RecommendationTransitionView.as_view(),
        name="recommendation_transition",
    ),
]
