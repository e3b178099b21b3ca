"""The two kinds of error: a request the engine can't answer, and data it refuses to load."""


class RequestError(Exception):
    """A request the engine can't answer; `message` is shown to the reader as it is.

    `field` names the request field at fault, when one is; `say` is the sentence a form shows
    beside that field, in the words of its label (no request keys).
    """

    def __init__(self, code: str, message: str, field: str | None = None, say: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.say = say


class DataError(Exception):
    """The knowledge in decision/data/ is broken; the message names file, id and problem."""

    def __init__(self, file: str, item: str, problem: str) -> None:
        self.file, self.item, self.problem = file, item, problem
        super().__init__(f"{file}: {item}: {problem}")
