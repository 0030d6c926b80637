from typing import Any

from django.http import HttpRequest

from laborcoop.accounts.navigation import capabilities_of, navigation_for


def scope(request: HttpRequest) -> dict[str, Any]:
    """What the signed-in user may do, as the access layer answers it: the navigation's menu (`nav_groups`) and
    each capability by name (`can.REGISTRY_EDIT`) for showing or hiding an action."""
    user: Any = request.user
    if not user.is_authenticated:
        return {}
    return {"nav_groups": navigation_for(user), "can": capabilities_of(user)}
