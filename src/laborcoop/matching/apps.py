from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "laborcoop.matching"
    label = "matching"
    verbose_name = "人岗匹配"

    def ready(self) -> None:
        from laborcoop.matching import jobs, receivers  # noqa: F401  (receivers: connects the signal receivers)

        jobs.register()  # recovery of crashed batch runs (core.jobs)
