from django.urls import path

from laborcoop.frontdesk import views

app_name = "frontdesk"
urlpatterns = [
    path("", views.index, name="index"),
    path("contacts/", views.contact_log, name="contact_log"),
    path("contacts/<int:pk>/attach/", views.contact_attach, name="contact_attach"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/scan/", views.duplicate_scan_view, name="duplicate_scan"),
    path("duplicates/<int:pk>/", views.duplicate_detail, name="duplicate_detail"),
    path("duplicates/<int:pk>/not-duplicate/", views.duplicate_not_duplicate, name="duplicate_not_duplicate"),
    path("duplicates/<int:pk>/merge/", views.duplicate_merge_view, name="duplicate_merge"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
]
