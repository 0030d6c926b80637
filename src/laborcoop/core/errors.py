"""Domain errors raised by services and selectors; views and APIs translate them to HTTP."""


class ObjectNotFound(Exception):
    """A missing object and an object outside the caller's scope look the same (HTTP 404)."""

    message = "未找到该记录，或您无权查看。"


class PermissionDeniedError(Exception):
    """The caller's role does not allow this action at all (HTTP 403)."""

    def __init__(self, message: str = "您的角色无权执行此操作。") -> None:
        super().__init__(message)
        self.message = message


class ConflictError(Exception):
    """A stale edit: someone else changed the record since it was loaded (HTTP 409)."""

    def __init__(self, message: str = "该记录已被他人修改，请刷新后重新编辑。") -> None:
        super().__init__(message)
        self.message = message
