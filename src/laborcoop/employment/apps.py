from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "laborcoop.employment"
    label = "employment"
    verbose_name = "就业记录"

    def ready(self) -> None:
        # Answers to the registry's signals; the derived status is tracking's (receivers of employment.signals).
        from laborcoop.employment import registry_receivers  # noqa: F401
        from laborcoop.employment.merge_receivers import connect_merge_receivers

        connect_merge_receivers()  # records, wage and insurance months and the status rows follow a merge

        from laborcoop.employment.panels import laborer_records_panel
        from laborcoop.registry.panels import LABORER_PANELS

        LABORER_PANELS.register("employment.records", laborer_records_panel, order=10)  # the laborer page's 就业记录
