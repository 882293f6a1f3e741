"""The REST API (django-ninja, OpenAPI at /api/docs): token or session authentication, the same
services, validation and permissions as the web form. Errors are JSON with Vietnamese messages."""

from __future__ import annotations

from django.db import DataError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Query, Status
from ninja.security import HttpBearer, django_auth

from chitieu.api import schemas as S
from chitieu.api.models import ApiToken, hash_token
from chitieu.core.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound
from chitieu.core.evaluation import Measurement
from chitieu.core.numbers import round_half_up
from chitieu.core.periods import DECREE_09, PeriodError
from chitieu.core.periods import parse as parse_period
from chitieu.indicators.models import Indicator
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.plans import selectors as plan_selectors
from chitieu.plans.models import Plan
from chitieu.reporting import selectors, workflow
from chitieu.reporting.errors import ReportingError
from chitieu.reporting.models import DataValue, Submission
from chitieu.reporting.services import ValueRow, values_save_many
from chitieu.ui.errors import TITLES


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        tok = (
            ApiToken.objects.select_related("user").filter(key_hash=hash_token(token), revoked=False).first()
        )
        if tok is None or not tok.user.is_active:
            return None
        ApiToken.objects.filter(pk=tok.pk).update(last_used_at=timezone.now())
        request.user = tok.user
        return tok.user


api = NinjaAPI(
    title="chitieu API",
    version="1",
    description="Kế hoạch, chỉ tiêu, số liệu và báo cáo định kỳ.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(DataError)
def _bad_data(request, exc):
    # e.g. a NUL character inside a JSON string: no database stores it
    return api.create_response(
        request, {"detail": "Dữ liệu không hợp lệ (có ký tự không lưu được)."}, status=400
    )


def problem(exc: DomainError) -> dict:
    """Problem details (RFC 9457) with the Vietnamese message and where each problem is:
    ``errors`` maps a field to its message, ``problems`` lists them with row and cell."""
    body = {
        "type": f"https://chitieu.gov.vn/loi/{exc.code}",
        "title": TITLES.get(exc.status, TITLES[400]),
        "status": exc.status,
        "detail": exc.message,
        "code": exc.code,
        "problems": [p.as_dict() for p in exc.all_problems()],
    }
    fields = {p.field: p.message for p in exc.all_problems() if p.field}
    if fields:
        body["errors"] = fields
    return body


@api.exception_handler(DomainError)
def _domain_error(request, exc):
    return api.create_response(request, problem(exc), status=exc.status)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, problem(NotFound(str(exc) or "Không tìm thấy.")), status=404)


def _user(request):
    return request.auth if request.auth is not None and request.auth is not True else request.user


def _unit(code: str) -> Unit:
    u = Unit.objects.filter(code=code).first()
    if u is None:
        raise Http404(f"Không có đơn vị mã '{code}'.")
    return u


def _indicator(code: str) -> Indicator:
    i = Indicator.objects.filter(code=code.upper()).first()
    if i is None:
        raise Http404(f"Không có chỉ tiêu mã '{code}' trong danh mục.")
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


@api.get("/me", response=dict, summary="Người dùng hiện tại và vai trò")
def me(request):
    user = _user(request)
    return {
        "username": user.get_username(),
        "roles": sorted(permissions.roles_of(user)),
        "superuser": bool(user.is_superuser),
    }


@api.get(
    "/periods/{phrase}", response={200: S.PeriodOut, 400: S.Message}, auth=None, summary="Hiểu một kỳ báo cáo"
)
def period(request, phrase: str):
    try:
        p = parse_period(phrase)
    except PeriodError as exc:
        return Status(400, {"detail": str(exc)})
    cal, cut = p.calendar_window, p.window(DECREE_09)
    return {
        "id": p.id,
        "label": p.label_vi,
        "calendar": [cal.start.isoformat(), cal.end.isoformat()],
        "cutoff": [cut.start.isoformat(), cut.end.isoformat()],
    }


@api.get("/units", response=list[S.UnitOut], summary="Đơn vị trong phạm vi được xem")
def units(request, parent: str | None = None, q: str | None = None, limit: int = Query(200, ge=1, le=1000)):
    qs = permissions.units_for(_user(request), permissions.VIEW)
    if parent:
        qs = qs.filter(parent=_unit(parent))
    if q:
        from chitieu.core import vntext

        qs = qs.filter(search_key__contains=vntext.fold(q))
    return [
        {
            "id": u.pk,
            "code": u.code,
            "name": u.name,
            "kind": u.kind,
            "parent_id": u.parent_id,
            "valid_from": u.valid_from.isoformat() if u.valid_from else None,
            "valid_to": u.valid_to.isoformat() if u.valid_to else None,
        }
        for u in qs.order_by("path")[:limit]
    ]


def _plan_out(p, with_targets: bool) -> dict:
    out = {
        "id": p.pk,
        "number_symbol": p.number_symbol,
        "title": p.title,
        "status": p.status,
        "issuer": p.issuer_name,
        "date": p.date_text,
    }
    if with_targets:
        out["targets"] = [
            {
                "id": t.pk,
                "text": t.text,
                "operator": t.operator,
                "threshold": t.threshold,
                "unit": t.unit,
                "scope": t.scope,
                "indicator": t.indicator.code if t.indicator else None,
                "lead_unit": t.lead_unit.code if t.lead_unit else t.lead_unit_text or None,
                "source_line": t.source_line,
            }
            for t in p.targets.select_related("indicator", "lead_unit")
        ]
    return out


@api.get("/plans", response=list[S.PlanOut], summary="Kế hoạch trong phạm vi")
def plans(request, status: str | None = None):
    qs = plan_selectors.visible_plans(_user(request))
    if status:
        qs = qs.filter(status=status)
    return [_plan_out(p, False) for p in qs.order_by("-id")[:500]]


@api.get("/plans/{plan_id}", response=S.PlanOut, summary="Một kế hoạch và các chỉ tiêu")
def plan(request, plan_id: int):
    p = plan_selectors.visible_plans(_user(request)).filter(pk=plan_id).first()
    if p is None:
        if Plan.objects.filter(pk=plan_id).exists():
            raise permissions.NotAllowed("Bạn không có quyền xem kế hoạch này.")
        raise Http404("Không tìm thấy kế hoạch.")
    return _plan_out(p, True)


@api.get("/values", response=list[S.ValueOut], summary="Số liệu (kèm nguồn gốc)")
def values(request, period: str, unit: str | None = None, indicator: str | None = None):
    qs = permissions.restrict(
        DataValue.objects.filter(period=_period(period)), _user(request), permissions.VIEW
    )
    if unit:
        qs = qs.filter(unit=_unit(unit))
    if indicator:
        qs = qs.filter(indicator=_indicator(indicator))
    return [_value_out(dv) for dv in qs.select_related("unit", "indicator", "entered_by")[:5000]]


def _value_row(r: S.ValueIn, row: int) -> ValueRow:
    return ValueRow(
        indicator=_indicator(r.indicator),
        unit=_unit(r.unit),
        period=_period(r.period),
        numerator=r.numerator,
        denominator=r.denominator,
        value=r.value,
        comment=r.comment,
        expected_version=r.expected_version,
        row=row,
    )


@api.put(
    "/values",
    response={200: S.ValueOut, 400: S.FieldErrors, 403: S.Message, 404: S.Message, 409: S.Conflict},
    summary="Ghi một số liệu (có kiểm tra phiên bản)",
)
def put_value(request, body: S.ValueIn):
    """One figure, with the same checks as the report form (including the rules across figures)."""
    row = _value_row(body, 1)
    saved = values_save_many(actor=_user(request), rows=[row], reason="API")
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


def _empty_value(body: S.ValueIn) -> dict:
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


@api.post(
    "/values/bulk", response={200: S.BulkOut, 400: S.BulkOut}, summary="Ghi nhiều số liệu (tất cả hoặc không)"
)
def bulk(request, body: S.BulkIn, dry_run: bool = False):
    """Every row is checked, with the same rules as the report form; nothing is written unless all
    rows are valid. ``dry_run=true`` returns the per-row summary without writing."""
    rows: list[ValueRow] = []
    early: dict[int, list[str]] = {}
    for i, r in enumerate(body.rows, start=1):
        try:
            rows.append(_value_row(r, i))
        except (DomainError, Http404) as exc:
            early[i] = [getattr(exc, "message", None) or str(exc)]
    saved = values_save_many(
        actor=_user(request), rows=rows, reason="API (nhiều dòng)", dry_run=dry_run or bool(early)
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


@api.get("/submissions", response=list[S.SubmissionOut], summary="Báo cáo kỳ phải gửi, đã gửi, chờ duyệt")
def submissions(request, period: str | None = None, unit: str | None = None, status: str | None = None):
    qs = selectors.visible_submissions(_user(request))
    if period:
        qs = qs.filter(period=_period(period))
    if unit:
        qs = qs.filter(unit=_unit(unit))
    if status:
        qs = qs.filter(status=status)
    return [_sub_out(s) for s in qs.order_by("due_date")[:2000]]


def _submission(request, sid: int) -> Submission:
    s = selectors.visible_submissions(_user(request)).filter(pk=sid).first()
    if s is None:
        if Submission.objects.filter(pk=sid).exists():
            raise permissions.NotAllowed("Bạn không có quyền với báo cáo này.")
        raise Http404("Không tìm thấy báo cáo.")
    return s


@api.post(
    "/submissions/{sid}/submit",
    response={200: S.SubmissionOut, 400: S.Message, 403: S.Message, 404: S.Message},
)
def submit(request, sid: int):
    return _sub_out(workflow.submission_submit(actor=_user(request), submission=_submission(request, sid)))


@api.post(
    "/submissions/{sid}/approve",
    response={200: S.SubmissionOut, 400: S.Message, 403: S.Message, 404: S.Message},
)
def approve(request, sid: int):
    return _sub_out(workflow.submission_approve(actor=_user(request), submission=_submission(request, sid)))


@api.post(
    "/submissions/{sid}/return",
    response={200: S.SubmissionOut, 400: S.Message, 403: S.Message, 404: S.Message},
)
def return_(request, sid: int, body: S.ReasonIn):
    return _sub_out(
        workflow.submission_return(
            actor=_user(request), submission=_submission(request, sid), reason=body.reason
        )
    )


@api.post(
    "/submissions/{sid}/reopen",
    response={200: S.SubmissionOut, 400: S.Message, 403: S.Message, 404: S.Message},
)
def reopen(request, sid: int, body: S.ReasonIn):
    return _sub_out(
        workflow.submission_reopen(
            actor=_user(request), submission=_submission(request, sid), reason=body.reason
        )
    )
