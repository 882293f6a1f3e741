from __future__ import annotations


class ReadError(Exception):
    """A document that cannot be read; ``message`` says why in one line (Vietnamese first)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
