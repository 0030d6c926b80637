from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "laborcoop.matching"
    label = "matching"
    verbose_name = "人岗匹配"

    def ready(self) -> None:
        from laborcoop.matching import jobs, receivers  # noqa: F401  (receivers: connects the signal receivers)

        jobs.register()  # recovery of crashed batch runs (core.jobs)
        from laborcoop.matching.models import Recommendation
        from laborcoop.registry.merge import connect_merge_relation
        from laborcoop.registry.models import Laborer

        connect_merge_relation(Recommendation, "laborer", target=Laborer)  # the pipeline follows a merged laborer
