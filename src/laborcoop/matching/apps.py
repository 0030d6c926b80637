from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "laborcoop.matching"
    label = "matching"
    verbose_name = "人岗匹配"

    def ready(self) -> None:
        from laborcoop.matching import receivers  # noqa: F401  (connects the signal receivers)
