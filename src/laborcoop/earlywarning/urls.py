from django.urls import URLPattern, URLResolver, path

from laborcoop.earlywarning import views

app_name = "earlywarning"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.warning_list_view, name="list"),
    path("export/", views.warning_export_view, name="export"),
    path("settings/", views.warning_settings_view, name="settings"),
    path("<int:pk>/handle/", views.warning_handle_view, name="handle"),
    path("<int:pk>/dismiss/", views.warning_dismiss_view, name="dismiss"),
    path("<int:pk>/assign/", views.warning_assign_view, name="assign"),
]
