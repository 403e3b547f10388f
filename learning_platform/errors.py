"""The one base of the errors that services raise for the user to read."""


class DomainError(Exception):
    """A request the platform's rules refuse; ``message`` is for the user, in
    their language. Every app's service errors derive from it, so a view or
    an API view catches one class and shows ``message``."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
