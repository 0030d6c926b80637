from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "laborcoop.tracking"
    label = "tracking"
    verbose_name = "跟踪服务"

    def ready(self) -> None:
        # Receivers of employment_changed: follow-up tasks on leaving and re-employment, destination notices.
        from laborcoop.tracking import notice_receivers, receivers  # noqa: F401
