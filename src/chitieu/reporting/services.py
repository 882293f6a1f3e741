"""Writes on data values: permission, validation, optimistic locking, versions, change log."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction

from chitieu.analytics import refresh as analytics
from chitieu.audit.services import record
from chitieu.core.errors import DomainError, Invalid, NotAllowed, Problem
from chitieu.core.periods import Period, PeriodError
from chitieu.core.periods import parse as parse_period
from chitieu.indicators.models import Indicator, IndicatorKind
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.reporting.errors import ValueConflict, ValueInvalid, ValueLocked
from chitieu.reporting.models import DataValue, DataValueVersion, Submission, SubmissionStatus, ValueSource

#: the most figures one call of :func:`values_save_many` takes (an Excel sheet, an API batch)
MAX_BATCH_ROWS = getattr(settings, "CHITIEU_MAX_BATCH_ROWS", 5000)

_VALUE_FIELDS = (
    "numerator",
    "denominator",
    "value",
    "comment",
    "source",
    "entered_by_id",
    "import_file",
    "import_row",
    "computed_from",
)


def as_period(period: Period | str) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return parse_period(period)
    except PeriodError as exc:
        raise ValueInvalid({"period": f"Kỳ báo cáo không hợp lệ: {exc}"})


def check_value(
    indicator: Indicator, numerator: Decimal | None, denominator: Decimal | None, value: Decimal | None
) -> dict[str, str]:
    """Built-in checks on one value (Vietnamese messages naming the field)."""
    errors: dict[str, str] = {}
    name = indicator.name
    if indicator.kind == IndicatorKind.RATIO:
        if (numerator is None) != (denominator is None):
            missing = "mẫu số" if denominator is None else "tử số"
            errors["numerator" if numerator is None else "denominator"] = f"{name}: thiếu {missing}."
        for field, v, label in (("numerator", numerator, "Tử số"), ("denominator", denominator, "Mẫu số")):
            if v is not None and v < 0:
                errors[field] = f"{name}: {label} không được âm."
            elif v is not None and v != v.to_integral_value():
                errors[field] = f"{name}: {label} phải là số nguyên (đếm hồ sơ, văn bản...)."
        if numerator is not None and denominator is not None and not errors and numerator > denominator:
            errors["numerator"] = f"{name}: tử số ({numerator:f}) lớn hơn mẫu số ({denominator:f})."
        if value is not None:
            errors["value"] = f"{name}: chỉ tiêu tỷ lệ nhập tử số và mẫu số, không nhập giá trị."
    else:
        if numerator is not None or denominator is not None:
            errors["value"] = f"{name}: chỉ tiêu này nhập một giá trị, không nhập tử số/mẫu số."
        if value is not None:
            if indicator.kind == IndicatorKind.COUNT:
                if value < 0:
                    errors["value"] = f"{name}: số lượng không được âm."
                elif value != value.to_integral_value():
                    errors["value"] = f"{name}: số lượng phải là số nguyên."
            elif indicator.kind == IndicatorKind.BOOLEAN and value not in (0, 1):
                errors["value"] = f"{name}: chỉ nhận 1 (có) hoặc 0 (không)."
            elif value < 0:
                errors["value"] = f"{name}: giá trị không được âm."
    return errors


def _dec(v) -> Decimal | None:
    if v is None or v == "":
        return None
    if isinstance(v, Decimal):
        return v
    return Decimal(str(v))


@transaction.atomic
def value_save(
    *,
    actor,
    indicator: Indicator,
    unit: Unit,
    period: Period | str,
    numerator=None,
    denominator=None,
    value=None,
    comment: str = "",
    expected_version: int | None = None,
    source: str = ValueSource.ENTERED,
    import_file: str = "",
    import_row: int | None = None,
    computed_from: str = "",
    reason: str = "",
    check_permission: bool = True,
) -> tuple[DataValue, bool]:
    """Create or change the current value; returns (value, changed).

    ``expected_version``: the version the writer saw (None = they saw no value). A mismatch
    raises :class:`ValueConflict` carrying the other writer's value; nothing is overwritten.
    Saving the same numbers again changes nothing (no new version).
    """
    if check_permission:
        permissions.require(actor, permissions.ENTER, unit)
    p = as_period(period)
    locked = Submission.objects.filter(
        unit=unit,
        period=p.id,
        status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED],
        plan__targets__indicator=indicator,
    ).first()
    if locked is not None:
        raise ValueLocked(
            f"{indicator.name}: báo cáo {p.label_vi} của {unit.display_name} đã {locked.get_status_display().lower()}, "
            "số liệu bị khóa. Cần mở lại báo cáo (có lý do) để sửa.",
            field="value",
        )
    num, den, val = _dec(numerator), _dec(denominator), _dec(value)
    errors = check_value(indicator, num, den, val)
    if errors:
        raise ValueInvalid(errors)
    user = actor if getattr(actor, "is_authenticated", False) else None
    fields = {
        "numerator": num,
        "denominator": den,
        "value": val,
        "comment": comment or "",
        "source": source,
        "entered_by": user,
        "import_file": import_file,
        "import_row": import_row,
        "computed_from": computed_from,
    }
    current = (
        DataValue.objects.select_for_update().filter(indicator=indicator, unit=unit, period=p.id).first()
    )
    if current is None:
        if expected_version not in (None, 0):
            raise ValueConflict(DataValue(indicator=indicator, unit=unit, period=p.id, version=0))
        window = p.calendar_window
        try:
            with transaction.atomic():
                dv = DataValue.objects.create(
                    indicator=indicator,
                    unit=unit,
                    period=p.id,
                    period_kind=p.kind.value,
                    period_start=window.start,
                    period_end=window.end,
                    version=1,
                    **fields,
                )
        except IntegrityError:
            # someone created it between our read and our insert
            raise ValueConflict(DataValue.objects.get(indicator=indicator, unit=unit, period=p.id))
        _keep_version(dv, reason)
        record(actor=actor, action="create", obj=dv, after=_state(dv), reason=reason)
        analytics.values_changed([(indicator.pk, unit.pk)])
        return dv, True
    if (current.numerator, current.denominator, current.value, current.comment) == (
        num,
        den,
        val,
        fields["comment"],
    ):
        return current, False  # the same figures again (a re-uploaded file): nothing to do, no conflict
    if expected_version is not None and expected_version != current.version:
        raise ValueConflict(current)
    before = _state(current)
    for k, v in fields.items():
        setattr(current, k, v)
    current.version += 1
    current.save()
    _keep_version(current, reason)
    record(actor=actor, action="update", obj=current, before=before, after=_state(current), reason=reason)
    analytics.values_changed([(indicator.pk, unit.pk)])
    return current, True


def _state(dv: DataValue) -> dict:
    return {
        k: (str(getattr(dv, k)) if isinstance(getattr(dv, k), Decimal) else getattr(dv, k))
        for k in _VALUE_FIELDS
    }


def _keep_version(dv: DataValue, reason: str) -> DataValueVersion:
    return DataValueVersion.objects.create(
        data_value=dv,
        version=dv.version,
        reason=reason[:500],
        **{k: getattr(dv, k) for k in _VALUE_FIELDS},
    )


def values_save_computed(
    *,
    actor,
    rows: list[tuple[Indicator, Unit, str, object, object, object]],
    computed_from: str,
    reason: str = "tính từ dữ liệu",
) -> dict:
    """Write many computed values at once: (indicator, unit, period id, numerator, denominator,
    value). Same rules as :func:`value_save` - permission per unit, locked reports are not
    touched, an unchanged value makes no new version, every change is versioned - with a few
    queries instead of a few per value. Returns counts and the (unit, indicator, period) skipped
    because the report is locked or the user may not enter the unit's data."""
    if not rows:
        return {"written": 0, "unchanged": 0, "locked": [], "refused": []}
    units = {u.pk: u for _, u, _, _, _, _ in rows}
    allowed = {uid for uid, u in units.items() if permissions.has(actor, permissions.ENTER, u)}
    periods = {p for _, _, p, _, _, _ in rows}
    ind_ids = {i.pk for i, _, _, _, _, _ in rows}
    locked = set(
        Submission.objects.filter(
            unit_id__in=allowed,
            period__in=periods,
            status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED],
            plan__targets__indicator_id__in=ind_ids,
        ).values_list("unit_id", "period", "plan__targets__indicator_id")
    )
    existing = {
        (dv.indicator_id, dv.unit_id, dv.period): dv
        for dv in DataValue.objects.filter(indicator_id__in=ind_ids, unit_id__in=allowed, period__in=periods)
    }
    user = actor if getattr(actor, "is_authenticated", False) else None
    new, changed, versions, refused, locked_out, pairs = [], [], [], [], [], set()
    unchanged = 0
    parsed: dict[str, Period] = {}
    for ind, unit, pid, num, den, val in rows:
        if unit.pk not in allowed:
            refused.append((unit.code, ind.code, pid))
            continue
        if (unit.pk, pid, ind.pk) in locked:
            locked_out.append((unit.code, ind.code, pid))
            continue
        num, den, val = _dec(num), _dec(den), _dec(val)
        cur = existing.get((ind.pk, unit.pk, pid))
        fields = {
            "numerator": num,
            "denominator": den,
            "value": val,
            "source": ValueSource.COMPUTED,
            "computed_from": computed_from[:500],
            "entered_by": user,
            "import_file": "",
            "import_row": None,
        }
        if cur is not None:
            if (cur.numerator, cur.denominator, cur.value) == (
                num,
                den,
                val,
            ) and cur.source == ValueSource.COMPUTED:
                unchanged += 1
                continue
            for k, v in fields.items():
                setattr(cur, k, v)
            cur.version += 1
            changed.append(cur)
        else:
            p = parsed.get(pid) or parsed.setdefault(pid, as_period(pid))
            window = p.calendar_window
            cur = DataValue(
                indicator=ind,
                unit=unit,
                period=p.id,
                period_kind=p.kind.value,
                period_start=window.start,
                period_end=window.end,
                version=1,
                comment="",
                **fields,
            )
            new.append(cur)
        pairs.add((ind.pk, unit.pk))
    with transaction.atomic():
        DataValue.objects.bulk_create(new, batch_size=1000)
        if changed:
            DataValue.objects.bulk_update(changed, [*_VALUE_FIELDS, "version"], batch_size=500)
        for dv in [*new, *changed]:
            versions.append(
                DataValueVersion(
                    data_value=dv,
                    version=dv.version,
                    reason=reason[:500],
                    **{k: getattr(dv, k) for k in _VALUE_FIELDS},
                )
            )
        DataValueVersion.objects.bulk_create(versions, batch_size=1000)
        if new or changed:
            record(
                actor=actor,
                action="update",
                object_type="reporting.datavalue",
                object_id="",
                after={"computed": len(new) + len(changed), "from": computed_from[:200]},
                reason=reason,
            )
        analytics.values_changed(pairs)
    return {
        "written": len(new) + len(changed),
        "unchanged": unchanged,
        "locked": locked_out,
        "refused": refused,
    }


# --- the one batch writer ------------------------------------------------------------------------
@dataclass
class ValueRow:
    """One figure to write, as a channel read it. ``row`` is the channel's row number (a sheet row,
    a position in the API batch, a line of the form) and ``cells`` maps a field (numerator,
    denominator, value, comment) to where it was typed ("G5"), so problems say where they are."""

    indicator: Indicator
    unit: Unit
    period: Period | str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    comment: str = ""
    expected_version: int | None = None
    row: int | None = None
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class SaveManyResult:
    rows: int = 0
    changed: int = 0
    unchanged: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)  # per row: changed | unchanged | error

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run and self.changed > 0


class _Rollback(Exception):
    pass


def values_save_many(
    *,
    actor,
    rows: list[ValueRow],
    reason: str,
    dry_run: bool = False,
    source: str = ValueSource.ENTERED,
    import_file: str = "",
    max_rows: int | None = None,
) -> SaveManyResult:
    """Write figures from any channel (the report form, Excel, the API, the CLI), all or nothing.

    Each row goes through :func:`value_save` (permission, lock, built-in checks, optimistic version,
    change log, provenance); then the cross-value rules (rules kept as data, parts adding up to
    their total) run on every unit and period the batch touched. One problem anywhere and nothing
    is written; ``dry_run`` checks everything and writes nothing. A row with nothing in it for a
    figure that does not exist yet stores nothing ("no data" stays "no data").
    """
    from chitieu.reporting import validation

    limit = max_rows or MAX_BATCH_ROWS
    result = SaveManyResult(rows=len(rows), dry_run=dry_run)
    if len(rows) > limit:
        raise Invalid(f"Một lần ghi tối đa {limit} số liệu; lần này có {len(rows)}.", field="rows")
    touched: dict[tuple[int, str], Unit] = {}
    may_enter: dict[int, bool] = {}
    try:
        with transaction.atomic(), analytics.batch():
            for i, r in enumerate(rows):
                where = r.row if r.row is not None else i + 1
                if r.unit.pk not in may_enter:
                    may_enter[r.unit.pk] = permissions.has(actor, permissions.ENTER, r.unit)
                if not may_enter[r.unit.pk]:
                    result.problems.append(
                        Problem(
                            f"Bạn không có quyền nhập số liệu cho {r.unit.name}.",
                            row=where,
                            code=NotAllowed.code,
                        )
                    )
                    result.statuses.append("error")
                    continue
                nothing = r.numerator is None and r.denominator is None and r.value is None and not r.comment
                if nothing and (
                    r.expected_version in (None, 0)
                    and not DataValue.objects.filter(
                        indicator=r.indicator, unit=r.unit, period=as_period(r.period).id
                    ).exists()
                ):
                    result.unchanged += 1
                    result.statuses.append("unchanged")
                    continue
                try:
                    dv, changed = value_save(
                        actor=actor,
                        indicator=r.indicator,
                        unit=r.unit,
                        period=r.period,
                        numerator=r.numerator,
                        denominator=r.denominator,
                        value=r.value,
                        comment=r.comment,
                        expected_version=r.expected_version,
                        source=source,
                        import_file=import_file[:255],
                        import_row=r.row if source == ValueSource.IMPORTED else None,
                        reason=reason,
                    )
                except ValueInvalid as exc:
                    for f, msg in exc.errors.items():
                        result.problems.append(Problem(msg, field=f, row=where, cell=r.cells.get(f)))
                    result.statuses.append("error")
                    continue
                except DomainError as exc:
                    f = exc.field or ("numerator" if r.indicator.is_ratio else "value")
                    result.problems.append(
                        Problem(exc.message, field=f, row=where, cell=r.cells.get(f), code=exc.code)
                    )
                    result.statuses.append("error")
                    continue
                result.statuses.append("changed" if changed else "unchanged")
                result.changed += int(changed)
                result.unchanged += int(not changed)
                touched[(r.unit.pk, dv.period)] = r.unit
                o = validation.outlier(r.indicator, r.unit, dv.period, dv.numerator, dv.denominator, dv.value)
                if o is not None and not r.comment:
                    result.warnings.append(
                        Problem(o.message, field="comment", row=where, cell=r.cells.get("comment"))
                    )
            if not result.problems:
                for (_, period), unit in touched.items():
                    current = validation.current_values(unit, period)
                    for v in validation.check_rules(current) + validation.check_parts(current):
                        p = Problem(v.message, field="__all__")
                        (result.problems if v.importance == "error" else result.warnings).append(p)
            if result.problems or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if result.problems:
        result.changed = 0
    return result
