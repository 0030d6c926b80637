from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "laborcoop.linkage"
    label = "linkage"
    verbose_name = "数据比对"

    def ready(self) -> None:
        from laborcoop.linkage import jobs

        jobs.register()  # recovery of crashed jobs (core.jobs)
