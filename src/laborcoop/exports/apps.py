from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "laborcoop.exports"
    label = "exports"
    verbose_name = "数据导出"
