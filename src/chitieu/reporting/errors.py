from __future__ import annotations


class ReportingError(ValueError):
    """A user-facing problem; ``message`` is Vietnamese and names the field."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValueInvalid(ReportingError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{v}" for v in errors.values()))


class ValueConflict(ReportingError):
    """Someone else saved the value after the form was opened."""

    def __init__(self, current):
        self.current = current
        who = current.entered_by.username if current.entered_by_id else "người khác"
        shown = (
            f"{_fmt(current.numerator)}/{_fmt(current.denominator)}"
            if current.numerator is not None and current.denominator is not None
            else _fmt(current.value)
        )
        super().__init__(
            f"Số liệu đã được {who} cập nhật trước (phiên bản {current.version}: {shown}). "
            "Vui lòng xem lại và lưu lại nếu vẫn muốn thay đổi."
        )


def _fmt(v) -> str:
    if v is None:
        return "trống"
    return f"{v.normalize():f}".replace(".", ",")


class ValueLocked(ReportingError):
    """The value belongs to a report that has been submitted or approved."""


class WorkflowError(ReportingError):
    pass
