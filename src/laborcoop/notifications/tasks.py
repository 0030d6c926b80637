"""Background work of the outbox. The task takes only the row id and is idempotent (jobs are rows)."""

from django_tasks import task

from laborcoop.notifications.services import notification_dispatch


@task()
def dispatch_notification(notification_id: int) -> str:
    """Send one outbox row if it is due; returns its status afterwards ("" when it is gone or locked)."""
    row = notification_dispatch(notification_id=notification_id)
    return row.status if row is not None else ""
