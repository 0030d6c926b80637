"""Pages of the tracking app (namespace "tracking"), included at the site root by config.urls: the follow-ups
and notices under /tracking/; the derived employment status and the tracking settings under /employment/, the
addresses they had when they were the employment app's (the employment app's own pages come first in
config.urls and none of them is states/ or settings/)."""

from django.urls import URLPattern, URLResolver, include, path

from laborcoop.tracking.followups import phone_views
from laborcoop.tracking.followups import views as followup_views
from laborcoop.tracking.notices import views as notice_views
from laborcoop.tracking.reconcile import views as reconcile_views
from laborcoop.tracking.settings import views as settings_views
from laborcoop.tracking.status import views as status_views
from laborcoop.tracking.today import views as today_views

app_name = "tracking"
tracking_patterns: list[URLPattern | URLResolver] = [
    # Follow-ups (跟踪寻访): the broker's phone page, the region's task list, a task, logging, unreachable people.
    path("", phone_views.phone_home, name="phone"),
    path("today/", today_views.today_view, name="today"),  # the broker's home page
    path("m/tasks/<int:pk>/", phone_views.phone_task, name="phone_task"),
    path("m/tasks/<int:pk>/log/", phone_views.phone_log, name="phone_log"),
    path("tasks/", followup_views.task_list_view, name="task_list"),
    path("tasks/<int:pk>/", followup_views.task_detail, name="task_detail"),
    path("laborers/<int:laborer_pk>/log/", followup_views.laborer_log, name="laborer_log"),
    path("unreachable/", followup_views.unreachable_list_view, name="unreachable_list"),
    path("unreachable/export/", followup_views.unreachable_download, name="unreachable_export"),
    # Destination notices (去向通报) and the two sides' reconciliation.
    path("notices/", notice_views.notice_list_view, name="notice_list"),
    path("notices/input/", notice_views.notice_input_list_view, name="notice_input_list"),
    path("notices/<int:pk>/confirm/", notice_views.notice_confirm, name="notice_confirm"),
    path("notices/<int:pk>/not-arrived/", notice_views.notice_not_arrived, name="notice_not_arrived"),
    path("reconcile/", reconcile_views.reconcile_view, name="reconcile"),
    path("reconcile/search/", reconcile_views.reconcile_search, name="reconcile_search"),
]
employment_patterns: list[URLPattern | URLResolver] = [
    # The derived employment status (tracking.status.views) and the tracking settings (tracking.settings.views).
    path("states/", status_views.state_list, name="state_list"),
    path("states/summary/", status_views.state_summary, name="state_summary"),
    path("settings/", settings_views.tracking_settings, name="tracking_settings"),
]
urlpatterns: list[URLPattern | URLResolver] = [
    path("tracking/", include(tracking_patterns)),
    path("employment/", include(employment_patterns)),
]
