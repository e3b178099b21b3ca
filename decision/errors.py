"""The one kind of error a request can cause: a code for programs, a sentence for people."""


class RequestError(Exception):
    """A request the engine can't answer; `message` is shown to the reader as it is."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
