from django.apps import AppConfig


class EarlyWarningConfig(AppConfig):
    name = "laborcoop.earlywarning"
    label = "earlywarning"
    verbose_name = "预警"

    def ready(self) -> None:
        from laborcoop.earlywarning import export_source, receivers  # noqa: F401 (connects the receivers)

        export_source.register()  # large warning exports run as background export jobs
        from laborcoop.earlywarning.models import EarlyWarning
        from laborcoop.registry.merge import connect_merge_relation
        from laborcoop.registry.models import Household, Laborer

        connect_merge_relation(EarlyWarning, "laborer", target=Laborer)  # warnings follow a merged record
        connect_merge_relation(EarlyWarning, "household", target=Household)

        from laborcoop.earlywarning.panels import laborer_warnings_panel
        from laborcoop.registry.panels import LABORER_PANELS

        LABORER_PANELS.register("earlywarning.warnings", laborer_warnings_panel, order=40)  # the laborer page's 预警
