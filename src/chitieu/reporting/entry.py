"""Saving a unit's report form (web) in one transaction: every row is checked, nothing is written
unless every row is valid, conflicts name the other writer's value."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from chitieu.analytics import refresh as analytics
from chitieu.core.numbers import NumberError, parse_number, swap_separators
from chitieu.indicators.models import IndicatorKind
from chitieu.orgs import permissions
from chitieu.reporting import selectors, validation
from chitieu.reporting.errors import ReportingError, ValueConflict, ValueInvalid
from chitieu.reporting.models import DataValue, Submission
from chitieu.reporting.services import value_save


@dataclass
class SaveResult:
    saved: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # form field name -> message
    warnings: list[str] = field(default_factory=list)


class _Rollback(Exception):
    pass


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


@dataclass
class _Row:
    target: object
    value: DataValue | None


def save_form(*, actor, submission: Submission, data, decimal_comma: bool = True) -> SaveResult:
    permissions.require(actor, permissions.ENTER, submission.unit)
    result = SaveResult()
    current_values = {
        dv.indicator_id: dv for dv in DataValue.objects.filter(unit=submission.unit, period=submission.period)
    }
    rows = [
        _Row(t, current_values.get(t.indicator_id))
        for t in selectors.submission_targets(submission)
        if t.indicator_id
    ]

    def number(field_name: str, label: str, errors: dict) -> Decimal | None:
        return parse_input(data.get(field_name), label, field_name, errors, decimal_comma=decimal_comma)

    try:
        with transaction.atomic(), analytics.batch():
            for r in rows:
                t, ind = r.target, r.target.indicator
                key = str(t.pk)
                errors: dict[str, str] = {}
                if ind.kind == IndicatorKind.RATIO:
                    num = number(f"num_{key}", f"{ind.name} — tử số", errors)
                    den = number(f"den_{key}", f"{ind.name} — mẫu số", errors)
                    val = None
                else:
                    num = den = None
                    val = number(f"val_{key}", ind.name, errors)
                comment = (data.get(f"cmt_{key}") or "").strip()
                version = data.get(f"ver_{key}")
                expected = int(version) if version and version.isdigit() else None
                if errors:
                    result.errors.update(errors)
                    continue
                if r.value is None and num is None and den is None and val is None and not comment:
                    continue  # nothing typed, nothing stored: "no data" stays "no data"
                try:
                    _, changed = value_save(
                        actor=actor,
                        indicator=ind,
                        unit=submission.unit,
                        period=submission.period,
                        numerator=num,
                        denominator=den,
                        value=val,
                        comment=comment,
                        expected_version=expected,
                        reason="nhập trên biểu mẫu",
                    )
                except ValueInvalid as exc:
                    for f, msg in exc.errors.items():
                        prefix = {"numerator": "num", "denominator": "den"}.get(
                            f, "val" if not ind.is_ratio else "num"
                        )
                        result.errors[f"{prefix}_{key}"] = msg
                    continue
                except ValueConflict as exc:
                    result.errors[f"{'num' if ind.is_ratio else 'val'}_{key}"] = exc.message
                    continue
                except ReportingError as exc:
                    result.errors[f"{'num' if ind.is_ratio else 'val'}_{key}"] = exc.message
                    continue
                result.saved += int(changed)
                o = validation.outlier(ind, submission.unit, submission.period, num, den, val)
                if o is not None and not comment:
                    result.warnings.append(o.message)
            if result.errors:
                raise _Rollback
            current = validation.current_values(submission.unit, submission.period)
            for v in validation.check_rules(current) + validation.check_parts(current):
                if v.importance == "error":
                    result.errors["__all__"] = (result.errors.get("__all__", "") + " " + v.message).strip()
                else:
                    result.warnings.append(v.message)
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.saved = 0
    return result
