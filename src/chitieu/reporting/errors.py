"""The reporting app's errors, members of the one family (:mod:`chitieu.core.errors`)."""

from __future__ import annotations

from chitieu.core.errors import Conflict, DomainError, Invalid, Problem


class ReportingError(DomainError):
    """A user-facing problem of the reporting cycle; ``message`` is Vietnamese and names the field."""


class ValueInvalid(ReportingError, Invalid):
    """One value fails its checks: ``errors`` maps the field (numerator, denominator, value, period)
    to its message."""

    def __init__(self, errors: dict[str, str], **kw):
        self.errors = errors
        super().__init__(
            "; ".join(errors.values()),
            problems=[Problem(m, field=f, row=kw.get("row"), cell=kw.get("cell")) for f, m in errors.items()],
            **kw,
        )


class ValueConflict(ReportingError, Conflict):
    """Someone else saved the value after the form was opened."""

    def __init__(self, current, **kw):
        self.current = current
        who = current.entered_by.username if current.entered_by_id else "người khác"
        shown = (
            f"{_fmt(current.numerator)}/{_fmt(current.denominator)}"
            if current.numerator is not None and current.denominator is not None
            else _fmt(current.value)
        )
        super().__init__(
            f"Số liệu đã được {who} cập nhật trước (phiên bản {current.version}: {shown}). "
            "Vui lòng xem lại và lưu lại nếu vẫn muốn thay đổi.",
            **kw,
        )


def _fmt(v) -> str:
    from chitieu.core.numbers import decimal_text

    return "trống" if v is None else decimal_text(v)


class ValueLocked(ReportingError):
    """The value belongs to a report that has been submitted or approved (400, as it always was)."""


class WorkflowError(ReportingError):
    """The action does not apply to the report in its present state, or lacks its reason."""
