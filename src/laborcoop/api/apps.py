from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "laborcoop.api"
    label = "api"
    verbose_name = "接口"
