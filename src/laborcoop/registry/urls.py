from django.urls import path

from laborcoop.registry import calls, views

app_name = "registry"
urlpatterns = [
    path("laborers/", views.laborer_list_view, name="laborer_list"),
    path("laborers/<int:pk>/", views.laborer_detail, name="laborer_detail"),
    path("laborers/<int:pk>/edit/", views.laborer_edit, name="laborer_edit"),
    path("laborers/<int:pk>/reveal/", views.laborer_reveal, name="laborer_reveal"),
    path("laborers/<int:pk>/call/", calls.laborer_call, name="laborer_call"),
    path("households/", views.household_list_view, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/set-head/", views.household_set_head, name="household_set_head"),
    path("households/<int:household_pk>/members/new/", views.laborer_create, name="laborer_create"),
]
