from typing import Any

from django.http import HttpRequest

from laborcoop.accounts.roles import Cap


def scope(request: HttpRequest) -> dict[str, Any]:
    """Navigation needs to know what the signed-in user may do."""
    user: Any = request.user
    if not user.is_authenticated:
        return {}
    caps = set(Cap.values) if user.is_superuser else set(user.caps)
    return {"user_caps": caps, "Cap": {c.name: c.value for c in Cap}}
