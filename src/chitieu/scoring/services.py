"""Frameworks and the yearly cycle: import, open, self-assess, appraise (change with a reason,
return once), finalise, publish. Every write checks permission and is recorded."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from chitieu.audit.services import record
from chitieu.core import scoring as core
from chitieu.core import vntext
from chitieu.core.evaluation import Measurement
from chitieu.indicators.models import Indicator
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.scoring.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    Framework,
    FrameworkStatus,
    Score,
    SurveyResult,
)

SHIPPED = Path(__file__).with_name("data")


class ScoringError(ValueError):
    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or [message]


# --- definitions ----------------------------------------------------------------------------------
def parse_file(file_name: str, data: bytes) -> dict:
    """A framework definition from YAML, or from a spreadsheet (one row per criterion)."""
    name = file_name.lower()
    if name.endswith((".yaml", ".yml")):
        try:
            parsed = yaml.safe_load(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            where = getattr(exc, "problem_mark", None)
            line = f" (dòng {where.line + 1})" if where is not None else ""
            raise ScoringError(f"{file_name}: không đọc được YAML{line}.")
        return parsed
    if name.endswith(".xlsx"):
        return _from_xlsx(file_name, data)
    raise ScoringError(f"{file_name}: chỉ nhận tệp .yaml hoặc .xlsx.")


XLSX_COLUMNS = [
    "Mã",
    "Tên tiêu chí",
    "Điểm tối đa",
    "Cách chấm",
    "Mã chỉ tiêu",
    "Ngưỡng",
    "Các mức",
    "Cần minh chứng",
    "Ghi chú",
]


def _from_xlsx(file_name: str, data: bytes) -> dict:
    """Sheet "Thông tin" (Mã, Tên, Phiên bản, Kỳ) and sheet "Tiêu chí" (one row per criterion; the
    parent of "1.2.3" is "1.2")."""
    from openpyxl import load_workbook

    from chitieu.extraction.readers import ReadError, check_zip

    try:
        check_zip(data, file_name)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ReadError as exc:
        raise ScoringError(str(exc))
    except Exception:
        raise ScoringError(f"{file_name}: không mở được tệp Excel.")
    problems = []
    if "Thông tin" not in wb.sheetnames or "Tiêu chí" not in wb.sheetnames:
        raise ScoringError(f"{file_name}: cần hai sheet 'Thông tin' và 'Tiêu chí'.")
    info = {str(r[0]).strip(): r[1] for r in wb["Thông tin"].iter_rows(values_only=True) if r and r[0]}
    rows = list(wb["Tiêu chí"].iter_rows(values_only=True))
    head = [str(h).strip() if h else "" for h in rows[0]] if rows else []
    missing = [c for c in XLSX_COLUMNS[:4] if c not in head]
    if missing:
        raise ScoringError(f"{file_name}: sheet 'Tiêu chí' thiếu cột {', '.join(missing)}.")
    col = {h: i for i, h in enumerate(head)}
    nodes: dict[str, dict] = {}
    top: list[dict] = []
    for n, r in enumerate(rows[1:], start=2):
        get = lambda k, r=r: r[col[k]] if k in col and col[k] < len(r) else None  # noqa: E731
        code = str(get("Mã") or "").strip()
        if not code and not get("Tên tiêu chí"):
            continue
        d = {
            "code": code,
            "name": get("Tên tiêu chí") or "",
            "max_points": get("Điểm tối đa"),
            "method": get("Cách chấm") or None,
            "indicator": get("Mã chỉ tiêu") or "",
            "threshold": get("Ngưỡng"),
            "bands": get("Các mức") or "",
            "evidence_required": str(get("Cần minh chứng") or "").strip().lower() in ("có", "x", "1", "true"),
            "note": get("Ghi chú") or "",
            "criteria": [],
            "_row": n,
        }
        nodes[code] = d
        parent = code.rsplit(".", 1)[0] if "." in code else ""
        if parent and parent in nodes:
            nodes[parent]["criteria"].append(d)
        elif parent:
            problems.append(f"Sheet 'Tiêu chí', dòng {n}: tiêu chí {code} đứng trước tiêu chí cha {parent}.")
        else:
            top.append(d)
    if problems:
        raise ScoringError(f"{file_name}: có {len(problems)} lỗi.", problems)
    for d in nodes.values():
        if not d["criteria"]:
            d.pop("criteria")
        if d["method"] is None:
            d.pop("method")
    return {
        "code": info.get("Mã"),
        "name": info.get("Tên"),
        "version": str(info.get("Phiên bản") or ""),
        "period": str(info.get("Kỳ") or ""),
        "criteria": top,
    }


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
    try:
        fw = core.framework_from_dict(raw)
    except core.DefinitionError as exc:
        raise ScoringError(f"{file_name}: có {len(exc.problems)} lỗi.", exc.problems)
    problems = []
    codes = {c.indicator for c in fw.walk() if c.indicator} | {
        c.multiply_by for c in fw.walk() if c.multiply_by
    }
    known = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
    for c in fw.walk():
        for code in (c.indicator, c.multiply_by):
            if code and code not in known:
                problems.append(f"{c.where} ({c.code}): chỉ tiêu '{code}' không có trong danh mục.")
    period = period or fw.period
    if Framework.objects.filter(code=fw.code, version=fw.version, period=period).exists():
        problems.append(
            f"Bộ chỉ số {fw.code} phiên bản {fw.version}{' kỳ ' + period if period else ''} đã có."
        )
    if problems:
        raise ScoringError(f"{file_name}: có {len(problems)} lỗi.", problems)
    f = Framework.objects.create(
        code=fw.code,
        name=vntext.nfc(fw.name),
        version=fw.version,
        period=period,
        max_points=fw.max_points,
        description=fw.description,
        owner=owner,
        source=data.decode("utf-8", "replace") if file_name.lower().endswith((".yaml", ".yml")) else "",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
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
            evidence_required=c.evidence_required,
            confirmed=c.confirmed,
            note=c.note,
            position=position,
            depth=depth,
        )
        for ch in c.children:
            save(ch, row, depth + 1)

    for c in fw.criteria:
        save(c, None, 0)
    record(
        actor=actor,
        action="create",
        obj=f,
        after={"code": f.code, "version": f.version, "criteria": position},
    )
    return f


def load_shipped(*, actor=None, period: str = "") -> list[Framework]:
    """The frameworks chitieu ships (766, DTI 2022, PAR skeleton); already loaded ones are kept."""
    out = []
    for path in sorted(SHIPPED.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        existing = Framework.objects.filter(
            code=raw["code"], version=str(raw["version"]), period=period
        ).first()
        if existing:
            out.append(existing)
            continue
        out.append(_import_as_system(path.name, path.read_bytes(), period))
    return out


def _import_as_system(name: str, data: bytes, period: str) -> Framework:
    return framework_import(actor=None, owner=None, file_name=name, data=data, period=period, system=True)


def definition(framework: Framework) -> core.FrameworkDef:
    """The pure definition of a stored framework (for points)."""
    rows = list(framework.criteria.select_related("indicator", "multiply_by").order_by("position"))
    by_id: dict[int, core.CriterionDef] = {}
    top = []
    for r in rows:
        c = core.CriterionDef(
            code=r.code,
            name=r.name,
            max_points=r.max_points,
            method=r.method,
            indicator=r.indicator.code if r.indicator_id else "",
            threshold=r.threshold,
            bands=[(Decimal(a), Decimal(b)) for a, b in r.bands],
            multiply_by=r.multiply_by.code if r.multiply_by_id else "",
            evidence_required=r.evidence_required,
            confirmed=r.confirmed,
            note=r.note,
        )
        by_id[r.pk] = c
        (by_id[r.parent_id].children if r.parent_id else top).append(c)
    return core.FrameworkDef(framework.code, framework.name, framework.version, framework.max_points, top)


# --- values from data -----------------------------------------------------------------------------
def indicator_rate(indicator: Indicator, unit: Unit, period: str) -> tuple[Fraction | None, str]:
    """The unit's figure for the period as a percentage (its subtree summed), with where it came from."""
    from chitieu.analytics.selectors import rollup

    if not period:
        return None, "bộ chỉ số chưa gắn kỳ đánh giá"
    ru = rollup(indicator, period, unit)
    m: Measurement = ru.total
    if not m.has_data:
        return None, f"chưa có số liệu {indicator.code} kỳ {period}"
    if m.is_ratio:
        if not m.denominator:
            return None, f"{indicator.code}: không phát sinh (0/0)"
        return m.rate, f"{indicator.code} {period}: {m.numerator.normalize():f}/{m.denominator.normalize():f}"
    return Fraction(m.value), f"{indicator.code} {period}: {m.value.normalize():f}"


def data_points(
    c: Criterion, cdef: core.CriterionDef, unit: Unit, period: str
) -> tuple[Decimal | None, Fraction | None, str]:
    """(value in %, points, source) of a computed, banded or survey criterion."""
    if c.method == "survey":
        s = SurveyResult.objects.filter(criterion=c, unit=unit).first()
        if s is None:
            return None, None, "chưa có kết quả điều tra"
        rate = Fraction(s.value)
        return s.value, core.points(cdef, rate=rate), s.source or "kết quả điều tra"
    if c.indicator_id is None:
        return None, None, ""
    rate, source = indicator_rate(c.indicator, unit, period)
    if rate is not None and c.multiply_by_id:
        factor, fsource = indicator_rate(c.multiply_by, unit, period)
        if factor is None:
            return None, None, f"{source}; thiếu {fsource}"
        rate = rate * factor / 100
        source += f" × {fsource}"
    if rate is None:
        return None, None, source
    value = Decimal(rate.numerator) / Decimal(rate.denominator)
    return value.quantize(Decimal("0.0001")), core.points(cdef, rate=rate), source


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
        raise ScoringError("Bộ chỉ số đã công bố kết quả, không mở đánh giá được nữa.")
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
            Score.objects.bulk_create([Score(assessment=a, criterion=c) for c in leaves])
        if appraisers and u.pk in appraisers:
            a.appraisers.set(appraisers[u.pk])
        refresh_data(a)
        out.append(a)
    record(actor=actor, action="update", obj=framework, after={"status": "open", "units": len(units)})
    return out


def refresh_data(a: Assessment) -> None:
    """Fill the computed, banded and survey criteria from the data (self and appraised alike)."""
    fdef = {c.code: c for c in definition(a.framework).walk()}
    for s in a.scores.select_related("criterion__indicator", "criterion__multiply_by"):
        c = s.criterion
        if c.method not in ("computed", "banded", "survey"):
            continue
        value, pts, source = data_points(c, fdef[c.code], a.unit, a.framework.period)
        s.value, s.value_source = value, source[:300]
        s.self_points = _d(pts)
        if s.appraisal_reason == "":
            s.appraised_points = s.self_points
        s.save(update_fields=["value", "value_source", "self_points", "appraised_points"])


def _d(p: Fraction | None) -> Decimal | None:
    if p is None:
        return None
    return (Decimal(p.numerator) / Decimal(p.denominator)).quantize(Decimal("0.0001"))


def _may_self_assess(actor, a: Assessment) -> bool:
    return permissions.has(actor, permissions.ENTER, a.unit)


def _may_appraise(actor, a: Assessment) -> bool:
    return a.appraisers.filter(pk=getattr(actor, "pk", None)).exists() or permissions.has(
        actor, permissions.MANAGE, a.framework.owner
    )


@transaction.atomic
def self_assess_save(*, actor, assessment: Assessment, entries: dict[str, dict]) -> list[str]:
    """Save a unit's own scores: ``{code: {"points": "7.5", "met": True, "note": "...", "links": [...]}}``.
    Returns the problems (nothing is saved when there is one)."""
    a = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not _may_self_assess(actor, a):
        raise permissions.NotAllowed(f"Bạn không có quyền tự đánh giá cho {a.unit.display_name}.")
    if a.status not in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
        raise ScoringError("Bản tự đánh giá đã gửi, không sửa được.")
    fdef = {c.code: c for c in definition(a.framework).walk()}
    scores = {s.criterion.code: s for s in a.scores.select_related("criterion")}
    problems, changed = [], []
    for code, e in entries.items():
        s = scores.get(code)
        if s is None:
            problems.append(f"Tiêu chí '{code}' không có trong bộ chỉ số.")
            continue
        c = fdef[code]
        if c.method == "manual" and e.get("points") not in (None, ""):
            try:
                v = Decimal(str(e["points"]).replace(",", "."))
            except InvalidOperation:
                problems.append(f"Tiêu chí {code}: điểm '{e['points']}' không phải là số.")
                continue
            why = core.check_given(c, v)
            if why:
                problems.append(why)
                continue
            s.self_points = v
        elif c.method == "yesno" and "met" in e:
            s.met = bool(e["met"])
            links = [x.strip() for x in e.get("links", []) if x.strip()]
            s.evidence_links = links
            evidenced = bool(links) or s.files.exists()
            s.self_points = _d(core.points(c, met=s.met, evidenced=evidenced))
        if "note" in e:
            s.self_note = (e["note"] or "").strip()
        if c.method == "manual" and "links" in e:
            s.evidence_links = [x.strip() for x in e.get("links", []) if x.strip()]
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
    if not _may_self_assess(actor, a):
        raise permissions.NotAllowed(f"Bạn không có quyền gửi tự đánh giá của {a.unit.display_name}.")
    if a.status not in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED):
        raise ScoringError("Bản tự đánh giá đã gửi.")
    missing = [
        s.criterion.code
        for s in a.scores.select_related("criterion")
        if s.criterion.method in ("manual", "yesno") and s.self_points is None
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
    if not _may_appraise(actor, a):
        raise permissions.NotAllowed(f"Bạn không được phân công thẩm định {a.unit.display_name}.")
    if a.status != AssessmentStatus.SUBMITTED:
        raise ScoringError("Chỉ thẩm định được bản đã gửi.")
    fdef = {c.code: c for c in definition(a.framework).walk()}
    scores = {s.criterion.code: s for s in a.scores.select_related("criterion")}
    problems, changed = [], []
    for code, (points, reason) in changes.items():
        s = scores.get(code)
        if s is None:
            problems.append(f"Tiêu chí '{code}' không có trong bộ chỉ số.")
            continue
        try:
            v = Decimal(str(points).replace(",", "."))
        except InvalidOperation:
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
    if not _may_appraise(actor, a):
        raise permissions.NotAllowed(f"Bạn không được phân công thẩm định {a.unit.display_name}.")
    if a.status != AssessmentStatus.SUBMITTED:
        raise ScoringError("Chỉ trả lại được bản đã gửi.")
    if a.returned_count >= 1:
        raise ScoringError("Bản tự đánh giá chỉ được trả lại một lần để giải trình.")
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
    if not _may_appraise(actor, a):
        raise permissions.NotAllowed(f"Bạn không được phân công thẩm định {a.unit.display_name}.")
    if a.status != AssessmentStatus.SUBMITTED:
        raise ScoringError("Chỉ hoàn tất thẩm định được bản đã gửi.")
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
        raise ScoringError(f"Còn đơn vị chưa thẩm định xong: {names}.")
    n = framework.assessments.update(status=AssessmentStatus.PUBLISHED)
    framework.status, framework.published_at = FrameworkStatus.PUBLISHED, timezone.now()
    framework.save(update_fields=["status", "published_at"])
    record(actor=actor, action="update", obj=framework, after={"status": "published", "units": n})
    return n


def totals(a: Assessment, which: str) -> tuple[Decimal, dict[str, Decimal]]:
    """(total, points of each criterion) with ``which`` = "self" or "final" (appraised, else self)."""
    fdef = definition(a.framework)
    leaf: dict[str, Fraction | None] = {}
    for s in a.scores.select_related("criterion"):
        p = (
            s.self_points
            if which == "self"
            else (s.appraised_points if s.appraised_points is not None else s.self_points)
        )
        leaf[s.criterion.code] = Fraction(p) if p is not None else None
    by_code = {}
    grand = Fraction(0)
    for c in fdef.walk():
        p, _ = core.total(c, leaf)
        by_code[c.code] = _d(p)
    for c in fdef.criteria:
        grand += core.total(c, leaf)[0]
    return _d(grand), by_code


# --- survey results -------------------------------------------------------------------------------
SURVEY_COLUMNS = {"unit": "Mã đơn vị", "criterion": "Mã tiêu chí", "value": "Tỷ lệ (%)"}
_SURVEY_ALIASES = {
    "unit": {"ma don vi", "don vi", "ma"},
    "criterion": {"ma tieu chi", "tieu chi"},
    "value": {"ty le (%)", "ty le", "ket qua (%)", "ket qua", "gia tri"},
}


def _survey_rows(file_name: str, data: bytes) -> list[tuple[int, list]]:
    """(row number, cells) of a CSV or XLSX survey table, header first."""
    name = file_name.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        from chitieu.extraction.readers import ReadError, check_zip

        try:
            check_zip(data, file_name)
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        except ReadError as exc:
            raise ScoringError(str(exc))
        except Exception:
            raise ScoringError(f"{file_name}: không mở được tệp Excel.")
    elif name.endswith(".csv"):
        import csv

        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScoringError(f"{file_name}: tệp CSV phải mã hóa UTF-8.")
        if "\x00" in text:
            raise ScoringError(f"{file_name}: tệp không phải văn bản CSV.")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    else:
        raise ScoringError(f"{file_name}: chỉ nhận tệp .csv hoặc .xlsx.")
    return [(n, r) for n, r in enumerate(rows, start=1) if any(str(c or "").strip() for c in r)]


def survey_import(*, actor, framework: Framework, file_name: str, data: bytes) -> int:
    """Survey results (a percentage per unit and survey criterion) from a CSV/XLSX table with the
    columns "Mã đơn vị", "Mã tiêu chí", "Tỷ lệ (%)". All or nothing: every problem is listed with
    its row and column and nothing is written. Re-importing replaces a unit's earlier figure (kept
    in history). Open assessments are refilled. Returns the number of figures written."""
    from chitieu.core.numbers import parse_number

    _manage(actor, framework)
    if framework.status == FrameworkStatus.PUBLISHED:
        raise ScoringError("Bộ chỉ số đã công bố kết quả, không nhập thêm kết quả điều tra được.")
    rows = _survey_rows(file_name, data)
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
    units = {
        u.code: u
        for u in Unit.objects.filter(
            code__in={str(r[col["unit"]] or "").strip() for _, r in rows[1:] if col["unit"] < len(r)}
        )
    }
    problems: list[str] = []
    parsed: dict[tuple[int, int], tuple[Criterion, Unit, Decimal, int]] = {}
    for n, r in rows[1:]:
        cell = lambda f, r=r: str(r[col[f]] if col[f] < len(r) and r[col[f]] is not None else "").strip()  # noqa: E731
        where = f"dòng {n}"
        unit = units.get(cell("unit"))
        if unit is None:
            problems.append(f"{where}, cột {SURVEY_COLUMNS['unit']}: không có đơn vị mã '{cell('unit')}'.")
        c = criteria.get(cell("criterion"))
        if c is None:
            problems.append(
                f"{where}, cột {SURVEY_COLUMNS['criterion']}: bộ chỉ số không có tiêu chí '{cell('criterion')}'."
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
