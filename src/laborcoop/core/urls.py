from django.urls import path

from laborcoop.core import views

app_name = "core"
urlpatterns = [
    path("history/<str:kind>/<int:pk>/", views.history, name="history"),
    path("audit/", views.audit_search_view, name="audit_search"),
]
