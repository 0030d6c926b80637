from django.db import models


class Channel(models.TextChoices):
    IN_APP = "in_app", "站内"  # stored is delivered: shown in the recipient's inbox
    SMS = "sms", "短信"  # HTTP POST to the configured SMS gateway
    EMAIL = "email", "邮件"  # Django's e-mail backend (SMTP in production)


class Status(models.TextChoices):
    PENDING = "pending", "待发送"  # enqueued, waiting for the dispatcher (next_attempt_at says when)
    SENDING = "sending", "发送中"  # claimed by a dispatcher; next_attempt_at is the lease after which it is retried
    SENT = "sent", "已发送"  # delivered to the channel (in-app: unread in the inbox)
    FAILED = "failed", "发送失败"  # the last attempt failed; retried with backoff at next_attempt_at
    DEAD = "dead", "放弃"  # max attempts reached or a permanent error; only an admin's retry revives it
    NO_GATEWAY = "no_gateway", "未配置短信网关"  # SMS kept in the outbox until a gateway is configured
    READ = "read", "已读"  # in-app message opened by its recipient


# Rows the dispatcher may claim (when due).
DISPATCHABLE = frozenset({Status.PENDING, Status.FAILED, Status.SENDING})
# Rows an admin may send again from the outbox page.
RETRYABLE = frozenset({Status.FAILED, Status.DEAD, Status.NO_GATEWAY})
