"""The two kinds of error: a request the engine can't answer, and data it refuses to load."""


class RequestError(Exception):
    """A request the engine can't answer; `message` is shown to the reader as it is."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class DataError(Exception):
    """The knowledge in decision/data/ is broken; the message names file, id and problem."""

    def __init__(self, file: str, item: str, problem: str) -> None:
        self.file, self.item, self.problem = file, item, problem
        super().__init__(f"{file}: {item}: {problem}")
