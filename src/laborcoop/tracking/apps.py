from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "laborcoop.tracking"
    label = "tracking"
    verbose_name = "跟踪服务"
