from django.urls import path

from laborcoop.audit import views

app_name = "audit"
urlpatterns = [
    path("history/<str:kind>/<int:pk>/", views.history, name="history"),
    path("audit/", views.audit_search_view, name="search"),
]
