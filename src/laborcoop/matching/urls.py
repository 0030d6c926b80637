from django.urls import path

from laborcoop.core.job_views import job_retry_view
from laborcoop.matching import personal_views, views
from laborcoop.matching.services import matching_run_retry

app_name = "matching"
urlpatterns = [
    path("jobs/<int:pk>/", views.job_pipeline, name="job_pipeline"),
    path("jobs/<int:pk>/run/", views.job_run, name="job_run"),
    path("market/<int:pk>/put-forward/", views.market_put_forward, name="market_put_forward"),
    path("laborers/<int:pk>/", views.laborer_pipeline, name="laborer_pipeline"),
    path("laborers/<int:pk>/run/", views.laborer_run, name="laborer_run"),
    path("laborers/<int:pk>/personal-link/", personal_views.personal_link, name="personal_link"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("recommendations/<int:pk>/start/", views.recommendation_start, name="recommendation_start"),
    path("recommendations/<int:pk>/transition/", views.transition, name="transition"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path(
        "runs/<int:pk>/retry/",
        job_retry_view(retry=matching_run_retry, id_arg="run_id", detail_url="matching:run_detail"),
        name="run_retry",
    ),
    path("weights/", views.weights, name="weights"),
    path("r/<str:token>/", views.personal, name="personal"),
    path("r/<str:token>/<int:rec_id>/", views.personal_respond, name="personal_respond"),
]
