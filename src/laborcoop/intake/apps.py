from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "laborcoop.intake"
    label = "intake"
    verbose_name = "数据导入"

    def ready(self) -> None:
        from laborcoop.intake import jobs

        jobs.register()  # recovery of crashed jobs (core.jobs)
