from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "laborcoop.employers"
    label = "employers"
    verbose_name = "企业与岗位"
