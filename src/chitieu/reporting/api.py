"""The figures and reports endpoints of the REST API: the same services, checks and permissions as the
report form (values_save_many is the one writer)."""

from __future__ import annotations

from ninja import Router, Status

from chitieu.core.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound
from chitieu.core.evaluation import Measurement
from chitieu.core.numbers import round_half_up
from chitieu.core.periods import PeriodError
from chitieu.core.periods import parse as parse_period
from chitieu.indicators.models import Indicator
from chitieu.orgs import permissions
from chitieu.reporting import schemas, selectors, workflow
from chitieu.reporting.errors import ReportingError
from chitieu.reporting.models import DataValue, Submission
from chitieu.reporting.services import ValueRow, values_save_many
from chitieu.ui.http import actor

router = Router(tags=["Số liệu và báo cáo"])


def _indicator(code: str) -> Indicator:
    i = Indicator.objects.filter(code=code.upper()).first()
    if i is None:
        raise NotFound(f"Không có chỉ tiêu mã '{code[:40]}' trong danh mục.")
    return i


def _period(text: str) -> str:
    try:
        return parse_period(text).id
    except PeriodError as exc:
        raise ReportingError(f"Kỳ báo cáo không hợp lệ: {exc}", field="period")


def _value_out(dv: DataValue) -> dict:
    rate = Measurement(dv.numerator, dv.denominator, dv.value).rate
    return {
        "unit": dv.unit.code,
        "indicator": dv.indicator.code,
        "period": dv.period,
        "numerator": dv.numerator,
        "denominator": dv.denominator,
        "value": dv.value,
        "rate_percent": None if rate is None else round_half_up(rate, 4),
        "comment": dv.comment,
        "version": dv.version,
        "source": dv.source,
        "provenance": dv.provenance_vi(),
    }


@router.get("/values", response=list[schemas.ValueOut], summary="Số liệu (kèm nguồn gốc)")
def values(request, period: str, unit: str | None = None, indicator: str | None = None):
    qs = permissions.restrict(
        DataValue.objects.filter(period=_period(period)), actor(request), permissions.VIEW
    )
    if unit:
        qs = qs.filter(unit=permissions.unit_by_code(unit))
    if indicator:
        qs = qs.filter(indicator=_indicator(indicator))
    return [_value_out(dv) for dv in qs.select_related("unit", "indicator", "entered_by")[:5000]]


def _value_row(r: schemas.ValueIn, row: int) -> ValueRow:
    return ValueRow(
        indicator=_indicator(r.indicator),
        unit=permissions.unit_by_code(r.unit),
        period=_period(r.period),
        numerator=r.numerator,
        denominator=r.denominator,
        value=r.value,
        comment=r.comment,
        expected_version=r.expected_version,
        row=row,
    )


@router.put(
    "/values",
    response={
        200: schemas.ValueOut,
        400: schemas.FieldErrors,
        403: schemas.Message,
        404: schemas.Message,
        409: schemas.Conflict,
    },
    summary="Ghi một số liệu (có kiểm tra phiên bản)",
)
def put_value(request, body: schemas.ValueIn):
    """One figure, with the same checks as the report form (including the rules across figures)."""
    row = _value_row(body, 1)
    saved = values_save_many(actor=actor(request), rows=[row], reason="API")
    if not saved.ok:
        first = saved.problems[0]
        if first.code == NotAllowed.code:
            raise NotAllowed(first.message)
        if first.code == Conflict.code:
            current = DataValue.objects.filter(
                indicator=row.indicator, unit=row.unit, period=row.period
            ).first()
            return Status(
                409,
                {"detail": first.message, "current": _value_out(current) if current else _empty_value(body)},
            )
        raise Invalid(problems=saved.problems)
    dv = DataValue.objects.select_related("unit", "indicator", "entered_by").get(
        indicator=row.indicator, unit=row.unit, period=row.period
    )
    return _value_out(dv)


def _empty_value(body: schemas.ValueIn) -> dict:
    return {
        "unit": body.unit,
        "indicator": body.indicator,
        "period": body.period,
        "numerator": None,
        "denominator": None,
        "value": None,
        "rate_percent": None,
        "comment": "",
        "version": 0,
        "source": "",
        "provenance": "",
    }


@router.post(
    "/values/bulk",
    response={200: schemas.BulkOut, 400: schemas.BulkOut},
    summary="Ghi nhiều số liệu (tất cả hoặc không)",
)
def bulk(request, body: schemas.BulkIn, dry_run: bool = False):
    """Every row is checked, with the same rules as the report form; nothing is written unless all
    rows are valid. ``dry_run=true`` returns the per-row summary without writing."""
    rows: list[ValueRow] = []
    early: dict[int, list[str]] = {}
    for i, r in enumerate(body.rows, start=1):
        try:
            rows.append(_value_row(r, i))
        except DomainError as exc:
            early[i] = [getattr(exc, "message", None) or str(exc)]
    saved = values_save_many(
        actor=actor(request), rows=rows, reason="API (nhiều dòng)", dry_run=dry_run or bool(early)
    )
    by_row: dict[int, list[str]] = dict(early)
    for p in saved.problems:
        by_row.setdefault(p.row or 0, []).append(p.message)
    status_of = {r.row: st for r, st in zip(rows, saved.statuses, strict=False)}
    out_rows = []
    for i in range(1, len(body.rows) + 1):
        msgs = by_row.get(i, [])
        st = "error" if msgs else status_of.get(i, "unchanged")
        out_rows.append({"row": i, "status": st, "errors": msgs})
    general = by_row.get(0, [])
    errors = sum(1 for r in out_rows if r["status"] == "error") + (1 if general else 0)
    out = {
        "dry_run": dry_run,
        "written": not errors and not dry_run,
        "changed": 0 if errors else saved.changed,
        "unchanged": 0 if errors else saved.unchanged,
        "errors": errors,
        "rows": out_rows,
        "problems": general,
    }
    return Status(400 if errors else 200, out)


def _sub_out(s: Submission) -> dict:
    return {
        "id": s.pk,
        "plan_id": s.plan_id,
        "unit": s.unit.code,
        "period": s.period,
        "status": s.status,
        "due_date": s.due_date.isoformat(),
        "approver_unit": s.approver_unit.code if s.approver_unit else None,
        "returned_reason": s.returned_reason,
    }


@router.get(
    "/submissions", response=list[schemas.SubmissionOut], summary="Báo cáo kỳ phải gửi, đã gửi, chờ duyệt"
)
def submissions(request, period: str | None = None, unit: str | None = None, status: str | None = None):
    qs = selectors.visible_submissions(actor(request))
    if period:
        qs = qs.filter(period=_period(period))
    if unit:
        qs = qs.filter(unit=permissions.unit_by_code(unit))
    if status:
        qs = qs.filter(status=status)
    return [_sub_out(s) for s in qs.order_by("due_date")[:2000]]


def _submission(request, sid: int) -> Submission:
    return permissions.get_visible(selectors.visible_submissions(actor(request)), sid, what="báo cáo")


@router.post(
    "/submissions/{sid}/submit",
    response={200: schemas.SubmissionOut, 400: schemas.Message, 403: schemas.Message, 404: schemas.Message},
)
def submit(request, sid: int):
    return _sub_out(workflow.submission_submit(actor=actor(request), submission=_submission(request, sid)))


@router.post(
    "/submissions/{sid}/approve",
    response={200: schemas.SubmissionOut, 400: schemas.Message, 403: schemas.Message, 404: schemas.Message},
)
def approve(request, sid: int):
    return _sub_out(workflow.submission_approve(actor=actor(request), submission=_submission(request, sid)))


@router.post(
    "/submissions/{sid}/return",
    response={200: schemas.SubmissionOut, 400: schemas.Message, 403: schemas.Message, 404: schemas.Message},
)
def return_(request, sid: int, body: schemas.ReasonIn):
    return _sub_out(
        workflow.submission_return(
            actor=actor(request), submission=_submission(request, sid), reason=body.reason
        )
    )


@router.post(
    "/submissions/{sid}/reopen",
    response={200: schemas.SubmissionOut, 400: schemas.Message, 403: schemas.Message, 404: schemas.Message},
)
def reopen(request, sid: int, body: schemas.ReasonIn):
    return _sub_out(
        workflow.submission_reopen(
            actor=actor(request), submission=_submission(request, sid), reason=body.reason
        )
    )
