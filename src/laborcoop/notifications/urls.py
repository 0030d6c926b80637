from django.urls import path

from laborcoop.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("outbox/", views.outbox, name="outbox"),
    path("limits/", views.limits, name="limits"),
    path("outbox/<int:pk>/retry/", views.retry, name="retry"),
]
