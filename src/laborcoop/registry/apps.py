from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "laborcoop.registry"
    label = "registry"
    verbose_name = "人员库"

    def ready(self) -> None:
        from laborcoop.registry.merge import connect_merge_relation
        from laborcoop.registry.models import Household, Laborer

        connect_merge_relation(Laborer, "household", target=Household)  # members follow a merged household
