from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "laborcoop.reports"
    label = "reports"
    verbose_name = "统计"
