from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "laborcoop.exports"
    label = "exports"
    verbose_name = "数据导出"

    def ready(self) -> None:
        from laborcoop.exports import jobs

        jobs.register()  # recovery of crashed jobs (core.jobs)
