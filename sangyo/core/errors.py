"""Domain errors that services raise and views turn into messages for the user."""


class DomainError(Exception):
    """A rule of the domain refused the change; the message is shown to the user as is."""


class PermissionDenied(DomainError):
    """The actor may not do this (views answer 404 so existence is not revealed)."""
