"""The scoring app's error: a Vietnamese message and every problem found (with where it is)."""

from __future__ import annotations


class ScoringError(ValueError):
    def __init__(self, message: str, problems: list[str] | None = None, *, rows: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or [message]
        self.rows = rows or []  # codes of the criteria the problems are about (drafts)
