from django.urls import path

from laborcoop.employment import views

app_name = "employment"
urlpatterns = [
    path("", views.record_list_view, name="record_list"),
    path("input/", views.input_list_view, name="input_list"),
    path("laborers/<int:laborer_pk>/new/", views.record_create, name="record_create"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:pk>/end/", views.record_end, name="record_end"),
]
