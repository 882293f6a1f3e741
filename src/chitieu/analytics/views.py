"""Dashboards: overview, plan progress, a target's units, unit scorecard, indicator, ranking,
plan cascade. Thin: figures come from :mod:`chitieu.analytics.selectors`; every table can be
downloaded as XLSX or CSV (``?format=``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from chitieu.analytics import cascade
from chitieu.analytics import selectors as an
from chitieu.core.errors import NotFound
from chitieu.core.evaluation import Measurement, Status
from chitieu.indicators.models import Indicator
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit, UnitKind
from chitieu.plans.models import Plan, PlanStatus
from chitieu.plans.selectors import visible_plans
from chitieu.ui.http import int_param
from chitieu.ui.tables import Table, export_response
from chitieu.ui.templatetags.chitieu import status_label


def _label(status: str) -> str:
    """A status in exported tables: Vietnamese, like every export, whatever the interface's language."""
    return Status(status).label_vi


def _rate(m: Measurement):
    return m.rate if m.is_ratio else None


def _chart_counts(counts: dict[str, int]) -> list[dict]:
    return [{"status": k, "label": status_label(k), "n": v} for k, v in counts.items()]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    ov = an.overview(request.user)
    table = Table(
        "Tổng quan",
        ["Kế hoạch", "Trích yếu", *[_label(s) for s in ov.targets]],
        [[p.number_symbol, p.title, *c.values()] for p, c in ov.plans],
        "tong-quan",
    )
    if (resp := export_response(request, table)) is not None:
        return resp
    # a few plans: each with its targets; many (a province or the nation): one line per plan
    compact = len(ov.plans) > 3
    sections = [] if compact else [(p, counts, an.plan_lines(p)) for p, counts in ov.plans]
    return render(
        request,
        "analytics/overview.html",
        {
            "ov": ov,
            "sections": sections,
            "compact": compact,
            "chart": {"targets": _chart_counts(ov.targets), "assignments": _chart_counts(ov.assignments)},
        },
    )


def _plan_for(request: HttpRequest, pk: int) -> Plan:
    return permissions.get_visible(visible_plans(request.user).select_related("issuer"), pk, what="kế hoạch")


@login_required
def plan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    lines = an.plan_lines(plan)
    table = Table(
        "Chỉ tiêu",
        [
            "STT",
            "Chỉ tiêu",
            "Mục tiêu",
            "Kỳ",
            "Tử số",
            "Mẫu số",
            "Giá trị",
            "Tỷ lệ (%)",
            "Đánh giá",
            "Số đơn vị có số liệu",
        ],
        [
            [
                i,
                ln.target.text,
                f"{ln.target.get_operator_display()} {ln.target.threshold.normalize():f}",
                ln.state.period if ln.state else "",
                ln.measurement.numerator,
                ln.measurement.denominator,
                ln.measurement.value,
                _rate(ln.measurement),
                _label(ln.status),
                f"{ln.state.units_reporting}/{ln.state.units_total}" if ln.state else "",
            ]
            for i, ln in enumerate(lines, 1)
        ],
        f"tien-do-{plan.number_symbol or plan.pk}",
    )
    if (resp := export_response(request, table)) is not None:
        return resp
    return render(
        request,
        "analytics/plan_progress.html",
        {
            "plan": plan,
            "lines": lines,
            "counts": an.plan_counts(lines),
            "tracked": plan.status != PlanStatus.DRAFT,
        },
    )


@login_required
def target_units(request: HttpRequest, pk: int, tid: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    target = get_object_or_404(plan.targets.select_related("indicator", "plan__issuer"), pk=tid)
    order = "value" if request.GET.get("sap-xep") == "gia-tri" else "status"
    states = an.target_unit_states(request.user, target, order=order)
    total = an.TargetState.objects.filter(target=target, unit__isnull=True).first()
    table = Table(
        "Đơn vị",
        ["Đơn vị", "Mã", "Kỳ", "Tử số", "Mẫu số", "Giá trị", "Tỷ lệ (%)", "Đánh giá", "Dự báo đến hạn"],
        [
            [
                s.unit.name,
                s.unit.code,
                s.period,
                s.numerator,
                s.denominator,
                s.value,
                _rate(Measurement(s.numerator, s.denominator, s.value)),
                _label(s.status),
                s.projected,
            ]
            for s in states
        ],
        f"chi-tieu-{target.pk}-don-vi",
    )
    if (resp := export_response(request, table)) is not None:
        return resp
    return render(
        request,
        "analytics/target_units.html",
        {"plan": plan, "target": target, "states": states, "total": total, "order": order},
    )


@login_required
def unit_card(request: HttpRequest, uid: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=uid)
    if not an.may_see_unit(request.user, unit):
        raise permissions.NotAllowed("Bạn không có quyền xem đơn vị này.")
    card = an.unit_scorecard(unit)
    table = Table(
        "Chỉ tiêu của đơn vị",
        ["Kế hoạch", "Chỉ tiêu", "Mục tiêu", "Kỳ", "Tử số", "Mẫu số", "Giá trị", "Tỷ lệ (%)", "Đánh giá"],
        [
            [
                plan.number_symbol,
                s.target.text,
                f"{s.target.get_operator_display()} {s.target.threshold.normalize():f}",
                s.period,
                s.numerator,
                s.denominator,
                s.value,
                _rate(Measurement(s.numerator, s.denominator, s.value)),
                _label(s.status),
            ]
            for plan, states in card.sections
            for s in states
        ],
        f"don-vi-{unit.code}",
    )
    if (resp := export_response(request, table)) is not None:
        return resp
    children = Unit.objects.filter(parent=unit, valid_to__isnull=True).order_by("name")[:200]
    return render(
        request,
        "analytics/unit_card.html",
        {
            "unit": unit,
            "card": card,
            "chart": {"counts": _chart_counts(card.counts)},
            "children": children,
            "parent_visible": unit.parent is not None and an.may_see_unit(request.user, unit.parent),
        },
    )


def _root_for(request: HttpRequest) -> Unit:
    raw = request.GET.get("don-vi")
    if raw:
        key = int_param(raw)
        if key is None:
            raise NotFound("Mã đơn vị không hợp lệ.")
        unit = get_object_or_404(Unit, pk=key)
    else:
        unit = permissions.home_unit(request.user) or Unit.objects.order_by("depth", "path").first()
        if unit is None:
            raise Http404("Chưa có đơn vị nào.")
    if not an.may_see_unit(request.user, unit):
        raise permissions.NotAllowed("Bạn không có quyền xem số liệu của đơn vị này.")
    return unit


@login_required
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    ind = get_object_or_404(Indicator, code=code)
    root = _root_for(request)
    mapped = request.GET.get("quy-doi") == "hien-nay"
    periods = an.indicator_periods(ind, root, mapped=mapped)
    period = request.GET.get("ky") or (periods[0] if periods else "")
    if period and period not in periods:
        periods = [period, *periods]
    ru = an.rollup(ind, period, root, mapped=mapped) if period else None
    rows = ru.sorted_rows() if ru else []
    table = Table(
        ind.name[:31],
        ["Đơn vị", "Tử số", "Mẫu số", "Giá trị", "Tỷ lệ (%)", "Số đơn vị có số liệu"],
        [
            [
                r.unit.name if r.unit else "",
                r.measurement.numerator,
                r.measurement.denominator,
                r.measurement.value,
                _rate(r.measurement),
                r.reporting,
            ]
            for r in rows
        ],
        f"{ind.code}-{root.code}-{period}",
    )
    if (resp := export_response(request, table)) is not None:
        return resp
    kind = an.dominant_kind(periods)
    dist = an.distribution(ind, root, mapped=mapped, kind=kind, periods=periods)

    def num(m: Measurement):
        v = m.rate if m.is_ratio else m.value
        return None if v is None else round(float(v), 2)

    chart = {
        "ratio": ind.is_ratio,
        "bars": [
            {"name": (r.unit.display_name if r.unit else "?"), "value": num(r.measurement)}
            for r in rows
            if num(r.measurement) is not None
        ],
        "total": num(ru.total) if ru else None,
        "box": [{"period": p, "five": five, "n": n} for p, five, n in dist if five],
    }
    return render(
        request,
        "analytics/indicator.html",
        {
            "ind": ind,
            "root": root,
            "mapped": mapped,
            "periods": periods,
            "period": period,
            "rollup": ru,
            "rows": rows,
            "chart": chart,
            "ancestors": Unit.objects.filter(
                pk__in=[int(x) for x in root.path.strip("/").split("/") if x]
            ).order_by("depth"),
        },
    )


@login_required
def indicators(request: HttpRequest) -> HttpResponse:
    used = an.Fact.objects.values_list("indicator_id", flat=True).distinct()
    items = Indicator.objects.filter(pk__in=used).order_by("code")
    return render(request, "analytics/indicators.html", {"items": items})


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    plans = list(
        visible_plans(request.user).exclude(status=PlanStatus.DRAFT).order_by("-year", "number_symbol")
    )
    plan = None
    raw = request.GET.get("ke-hoach")
    if raw:
        plan = next((p for p in plans if str(p.pk) == raw), None)
        if plan is None:
            raise Http404("Không tìm thấy kế hoạch.")
    kind = request.GET.get("loai") or ""
    if kind and kind not in UnitKind.values:
        raise Http404("Loại đơn vị không hợp lệ.")
    weighted = request.GET.get("trong-so") == "1"
    ranked = an.ranking(request.user, plan=plan, kind=kind or None, weighted=weighted)
    table = Table(
        "Xếp hạng",
        ["Hạng", "Đơn vị", "Chỉ tiêu đạt", "Chỉ tiêu được giao", "Tỷ lệ đạt (%)", "Giải thích"],
        [[r.rank, r.entry.name, r.entry.met, r.entry.total, r.percent, r.explanation] for r in ranked],
        "xep-hang",
    )
    if (resp := export_response(request, table)) is not None:
        return resp
    return render(
        request,
        "analytics/ranking.html",
        {
            "ranked": ranked,
            "plans": plans,
            "plan": plan,
            "kind": kind,
            "kinds": UnitKind.choices,
            "weighted": weighted,
        },
    )


@login_required
def plan_cascade(request: HttpRequest) -> HttpResponse:
    roots = cascade.plan_tree(request.user)
    findings = cascade.all_findings(roots)
    table = Table(
        "Kiểm tra phân cấp",
        ["Kế hoạch", "Mã kiểm tra", "Mức độ", "Nội dung"],
        [[n.label, f.code, "Lỗi" if f.severity == "error" else "Cảnh báo", f.message] for n, f in findings],
        "kiem-tra-phan-cap-ke-hoach",
    )
    if (resp := export_response(request, table)) is not None:
        return resp
    tree = {"name": "Kế hoạch", "children": [r.to_echarts() for r in roots]}
    return render(
        request,
        "analytics/cascade.html",
        {"roots": roots, "findings": findings, "tree": tree},
    )
