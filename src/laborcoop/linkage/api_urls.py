"""/api/v1/ routes of the comparison (数据比对) feature (included by laborcoop.api.urls)."""

from django.urls import path

from laborcoop.linkage import apis

urlpatterns = [
    path("comparisons/", apis.ComparisonListView.as_view(), name="comparison_list"),
    path("comparisons/<int:pk>/", apis.ComparisonDetailView.as_view(), name="comparison_detail"),
    path("comparisons/<int:pk>/retry/", apis.ComparisonRetryView.as_view(), name="comparison_retry"),
]
