"""/api/v1/ routes of the tracking app (included by laborcoop.api.urls, namespace "api")."""

from django.urls import URLPattern, URLResolver, path

from laborcoop.tracking.followups import apis as followup_apis
from laborcoop.tracking.notices import apis as notice_apis
from laborcoop.tracking.reconcile import apis as reconcile_apis
from laborcoop.tracking.trajectory import apis as trajectory_apis

urlpatterns: list[URLPattern | URLResolver] = [
    # Follow-ups (跟踪寻访).
    path("laborers/<int:pk>/followups/", followup_apis.LaborerFollowUpsView.as_view(), name="laborer_followups"),
    path("followup-tasks/", followup_apis.FollowUpTaskListView.as_view(), name="followup_task_list"),
    # The employment trajectory (就业轨迹) of a laborer, with the derived status.
    path("laborers/<int:pk>/trajectory/", trajectory_apis.LaborerTrajectoryView.as_view(), name="laborer_trajectory"),
    # Destination notices (去向通报) and the two sides' reconciliation.
    path("destination-notices/", notice_apis.NoticeListView.as_view(), name="destination_notice_list"),
    path(
        "destination-notices/<int:pk>/confirm/",
        notice_apis.NoticeConfirmView.as_view(),
        name="destination_notice_confirm",
    ),
    path(
        "destination-notices/<int:pk>/not-arrived/",
        notice_apis.NoticeNotArrivedView.as_view(),
        name="destination_notice_not_arrived",
    ),
    path("reconciliation/", reconcile_apis.ReconciliationView.as_view(), name="reconciliation"),
]
