from django.apps import AppConfig


class EarlyWarningConfig(AppConfig):
    name = "laborcoop.earlywarning"
    label = "earlywarning"
    verbose_name = "预警"
