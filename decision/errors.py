"""The three kinds of error: a request the engine can't answer, data it refuses to load, and a
fence the build can't render."""

import pathlib


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


class DataFolderError(DataError):
    """The data folder a site names isn't there, or isn't a folder; the message names its path."""

    def __init__(self, path: pathlib.Path, problem: str) -> None:
        super().__init__(str(path), "-", problem)
        self.args = (f"the data folder {path.resolve()} {problem}",)

    def __str__(self) -> str:
        return str(self.args[0])


class FenceError(ValueError):
    """A ```whatmatters fence the engine can't render; the message says which and why.

    `line` is the line at fault counted from the fence's first option line (1), when it is one
    line; the extension adds where the fence stands on its page.
    """

    def __init__(self, problem: str, line: int | None = None, option: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.option = option  # the option at fault, whose own line the message can then name
