"""/api/v1/ routes of the registry app: households and laborers (included by laborcoop.api.urls, namespace
"api")."""

from django.urls import URLPattern, URLResolver, path

from laborcoop.registry import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("households/", apis.HouseholdListView.as_view(), name="household_list"),
    path("households/<int:pk>/", apis.HouseholdDetailView.as_view(), name="household_detail"),
    path("households/<int:pk>/members/", apis.HouseholdMemberCreateView.as_view(), name="household_members"),
    path("laborers/", apis.LaborerListView.as_view(), name="laborer_list"),
    path("laborers/<int:pk>/", apis.LaborerDetailView.as_view(), name="laborer_detail"),
    path("laborers/<int:pk>/reveal-id/", apis.LaborerRevealIdView.as_view(), name="laborer_reveal_id"),
]
