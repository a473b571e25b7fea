"""Errors a user can act on: each names the file and the problem in one line."""

from __future__ import annotations


class ResearchKitError(Exception):
    """A problem with the user's input, reported as one line without a traceback."""

    def __init__(self, problem: str, path: str | None = None) -> None:
        self.problem = problem
        self.path = path
        super().__init__(f"{path}: {problem}" if path else problem)

    def __reduce__(self) -> tuple[type[ResearchKitError], tuple[str, str | None]]:
        """Pickle by problem and path, so an error crosses to and from worker processes intact."""
        return type(self), (self.problem, self.path)
