from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "laborcoop.audit"
    label = "audit"
    verbose_name = "审计"
