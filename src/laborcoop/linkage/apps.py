from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "laborcoop.linkage"
    label = "linkage"
    verbose_name = "数据比对"
