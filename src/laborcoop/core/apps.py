from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "laborcoop.core"
    label = "core"
    verbose_name = "基础"
