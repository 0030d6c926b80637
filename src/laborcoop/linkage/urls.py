from django.urls import path

from laborcoop.core.job_views import job_retry_view
from laborcoop.linkage import views
from laborcoop.linkage.jobs import comparison_retry

app_name = "linkage"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path(
        "<int:pk>/retry/",
        job_retry_view(retry=comparison_retry, id_arg="comparison_id", detail_url="linkage:detail"),
        name="retry",
    ),
    path("<int:pk>/mapping/", views.mapping, name="mapping"),
    path("<int:pk>/changes/<int:change_pk>/accept/", views.decide, {"action": "accept"}, name="accept"),
    path("<int:pk>/changes/<int:change_pk>/reject/", views.decide, {"action": "reject"}, name="reject"),
    path("<int:pk>/accept-above/", views.accept_above, name="accept_above"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
]
