"""Refusals the portal's own services raise, beside Django's PermissionDenied (403) and ValidationError (400)."""


class Conflict(Exception):
    """The user could make this move, but not in the object's present state (409); `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LinkInvalid(Exception):
    """A link from an e-mail that is unknown (404), or expired, used or withdrawn (410); `message` says which."""

    def __init__(self, message: str, *, gone: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.status = 410 if gone else 404
