from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: backup and restore, rotation of the ID encryption key. Sits on top of every other app."""

    name = "laborcoop.ops"
    verbose_name = "运维"
