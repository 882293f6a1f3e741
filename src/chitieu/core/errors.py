"""The one family of user-facing errors.

Every service raises one of these; the pages map them once (``chitieu.ui.errors``: a message and a
status, the form's fields marked) and the API maps them once (``chitieu.api``: problem JSON with the
same message and the field, row and cell it names). Messages are Vietnamese and name what is wrong
("Sheet 'Số liệu', ô G5: tử số '6,5' phải là số nguyên").

* :class:`NotAllowed` — the person may not do this (403);
* :class:`NotFound` — no such object, or not one the person may know of (404);
* :class:`Invalid` — the input is wrong; ``field`` / ``row`` / ``cell`` / ``file`` say where, and
  ``problems`` carries several at once (400; 422 in the API);
* :class:`Conflict` — the input is right but the state is not: someone saved first, the report is
  locked, the action does not apply in this state (409).

Pure Python, so that the pure modules and every layer above them can raise and catch them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong, and where: ``field`` (a form field or JSON key), ``row`` (1-based row of a
    file or index of a batch), ``cell`` ("G5"), ``file`` (a file name)."""

    message: str
    field: str | None = None
    row: int | None = None
    cell: str | None = None
    file: str | None = None
    code: str = "invalid"  # the kind of error it came from: invalid, not_allowed, conflict, ...

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(
        self,
        message: str = "",
        *,
        field: str | None = None,
        row: int | None = None,
        cell: str | None = None,
        file: str | None = None,
        problems: list[Problem] | None = None,
    ):
        self.problems = list(problems or [])
        if not message and self.problems:
            message = "; ".join(p.message for p in self.problems[:5])
            if len(self.problems) > 5:
                message += f" (và {len(self.problems) - 5} lỗi khác)"
        super().__init__(message)
        self.message = message
        self.field, self.row, self.cell, self.file = field, row, cell, file

    def all_problems(self) -> list[Problem]:
        """The problems it carries, or itself as one."""
        if self.problems:
            return self.problems
        return [Problem(self.message, self.field, self.row, self.cell, self.file, self.code)]

    def __str__(self) -> str:
        return self.message


class NotAllowed(DomainError):
    status = 403
    code = "not_allowed"

    def __init__(self, message: str = "Bạn không có quyền thực hiện thao tác này.", **kw):
        super().__init__(message, **kw)


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def __init__(self, message: str = "Không tìm thấy.", **kw):
        super().__init__(message, **kw)


class Invalid(DomainError):
    status = 400
    code = "invalid"


class Conflict(DomainError):
    status = 409
    code = "conflict"
