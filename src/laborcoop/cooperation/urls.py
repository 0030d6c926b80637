from django.urls import path

from laborcoop.cooperation import views

app_name = "cooperation"
urlpatterns = [
    path("agreements/", views.agreement_list_view, name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/confirm/", views.agreement_confirm, name="agreement_confirm"),
    path("agreements/<int:pk>/terminate/", views.agreement_terminate, name="agreement_terminate"),
]
