from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "laborcoop.registry"
    label = "registry"
    verbose_name = "人员库"
