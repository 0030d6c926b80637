from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "laborcoop.notifications"
    label = "notifications"
    verbose_name = "消息通知"
