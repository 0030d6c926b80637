from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "laborcoop.employment"
    label = "employment"
    verbose_name = "就业记录"

    def ready(self) -> None:
        # The derived status (employment.status) is refreshed on every employment write.
        from laborcoop.employment import receivers  # noqa: F401
        from laborcoop.employment.merge_receivers import connect_merge_receivers

        connect_merge_receivers()  # records, wage and insurance months and the derived status follow a merge
