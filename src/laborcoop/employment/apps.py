from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "laborcoop.employment"
    label = "employment"
    verbose_name = "就业记录"

    def ready(self) -> None:
        # The derived status (employment.status) is refreshed on every employment write.
        from laborcoop.employment import receivers  # noqa: F401
