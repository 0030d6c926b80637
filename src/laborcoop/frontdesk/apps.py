from django.apps import AppConfig


class FrontdeskConfig(AppConfig):
    name = "laborcoop.frontdesk"
    label = "frontdesk"
    verbose_name = "窗口服务与查重"
