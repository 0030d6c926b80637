"""/api/v1/ routes of person-job matching (included by laborcoop.api.urls)."""

from django.urls import path

from laborcoop.matching import apis, run_apis

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
    path("matching-runs/", run_apis.MatchingRunListView.as_view(), name="matching_run_list"),
    path("matching-runs/<int:pk>/", run_apis.MatchingRunDetailView.as_view(), name="matching_run_detail"),
    path("matching-runs/<int:pk>/retry/", run_apis.MatchingRunRetryView.as_view(), name="matching_run_retry"),
]
