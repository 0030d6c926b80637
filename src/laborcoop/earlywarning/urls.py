from django.urls import URLPattern, URLResolver

app_name = "earlywarning"
urlpatterns: list[URLPattern | URLResolver] = []
