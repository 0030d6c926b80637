from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models

from laborcoop.accounts.roles import Role, caps_for_roles
from laborcoop.core.models import BaseModel


class User(AbstractUser):
    """A platform account: one home region (its subtree is the data scope) and one or more roles.

    An enterprise user is bound to exactly one enterprise and sees only that enterprise and its jobs.
    Seeing full ID numbers is a separate grant (`can_unmask_id`), given by an admin and audited.
    """

    home_region = models.ForeignKey(
        "regions.Region",
        verbose_name="所属区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_column="home_region_code",
        related_name="+",
    )
    roles: models.JSONField[list[str]] = models.JSONField("角色", default=list, blank=True)
    enterprise = models.ForeignKey(
        "employers.Enterprise",
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    can_unmask_id = models.BooleanField("可查看完整证件号", default=False)
    phone = models.CharField("手机号", max_length=11, blank=True)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def caps(self) -> frozenset[str]:
        return caps_for_roles(list(self.roles or []))

    def has_cap(self, cap: str) -> bool:
        return self.is_active and cap in self.caps

    @property
    def scope_prefix(self) -> str | None:
        """The region-code prefix of this user's subtree; None means no region scope at all."""
        region: Any = self.home_region
        return region.prefix if region is not None else None

    @property
    def role_labels(self) -> list[str]:

        labels = dict(Role.choices)
        return [str(labels.get(r, r)) for r in self.roles or []]


class ApiToken(BaseModel):
    """An API token of one account (`Authorization: Token <key>`), issued by POST /api/v1/auth/token/.

    Only the SHA-256 of the key is stored; the clear key is shown once, when it is issued, and its first
    characters (`key_prefix`) name it in lists. A token stops working when it expires, when its owner's
    password changes (`password_fingerprint` no longer matches, whatever path changed it) or when the
    account is deactivated; the services also delete the rows on those events and on revocation.
    """

    user = models.ForeignKey(User, verbose_name="账号", on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    key_prefix = models.CharField("令牌前缀", max_length=4)
    password_fingerprint = models.CharField("密码指纹", max_length=64)
    expires_at = models.DateTimeField("过期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.key_prefix}…"
