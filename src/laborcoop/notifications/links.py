"""Signed links in messages (a laborer's personal link): the outbox stores only what is needed to build the
link again, never the link itself, and the link is signed afresh each time the message is sent.

A context value `signed_link(kind, object_id)` is a reference: the stored body shows LINK_SHOWN in its place,
and `sending_context` replaces it with the link that the app owning `kind` builds (registered in its ready()).
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings

LINK_SHOWN = "（个人链接，发送时生成）"
_REF = "signed_link"
_BUILDERS: dict[str, Callable[[int], str]] = {}


def register_signed_link(kind: str, build: Callable[[int], str]) -> None:
    _BUILDERS[kind] = build


def signed_link(kind: str, object_id: int) -> dict[str, Any]:
    """The context value standing for the link of `kind` to `object_id`."""
    return {_REF: kind, "id": int(object_id)}


def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {_REF, "id"}


def has_signed_links(context: dict[str, Any]) -> bool:
    return any(_is_ref(v) for v in context.values())


def stored_context(context: dict[str, Any]) -> dict[str, Any]:
    """The context the stored subject and body are rendered with: references shown as LINK_SHOWN."""
    return {k: LINK_SHOWN if _is_ref(v) else v for k, v in context.items()}


def sending_context(context: dict[str, Any]) -> dict[str, Any]:
    """The context of the message as sent: every reference replaced by a freshly signed link."""
    return {k: _BUILDERS[v[_REF]](v["id"]) if _is_ref(v) else v for k, v in context.items()}


def public_base_url() -> str:
    """`LABORCOOP_PUBLIC_URL` without its trailing slash ("" when not configured: a warning on admins' pages,
    and `check --deploy` fails in production)."""
    return str(getattr(settings, "LABORCOOP_PUBLIC_URL", "") or "").rstrip("/")


def public_url(path: str) -> str:
    """The absolute address of a site path, as sent in SMS and e-mail (the path alone while unconfigured)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return public_base_url() + path
