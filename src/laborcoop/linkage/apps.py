from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "laborcoop.linkage"
    label = "linkage"
    verbose_name = "数据比对"

    def ready(self) -> None:
        from laborcoop.linkage import export_source, jobs

        jobs.register()  # recovery of crashed jobs (core.jobs)
        export_source.register()  # a long feedback file is written as a background export job
        from laborcoop.linkage.models import ComparisonEntry, ProposedChange
        from laborcoop.registry.merge import connect_merge_relation
        from laborcoop.registry.models import Laborer

        for model in (ComparisonEntry, ProposedChange):  # comparison results follow a merged laborer
            connect_merge_relation(model, "laborer", target=Laborer)
