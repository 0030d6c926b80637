from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "laborcoop.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from laborcoop.core.jobs import register_sweeper
        from laborcoop.notifications import checks  # noqa: F401  (registers the deploy check of the public URL)
        from laborcoop.notifications.dispatch import notifications_dispatch_due

        # Messages carry their own sending lease; the worker's recovery rounds send what is due, including rows
        # left "sending" by a dead worker once their lease ran out.
        register_sweeper("notifications.due", notifications_dispatch_due)
