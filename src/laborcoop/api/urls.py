"""/api/v1/: token auth, households and laborers, enterprises and jobs, regions."""

from django.urls import include, path

from laborcoop.accounts.apis import TokenObtainView
from laborcoop.api.views import enterprises, households, jobs, laborers, regions

app_name = "api"
urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token"),
    path("households/", households.HouseholdListView.as_view(), name="household_list"),
    path("households/<int:pk>/", households.HouseholdDetailView.as_view(), name="household_detail"),
    path("households/<int:pk>/members/", households.HouseholdMemberCreateView.as_view(), name="household_members"),
    path("laborers/", laborers.LaborerListView.as_view(), name="laborer_list"),
    path("laborers/<int:pk>/", laborers.LaborerDetailView.as_view(), name="laborer_detail"),
    path("laborers/<int:pk>/reveal-id/", laborers.LaborerRevealIdView.as_view(), name="laborer_reveal_id"),
    path("enterprises/", enterprises.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/<int:pk>/", enterprises.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("jobs/", jobs.JobListView.as_view(), name="job_list"),
    path("jobs/<int:pk>/", jobs.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/status/", jobs.JobStatusView.as_view(), name="job_status"),
    path("regions/", regions.RegionListView.as_view(), name="region_list"),
    path("regions/<str:code>/", regions.RegionDetailView.as_view(), name="region_detail"),
    path("", include("laborcoop.intake.api_urls")),
    path("", include("laborcoop.linkage.api_urls")),
    path("", include("laborcoop.employment.api_urls")),
    path("", include("laborcoop.matching.api_urls")),
    path("", include("laborcoop.tracking.api_urls")),
    path("", include("laborcoop.earlywarning.api_urls")),
]
