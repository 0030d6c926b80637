from django.apps import AppConfig


class EarlyWarningConfig(AppConfig):
    name = "laborcoop.earlywarning"
    label = "earlywarning"
    verbose_name = "预警"

    def ready(self) -> None:
        from laborcoop.earlywarning import receivers  # noqa: F401 (connects the receivers)
