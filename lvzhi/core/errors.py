"""Errors raised by the action functions (the writers).

Each carries a message a clerk understands, in Chinese, and where it concerns one input the ``field`` it
concerns, so that forms and the API can show it beside that field. Raising one of them inside an action's
transaction rolls the whole action back: the data stays as it was.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request that the rules refuse. ``message`` is user-facing (zh-Hans); ``field`` names the input."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict[str, str | None]:
        return {"detail": self.message, "field": self.field}


class NotFoundError(DomainError):
    """The object does not exist, or the user may not see it: both answer the same (no information leak)."""

    status = 404

    def __init__(self, message: str = "未找到该对象，或您无权查看。") -> None:
        super().__init__(message)


class ForbiddenError(DomainError):
    """The user may see the object but not do this to it."""

    status = 403


class ConflictError(DomainError):
    """Someone else changed the object since the user loaded it (optimistic locking), or a double submit."""

    status = 409

    def __init__(self, message: str = "该案件已被他人修改，请刷新页面后重试。") -> None:
        super().__init__(message)
