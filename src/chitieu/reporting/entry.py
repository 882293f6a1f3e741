"""The report form (web): typed numbers read as the interface language writes them, then written
through the one batch writer, :func:`~chitieu.reporting.services.values_save_many`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from chitieu.core.numbers import NumberError, parse_number, swap_separators
from chitieu.indicators.models import IndicatorKind
from chitieu.orgs import permissions
from chitieu.reporting import selectors
from chitieu.reporting.models import Submission
from chitieu.reporting.services import ValueRow, values_save_many


@dataclass
class SaveResult:
    saved: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # form field name -> message
    warnings: list[str] = field(default_factory=list)


def parse_input(
    raw: str | None, label: str, field_name: str, errors: dict, *, decimal_comma: bool = True
) -> Decimal | None:
    """A number typed by a person, empty meaning no data. Vietnamese writing ("1.160,5") unless the
    person works in a language that writes "1,160.5" (``decimal_comma=False``, the English interface):
    the form shows numbers as the person's language writes them, and reads them back the same way."""
    raw = (raw or "").strip()
    if raw == "":
        return None
    try:
        return parse_number(raw if decimal_comma else swap_separators(raw))
    except (NumberError, InvalidOperation):
        errors[field_name] = f"{label}: '{raw}' không phải là số."
        return None


def save_form(*, actor, submission: Submission, data, decimal_comma: bool = True) -> SaveResult:
    """The report form's fields → :func:`values_save_many`. A field that is not a number is marked
    and nothing is written, but every other row is still checked so the person sees every problem
    at once."""
    permissions.require(actor, permissions.ENTER, submission.unit)
    result = SaveResult()
    targets = [t for t in selectors.submission_targets(submission) if t.indicator_id]
    rows: list[ValueRow] = []
    keys: list[str] = []

    def number(field_name: str, label: str) -> Decimal | None:
        return parse_input(
            data.get(field_name), label, field_name, result.errors, decimal_comma=decimal_comma
        )

    for t in targets:
        ind, key = t.indicator, str(t.pk)
        if ind.kind == IndicatorKind.RATIO:
            num = number(f"num_{key}", f"{ind.name} — tử số")
            den = number(f"den_{key}", f"{ind.name} — mẫu số")
            val = None
        else:
            num = den = None
            val = number(f"val_{key}", ind.name)
        version = (data.get(f"ver_{key}") or "").strip()
        first = "num" if ind.is_ratio else "val"
        rows.append(
            ValueRow(
                indicator=ind,
                unit=submission.unit,
                period=submission.period,
                numerator=num,
                denominator=den,
                value=val,
                comment=(data.get(f"cmt_{key}") or "").strip(),
                expected_version=int(version) if version.isdecimal() and len(version) < 10 else None,
                row=len(rows) + 1,
                cells={
                    "numerator": f"num_{key}",
                    "denominator": f"den_{key}",
                    "value": f"{first}_{key}" if ind.is_ratio else f"val_{key}",
                    "comment": f"cmt_{key}",
                    "period": f"{first}_{key}",
                },
            )
        )
        keys.append(key)
    typed_badly = bool(result.errors)
    saved = values_save_many(
        actor=actor, rows=rows, reason="nhập trên biểu mẫu", dry_run=typed_badly, max_rows=len(rows) or 1
    )
    for p in saved.problems:
        name = p.cell or "__all__"
        if name == "__all__":
            result.errors["__all__"] = (result.errors.get("__all__", "") + " " + p.message).strip()
        else:
            result.errors.setdefault(name, p.message)
    result.warnings = [w.message for w in saved.warnings]
    result.saved = 0 if result.errors else saved.changed
    return result
