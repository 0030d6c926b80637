"""Pages of the tracking app under /tracking/ (namespace "tracking")."""

from django.urls import URLPattern, URLResolver, path

from laborcoop.tracking import notice_views, phone_views, reconcile_views, unreachable_views, views

app_name = "tracking"
urlpatterns: list[URLPattern | URLResolver] = [
    # Follow-ups (跟踪寻访): the broker's phone page, the region's task list, a task, logging, unreachable people.
    path("", phone_views.phone_home, name="phone"),
    path("m/tasks/<int:pk>/", phone_views.phone_task, name="phone_task"),
    path("m/tasks/<int:pk>/log/", phone_views.phone_log, name="phone_log"),
    path("tasks/", views.task_list_view, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("laborers/<int:laborer_pk>/log/", views.laborer_log, name="laborer_log"),
    path("unreachable/", unreachable_views.unreachable_list_view, name="unreachable_list"),
    path("unreachable/export/", unreachable_views.unreachable_download, name="unreachable_export"),
    # Destination notices (去向通报) and the two sides' reconciliation.
    path("notices/", notice_views.notice_list_view, name="notice_list"),
    path("notices/input/", notice_views.notice_input_list_view, name="notice_input_list"),
    path("notices/<int:pk>/confirm/", notice_views.notice_confirm, name="notice_confirm"),
    path("notices/<int:pk>/not-arrived/", notice_views.notice_not_arrived, name="notice_not_arrived"),
    path("reconcile/", reconcile_views.reconcile_view, name="reconcile"),
    path("reconcile/search/", reconcile_views.reconcile_search, name="reconcile_search"),
]
