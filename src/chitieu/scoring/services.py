"""Frameworks and the yearly cycle: import, open, self-assess, appraise (change with a reason,
return once), finalise, publish; survey results. Every write checks permission (the assessment's
transitions are declared in :mod:`chitieu.scoring.workflow`) and is recorded.

Definitions are read and checked in :mod:`chitieu.scoring.definitions`; points from data come
from :mod:`chitieu.scoring.evaluation`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

import yaml
from django.db import transaction
from django.utils import timezone

from chitieu.audit.services import record
from chitieu.core import scoring as core
from chitieu.core import vntext
from chitieu.core.numbers import NumberError, decimal_text, parse_number
from chitieu.indicators.models import Indicator
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.scoring import workflow
from chitieu.scoring.definitions import build, definition, parse_file, shipped_files
from chitieu.scoring.errors import ScoringConflict, ScoringError
from chitieu.scoring.evaluation import DATA_METHODS, data_points, entered_points, to_decimal, totals
from chitieu.scoring.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    Framework,
    FrameworkStatus,
    Score,
    ScoreOrigin,
    SurveyResult,
)
from chitieu.scoring.tables import cell, read_table

__all__ = [
    "ScoringConflict",
    "ScoringError",
    "appraise_finalize",
    "appraise_return",
    "appraise_save",
    "definition",
    "framework_import",
    "framework_open",
    "framework_publish",
    "framework_save",
    "load_shipped",
    "parse_file",
    "refresh_data",
    "self_assess_save",
    "self_assess_submit",
    "survey_import",
    "totals",
]


# --- definitions ----------------------------------------------------------------------------------
def _unknown_indicators(fdef: core.FrameworkDef) -> tuple[dict[str, Indicator], list[str]]:
    codes = {c.indicator for c in fdef.walk() if c.indicator} | {
        c.multiply_by for c in fdef.walk() if c.multiply_by
    }
    known = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    problems = []
    for c in fdef.walk():
        for code in (c.indicator, c.multiply_by):
            if code and code not in known:
                problems.append(f"{c.where} ({c.code}): chỉ tiêu '{code}' không có trong danh mục.")
    return known, problems


def framework_save(
    *, actor, owner: Unit | None, fdef: core.FrameworkDef, period: str, source: str, file_name: str
) -> Framework:
    """Store a checked definition as a new framework version (inside the caller's transaction).
    Refused, listing every problem, when an indicator is unknown or the version exists."""
    indicators, problems = _unknown_indicators(fdef)
    if Framework.objects.filter(code=fdef.code, version=fdef.version, period=period).exists():
        problems.append(
            f"Bộ chỉ số {fdef.code} phiên bản {fdef.version}{' kỳ ' + period if period else ''} đã có."
        )
    if problems:
        raise ScoringError(f"{file_name}: có {len(problems)} lỗi.", problems)
    f = Framework.objects.create(
        code=fdef.code,
        name=vntext.nfc(fdef.name),
        version=fdef.version,
        period=period,
        max_points=fdef.max_points,
        description=fdef.description,
        owner=owner,
        source=source,
        basis=vntext.nfc(fdef.basis)[:300],
        references={"successors": fdef.successors, "counts": fdef.counts},
        classes=[[label, str(floor)] for label, floor in fdef.classes],
        split={k: str(v) for k, v in fdef.split.items()},
        merge_rule=fdef.merge,
        scale=fdef.scale,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    position = 0

    def save(c: core.CriterionDef, parent: Criterion | None, depth: int) -> None:
        nonlocal position
        position += 1
        row = Criterion.objects.create(
            framework=f,
            parent=parent,
            code=c.code,
            name=vntext.nfc(c.name),
            max_points=c.max_points,
            method=c.method,
            indicator=indicators.get(c.indicator),
            multiply_by=indicators.get(c.multiply_by),
            threshold=c.threshold,
            bands=[[str(a), str(b)] for a, b in c.bands],
            step=c.step,
            measure=c.measure,
            evidence_required=c.evidence_required,
            confirmed=c.confirmed,
            formula_published=c.formula_published,
            basis=c.basis,
            components=c.components,
            note=c.note,
            method_text=vntext.nfc(c.method_text),
            evidence_text=vntext.nfc(c.evidence_text),
            source_line=c.source_line,
            position=position,
            depth=depth,
        )
        for ch in c.children:
            save(ch, row, depth + 1)

    for c in fdef.criteria:
        save(c, None, 0)
    record(
        actor=actor,
        action="create",
        obj=f,
        after={"code": f.code, "version": f.version, "criteria": position},
    )
    return f


@transaction.atomic
def framework_import(
    *, actor, owner: Unit | None, file_name: str, data: bytes, period: str = "", system: bool = False
) -> Framework:
    """Create a framework version from a definition file. All or nothing: any problem (listed, in
    Vietnamese, with where it is) leaves the database unchanged. ``system``: chitieu loading its
    shipped definitions (no user)."""
    if not system:
        permissions.require(actor, permissions.MANAGE, owner)
    raw = parse_file(file_name, data)
    fdef = build(raw, file_name)
    source = data.decode("utf-8", "replace") if file_name.lower().endswith((".yaml", ".yml")) else ""
    return framework_save(
        actor=actor, owner=owner, fdef=fdef, period=period or fdef.period, source=source, file_name=file_name
    )


def load_shipped(*, actor=None, period: str = "") -> list[Framework]:
    """The frameworks chitieu ships (766, DTI 922/QĐ-BTTTT and 405/QĐ-BKHCN); already loaded ones
    are kept. The PAR Index 876/QĐ-BNV is a template to be filled (see :mod:`chitieu.scoring.drafts`)."""
    out = []
    for path in shipped_files():
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        existing = Framework.objects.filter(
            code=raw["code"], version=str(raw["version"]), period=period
        ).first()
        if existing:
            out.append(existing)
            continue
        out.append(
            framework_import(
                actor=None,
                owner=None,
                file_name=path.name,
                data=path.read_bytes(),
                period=period,
                system=True,
            )
        )
    return out


# --- the cycle ------------------------------------------------------------------------------------
def _manage(actor, framework: Framework) -> None:
    permissions.require(actor, permissions.MANAGE, framework.owner)


@transaction.atomic
def framework_open(
    *,
    actor,
    framework: Framework,
    units: list[Unit],
    appraisers: dict[int, list] | None = None,
    deadline: dt.date | None = None,
    period: str | None = None,
) -> list[Assessment]:
    """Open the yearly cycle for the units; ``appraisers``: unit id -> users who appraise it."""
    _manage(actor, framework)
    if framework.status == FrameworkStatus.PUBLISHED:
        raise ScoringConflict("Bộ chỉ số đã công bố kết quả, không mở đánh giá được nữa.")
    if period is not None:
        framework.period = period
    framework.status = FrameworkStatus.OPEN
    framework.deadline = deadline
    framework.save(update_fields=["status", "deadline", "period"])
    leaves = list(framework.criteria.filter(children__isnull=True))
    out = []
    for u in units:
        a, created = Assessment.objects.get_or_create(framework=framework, unit=u)
        if created:
            Score.objects.bulk_create(
                [
                    Score(
                        assessment=a,
                        criterion=c,
                        **({"self_points": 0, "appraised_points": 0} if c.method == "tracked" else {}),
                    )
                    for c in leaves
                ]
            )
        if appraisers and u.pk in appraisers:
            a.appraisers.set(appraisers[u.pk])
        refresh_data(a)
        out.append(a)
    record(actor=actor, action="update", obj=framework, after={"status": "open", "units": len(units)})
    return out


def refresh_data(a: Assessment) -> None:
    """Fill the criteria scored from data (an indicator or a survey) for self and appraisal alike,
    with where each figure came from."""
    fdef = {c.code: c for c in definition(a.framework).walk()}
    for s in a.scores.select_related("criterion__indicator", "criterion__multiply_by"):
        c = s.criterion
        if c.method not in DATA_METHODS or (c.method != "survey" and c.indicator_id is None):
            continue
        dp = data_points(c, fdef[c.code], a.unit, a.framework.period)
        s.value, s.value_source, s.origin = dp.value, dp.source[:300], dp.origin
        s.self_points = to_decimal(dp.points) if c.method != "tracked" else Decimal(0)
        if s.appraisal_reason == "":
            s.appraised_points = s.self_points
        s.save(update_fields=["value", "value_source", "origin", "self_points", "appraised_points"])


def _number(text) -> Decimal:
    if isinstance(text, int | Decimal):
        return Decimal(text)
    return parse_number(str(text))


@transaction.atomic
def self_assess_save(*, actor, assessment: Assessment, entries: dict[str, dict]) -> list[str]:
    """Save a unit's own scores: ``{code: {"points": "7.5", "met": True, "value": "87,5",
    "note": "...", "links": [...]}}`` (``value``: the rate or count the criterion is scored
    from when no indicator supplies it). Returns the problems (nothing is saved when there is one)."""
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    workflow.require(actor, a, "self_save")
    fdef = {c.code: c for c in definition(a.framework).walk()}
    scores = {s.criterion.code: s for s in a.scores.select_related("criterion")}
    problems, changed = [], []
    who = getattr(actor, "username", "") or ""
    for code, e in entries.items():
        s = scores.get(code)
        if s is None:
            problems.append(f"Tiêu chí '{code}' không có trong bộ chỉ số.")
            continue
        c = fdef[code]
        links = [x.strip() for x in e.get("links", []) if x and x.strip()]
        if c.entry == "points" and e.get("points") not in (None, ""):
            try:
                v = _number(e["points"])
            except (NumberError, InvalidOperation):
                problems.append(f"Tiêu chí {code}: điểm '{e['points']}' không phải là số.")
                continue
            why = core.check_given(c, v)
            if why:
                problems.append(why)
                continue
            s.self_points = v
        elif c.entry in ("value", "count") and "value" in e:
            raw = e.get("value")
            if raw in (None, ""):
                s.value, s.self_points, s.value_source, s.origin = None, None, "", ""
            else:
                try:
                    v = _number(raw)
                except (NumberError, InvalidOperation):
                    problems.append(f"Tiêu chí {code}: giá trị '{raw}' không phải là số.")
                    continue
                why = core.check_value(c, v)
                if why:
                    problems.append(why)
                    continue
                s.value = v
                unit = "%" if c.entry == "value" and c.measure in ("", "%") else f" {c.measure or 'lần'}"
                s.value_source = f"đơn vị nhập khi tự đánh giá: {decimal_text(v)}{unit}" + (
                    f" ({who})" if who else ""
                )
                s.origin = ScoreOrigin.ASSESSMENT
                p = entered_points(c, s)
                s.self_points = to_decimal(p) if c.method != "tracked" else Decimal(0)
        elif c.entry == "met" and "met" in e:
            s.met = bool(e["met"])
            s.evidence_links = links
            evidenced = bool(links) or s.files.exists()
            s.self_points = to_decimal(core.points(c, met=s.met, evidenced=evidenced))
        if "note" in e:
            s.self_note = (e["note"] or "").strip()
        if c.entry in ("points", "value", "count") and "links" in e:
            s.evidence_links = links
        changed.append(s)
    if problems:
        transaction.set_rollback(True)
        return problems
    for s in changed:
        if s.appraisal_reason == "":
            s.appraised_points = s.self_points
        s.save()
    record(actor=actor, action="update", obj=a, after={"self_scores": len(changed)}, reason="tự đánh giá")
    return []


@transaction.atomic
def self_assess_submit(*, actor, assessment: Assessment, explanation: str = "") -> Assessment:
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    workflow.require(actor, a, "self_submit")
    fdef = {c.code: c for c in definition(a.framework).walk()}
    missing = [
        s.criterion.code
        for s in a.scores.select_related("criterion").order_by("criterion__position")
        if fdef[s.criterion.code].entry in ("points", "met", "value", "count")
        and s.criterion.method != "tracked"
        and s.self_points is None
    ]
    if missing:
        raise ScoringError("Còn tiêu chí chưa chấm: " + ", ".join(missing) + ".")
    if a.status == AssessmentStatus.RETURNED and not explanation.strip():
        raise ScoringError("Bản bị trả lại: cần ghi nội dung giải trình khi gửi lại.")
    a.explanation = explanation.strip() or a.explanation
    a.status = AssessmentStatus.SUBMITTED
    a.submitted_at = timezone.now()
    a.self_total = totals(a, "self")[0]
    a.version += 1
    a.save()
    record(
        actor=actor, action="update", obj=a, after={"status": "submitted", "self_total": str(a.self_total)}
    )
    return a


@transaction.atomic
def appraise_save(*, actor, assessment: Assessment, changes: dict[str, tuple[str, str]]) -> list[str]:
    """Appraisers change points with a reason: ``{code: (points, reason)}``."""
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    workflow.require(actor, a, "appraise")
    fdef = {c.code: c for c in definition(a.framework).walk()}
    scores = {s.criterion.code: s for s in a.scores.select_related("criterion")}
    problems, changed = [], []
    for code, (points, reason) in changes.items():
        s = scores.get(code)
        if s is None:
            problems.append(f"Tiêu chí '{code}' không có trong bộ chỉ số.")
            continue
        try:
            v = _number(points)
        except (NumberError, InvalidOperation):
            problems.append(f"Tiêu chí {code}: điểm thẩm định '{points}' không phải là số.")
            continue
        why = core.check_given(fdef[code], v)
        if why:
            problems.append(why)
            continue
        if v != s.self_points and not (reason or "").strip():
            problems.append(f"Tiêu chí {code}: thay đổi điểm cần ghi lý do.")
            continue
        s.appraised_points, s.appraisal_reason = v, (reason or "").strip()
        changed.append(s)
    if problems:
        transaction.set_rollback(True)
        return problems
    for s in changed:
        s.save(update_fields=["appraised_points", "appraisal_reason"])
        record(
            actor=actor,
            action="update",
            obj=s,
            before={"points": str(s.self_points)},
            after={"points": str(s.appraised_points)},
            reason=s.appraisal_reason,
        )
    return []


@transaction.atomic
def appraise_return(*, actor, assessment: Assessment, reason: str) -> Assessment:
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    workflow.require(actor, a, "return")
    if not reason.strip():
        raise ScoringError("Cần ghi nội dung yêu cầu giải trình.")
    a.status, a.returned_reason = AssessmentStatus.RETURNED, reason.strip()
    a.returned_count += 1
    a.save()
    record(actor=actor, action="update", obj=a, after={"status": "returned"}, reason=a.returned_reason)
    return a


@transaction.atomic
def appraise_finalize(*, actor, assessment: Assessment) -> Assessment:
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    workflow.require(actor, a, "finalize")
    a.final_total = totals(a, "final")[0]
    a.status, a.appraised_at = AssessmentStatus.APPRAISED, timezone.now()
    a.save()
    record(
        actor=actor, action="update", obj=a, after={"status": "appraised", "final_total": str(a.final_total)}
    )
    return a


@transaction.atomic
def framework_publish(*, actor, framework: Framework) -> int:
    _manage(actor, framework)
    pending = framework.assessments.exclude(status=AssessmentStatus.APPRAISED).exclude(
        status=AssessmentStatus.PUBLISHED
    )
    if pending.exists():
        names = ", ".join(a.unit.display_name for a in pending.select_related("unit")[:10])
        raise ScoringConflict(f"Còn đơn vị chưa thẩm định xong: {names}.")
    n = framework.assessments.update(status=AssessmentStatus.PUBLISHED)
    framework.status, framework.published_at = FrameworkStatus.PUBLISHED, timezone.now()
    framework.save(update_fields=["status", "published_at"])
    record(actor=actor, action="update", obj=framework, after={"status": "published", "units": n})
    return n


# --- survey results -------------------------------------------------------------------------------
SURVEY_COLUMNS = {"unit": "Mã đơn vị", "criterion": "Mã tiêu chí", "value": "Tỷ lệ (%)"}
_SURVEY_ALIASES = {
    "unit": {"ma don vi", "don vi", "ma"},
    "criterion": {"ma tieu chi", "tieu chi"},
    "value": {"ty le (%)", "ty le", "ket qua (%)", "ket qua", "gia tri"},
}


def survey_import(*, actor, framework: Framework, file_name: str, data: bytes) -> int:
    """Survey results (a percentage per unit and survey criterion) from a CSV/XLSX table with the
    columns "Mã đơn vị", "Mã tiêu chí", "Tỷ lệ (%)". All or nothing: every problem is listed with
    its row and column and nothing is written. Re-importing replaces a unit's earlier figure (kept
    in history). Open assessments are refilled. Returns the number of figures written."""
    _manage(actor, framework)
    if framework.status == FrameworkStatus.PUBLISHED:
        raise ScoringConflict("Bộ chỉ số đã công bố kết quả, không nhập thêm kết quả điều tra được.")
    rows = read_table(file_name, data)
    if not rows:
        raise ScoringError(f"{file_name}: tệp trống.")
    _, head = rows[0]
    col: dict[str, int] = {}
    for i, h in enumerate(head):
        key = vntext.fold(str(h or ""))
        for field, names in _SURVEY_ALIASES.items():
            if key in names and field not in col:
                col[field] = i
    missing = [SURVEY_COLUMNS[f] for f in SURVEY_COLUMNS if f not in col]
    if missing:
        raise ScoringError(f"{file_name}: dòng 1 thiếu cột {', '.join(missing)}.")
    criteria = {c.code: c for c in framework.criteria.all()}
    units = {u.code: u for u in Unit.objects.filter(code__in={cell(r, col["unit"]) for _, r in rows[1:]})}
    problems: list[str] = []
    parsed: dict[tuple[int, int], tuple[Criterion, Unit, Decimal, int]] = {}
    for n, r in rows[1:]:
        where = f"dòng {n}"
        unit = units.get(cell(r, col["unit"]))
        if unit is None:
            problems.append(
                f"{where}, cột {SURVEY_COLUMNS['unit']}: không có đơn vị mã '{cell(r, col['unit'])}'."
            )
        c = criteria.get(cell(r, col["criterion"]))
        if c is None:
            problems.append(
                f"{where}, cột {SURVEY_COLUMNS['criterion']}: bộ chỉ số không có tiêu chí '{cell(r, col['criterion'])}'."
            )
        elif c.method != "survey":
            problems.append(
                f"{where}, cột {SURVEY_COLUMNS['criterion']}: tiêu chí {c.code} không chấm theo kết quả điều tra."
            )
        raw = r[col["value"]] if col["value"] < len(r) else None
        try:
            value = (
                Decimal(str(raw))
                if isinstance(raw, (int, float))
                else parse_number(str(raw or "").replace("%", ""))
            )
        except (ValueError, InvalidOperation):
            value = None
        if value is None or not value.is_finite() or not (0 <= value <= 100):
            problems.append(
                f"{where}, cột {SURVEY_COLUMNS['value']}: '{raw if raw is not None else ''}' không phải tỷ lệ từ 0 đến 100."
            )
            continue
        if unit is None or c is None or c.method != "survey":
            continue
        if (c.pk, unit.pk) in parsed:
            problems.append(f"{where}: {unit.code} / {c.code} đã có ở dòng {parsed[(c.pk, unit.pk)][3]}.")
            continue
        parsed[(c.pk, unit.pk)] = (c, unit, value.quantize(Decimal("0.0001")), n)
    if problems:
        raise ScoringError(f"{file_name}: có {len(problems)} lỗi, chưa nhập gì.", problems)
    with transaction.atomic():
        for c, unit, value, n in parsed.values():
            source = f"{file_name}, dòng {n}"[:255]
            old = SurveyResult.objects.filter(criterion=c, unit=unit).first()
            if old is not None and old.value == value and old.source == source:
                continue
            s, _ = SurveyResult.objects.update_or_create(
                criterion=c, unit=unit, defaults={"value": value, "source": source}
            )
            record(
                actor=actor,
                action="update" if old else "create",
                obj=s,
                before={"value": str(old.value), "source": old.source} if old else None,
                after={"value": str(value), "source": source},
                reason="nhập kết quả điều tra",
            )
        touched = {u.pk for _, u, _, _ in parsed.values()}
        for a in Assessment.objects.filter(framework=framework, unit_id__in=touched).exclude(
            status__in=[AssessmentStatus.APPRAISED, AssessmentStatus.PUBLISHED]
        ):
            refresh_data(a)
    return len(parsed)
