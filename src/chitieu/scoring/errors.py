"""The scoring app's errors, in the one family of :mod:`chitieu.core.errors`.

:class:`ScoringError` is wrong input (a definition, a table, a score): its message and every
problem found, each a :class:`~chitieu.core.errors.Problem` naming the file when there is one.
:class:`ScoringConflict` is right input in the wrong state (an assessment already sent, a
framework already published, a draft already activated)."""

from __future__ import annotations

from chitieu.core.errors import Conflict, Invalid, Problem


class ScoringError(Invalid):
    def __init__(
        self,
        message: str,
        problems: list[str] | None = None,
        *,
        rows: list[str] | None = None,
        file: str | None = None,
    ):
        super().__init__(message, file=file, problems=[Problem(p, file=file) for p in (problems or [])])
        self.rows = rows or []  # codes of the criteria the problems are about (drafts)

    @property
    def messages(self) -> list[str]:
        """Every problem's text (the message itself when there is only one)."""
        return [p.message for p in self.all_problems()]


class ScoringConflict(Conflict):
    pass
