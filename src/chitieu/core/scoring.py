"""Scoring frameworks (766 index, DTI, PAR Index, a province's own indices) as criteria trees.

Pure Python: the definition (parsed from YAML or a spreadsheet), its validation with a Vietnamese
message per problem, and the points of each criterion from its input. Exact arithmetic
(fractions); rounding only at display.

Methods of a leaf criterion:

* ``computed``: from an indicator's value R (a percentage); with a full-score threshold T,
  ``min(R / T, 1) x max`` (766: T = 80 %, 50 % or 90 %); without one, ``R / 100 x max``.
* ``banded``: the points of the first band whose floor R reaches ("≥ 90 % → 2, ≥ 70 % → 1").
* ``yesno``: the maximum when met (and evidenced, when evidence is required), else 0.
* ``manual``: points given by the unit (self-assessment) or the appraisers, 0 .. max.
* ``survey``: an imported survey result (a percentage) scaled to the maximum.

An internal criterion adds up its children.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

METHODS = ("computed", "banded", "yesno", "manual", "survey", "sum")
METHOD_LABELS = {
    "computed": "Tính từ số liệu",
    "banded": "Theo mức",
    "yesno": "Có / không",
    "manual": "Chấm điểm",
    "survey": "Điều tra xã hội học",
    "sum": "Tổng các tiêu chí con",
}


@dataclass
class CriterionDef:
    code: str
    name: str
    max_points: Decimal
    method: str = "sum"
    indicator: str = ""
    threshold: Decimal | None = None
    bands: list[tuple[Decimal, Decimal]] = field(default_factory=list)
    multiply_by: str = ""
    evidence_required: bool = False
    confirmed: bool = True
    note: str = ""
    children: list[CriterionDef] = field(default_factory=list)
    where: str = ""  # where it came from in the file ("dòng 12", "groups[2].criteria[1]")

    def walk(self) -> Iterable[CriterionDef]:
        yield self
        for c in self.children:
            yield from c.walk()

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass
class FrameworkDef:
    code: str
    name: str
    version: str
    max_points: Decimal
    criteria: list[CriterionDef]
    description: str = ""
    period: str = ""

    def walk(self) -> Iterable[CriterionDef]:
        for c in self.criteria:
            yield from c.walk()


class DefinitionError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _dec(value, what: str, problems: list[str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        problems.append(f"{what}: '{value}' không phải là số.")
        return None
    if d < 0:
        problems.append(f"{what}: không được âm.")
    return d


def parse_bands(value, what: str, problems: list[str]) -> list[tuple[Decimal, Decimal]]:
    """ "90:2; 70:1" or [[90, 2], [70, 1]] -> [(90, 2), (70, 1)], highest floor first."""
    if not value:
        return []
    items = (
        value
        if isinstance(value, list)
        else [p for p in str(value).replace(",", ";").split(";") if p.strip()]
    )
    out = []
    for it in items:
        if isinstance(it, list | tuple) and len(it) == 2:
            floor, pts = it
        else:
            parts = str(it).replace("≥", "").replace(">=", "").split(":")
            if len(parts) != 2:
                problems.append(f"{what}: mức '{it}' phải có dạng 'ngưỡng:điểm', ví dụ 90:2.")
                continue
            floor, pts = parts
        f, p = _dec(floor, what, problems), _dec(pts, what, problems)
        if f is not None and p is not None:
            out.append((f, p))
    return sorted(out, key=lambda b: -b[0])


_KEYS = {
    "code",
    "name",
    "max_points",
    "max",
    "method",
    "indicator",
    "threshold",
    "bands",
    "multiply_by",
    "evidence_required",
    "confirmed",
    "note",
    "criteria",
    "children",
    "_row",
}


def criterion_from_dict(d: dict, where: str, problems: list[str]) -> CriterionDef:
    code = str(d.get("code", "")).strip()
    name = str(d.get("name", "")).strip()
    label = f"{where} ({code or 'không mã'})"
    unknown = [k for k in d if k not in _KEYS]
    if unknown:
        problems.append(
            f"{label}: không hiểu mục {', '.join(repr(str(k)) for k in unknown)}"
            " (tên có dấu phẩy cần đặt trong ngoặc kép)."
        )
    if not code:
        problems.append(f"{where}: thiếu mã tiêu chí.")
    if not name:
        problems.append(f"{label}: thiếu tên tiêu chí.")
    children_raw = d.get("criteria") or d.get("children") or []
    method = str(d.get("method") or ("sum" if children_raw else "manual")).strip()
    if method not in METHODS:
        problems.append(f"{label}: cách chấm '{method}' không có (dùng: {', '.join(METHODS)}).")
    max_points = _dec(d.get("max_points", d.get("max")), f"{label}: điểm tối đa", problems)
    c = CriterionDef(
        code=code,
        name=name,
        max_points=max_points if max_points is not None else Decimal(0),
        method=method,
        indicator=str(d.get("indicator") or "").strip(),
        threshold=_dec(d.get("threshold"), f"{label}: ngưỡng đạt điểm tối đa", problems),
        bands=parse_bands(d.get("bands"), f"{label}: các mức", problems),
        multiply_by=str(d.get("multiply_by") or "").strip(),
        evidence_required=bool(d.get("evidence_required", False)),
        confirmed=bool(d.get("confirmed", True)),
        note=str(d.get("note") or ""),
        where=where,
    )
    if max_points is None and not children_raw:
        problems.append(f"{label}: thiếu điểm tối đa.")
    for i, ch in enumerate(children_raw, 1):
        if not isinstance(ch, dict):
            problems.append(f"{label}: tiêu chí con thứ {i} không đúng dạng.")
            continue
        c.children.append(criterion_from_dict(ch, f"{where} > tiêu chí con {i}", problems))
    if max_points is None and c.children:
        c.max_points = sum((ch.max_points for ch in c.children), Decimal(0))
    return c


def framework_from_dict(data: dict) -> FrameworkDef:
    """A framework from its YAML form; raises :class:`DefinitionError` listing every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise DefinitionError(["Tệp không chứa một bộ chỉ số (cần các mục code, name, version, criteria)."])
    for key in ("code", "name", "version"):
        if not str(data.get(key) or "").strip():
            problems.append(f"Thiếu '{key}' của bộ chỉ số.")
    raw = data.get("criteria") or []
    if not raw:
        problems.append("Bộ chỉ số chưa có tiêu chí nào ('criteria').")
    criteria = []
    for i, d in enumerate(raw, 1):
        if isinstance(d, dict):
            criteria.append(criterion_from_dict(d, f"tiêu chí {i}", problems))
        else:
            problems.append(f"tiêu chí {i}: không đúng dạng.")
    total = _dec(data.get("max_points"), "điểm tối đa của bộ chỉ số", problems)
    fw = FrameworkDef(
        code=str(data.get("code") or "").strip(),
        name=str(data.get("name") or "").strip(),
        version=str(data.get("version") or "").strip(),
        max_points=total if total is not None else sum((c.max_points for c in criteria), Decimal(0)),
        criteria=criteria,
        description=str(data.get("description") or ""),
        period=str(data.get("period") or ""),
    )
    problems += validate(fw)
    if problems:
        raise DefinitionError(problems)
    return fw


def validate(fw: FrameworkDef) -> list[str]:
    problems = []
    seen: dict[str, str] = {}
    for c in fw.walk():
        label = f"{c.where} ({c.code})" if c.where else c.code
        if c.code in seen:
            problems.append(f"{label}: mã '{c.code}' trùng với {seen[c.code]}.")
        seen.setdefault(c.code, label)
        if c.children:
            if c.method != "sum":
                problems.append(
                    f"{label}: tiêu chí có tiêu chí con thì cộng điểm các tiêu chí con (method: sum)."
                )
            total = sum((ch.max_points for ch in c.children), Decimal(0))
            if total != c.max_points:
                problems.append(
                    f"{label}: điểm tối đa {c.max_points.normalize():f} khác tổng tiêu chí con {total.normalize():f}."
                )
        else:
            if c.method == "sum":
                problems.append(f"{label}: tiêu chí không có tiêu chí con phải có cách chấm khác 'sum'.")
            if c.method in ("computed", "banded") and not c.indicator:
                problems.append(f"{label}: cách chấm '{c.method}' cần mã chỉ tiêu (indicator).")
            if c.method == "computed" and c.threshold is not None and c.threshold <= 0:
                problems.append(f"{label}: ngưỡng phải lớn hơn 0.")
            if c.method == "banded":
                if not c.bands:
                    problems.append(f"{label}: cách chấm theo mức cần các mức (bands), ví dụ '90:2; 70:1'.")
                for floor, pts in c.bands:
                    if pts > c.max_points:
                        problems.append(
                            f"{label}: mức {floor.normalize():f}% cho {pts.normalize():f} điểm, vượt điểm tối đa."
                        )
    top = sum((c.max_points for c in fw.criteria), Decimal(0))
    if fw.criteria and top != fw.max_points:
        problems.append(
            f"Điểm tối đa của bộ chỉ số {fw.max_points.normalize():f} khác tổng các nhóm {top.normalize():f}."
        )
    return problems


# --- points -------------------------------------------------------------------------------------
def points(
    c: CriterionDef,
    *,
    rate: Fraction | None = None,
    met: bool | None = None,
    evidenced: bool = True,
    given: Fraction | Decimal | None = None,
) -> Fraction | None:
    """Points of a leaf criterion from its input; None when the input is missing."""
    mx = Fraction(c.max_points)
    match c.method:
        case "computed":
            if rate is None:
                return None
            if c.threshold:
                return (
                    min(Fraction(rate) / Fraction(c.threshold), Fraction(1)) * mx if rate > 0 else Fraction(0)
                )
            return min(max(Fraction(rate) / 100, Fraction(0)), Fraction(1)) * mx
        case "banded":
            if rate is None:
                return None
            for floor, pts in c.bands:
                if rate >= floor:
                    return Fraction(pts)
            return Fraction(0)
        case "yesno":
            if met is None:
                return None
            return mx if met and (evidenced or not c.evidence_required) else Fraction(0)
        case "survey":
            if rate is None:
                return None
            return min(max(Fraction(rate) / 100, Fraction(0)), Fraction(1)) * mx
        case "manual":
            if given is None:
                return None
            return Fraction(given)
    return None


def check_given(c: CriterionDef, value: Decimal) -> str | None:
    """Why a manually given score is not acceptable, or None."""
    if value < 0:
        return f"Điểm của tiêu chí {c.code} không được âm."
    if value > c.max_points:
        return f"Điểm của tiêu chí {c.code} không được vượt {c.max_points.normalize():f}."
    return None


def total(c: CriterionDef, leaf_points: dict[str, Fraction | None]) -> tuple[Fraction, bool]:
    """(points, complete) of a criterion: a leaf's own, or the sum of its children."""
    if c.is_leaf:
        p = leaf_points.get(c.code)
        return (p if p is not None else Fraction(0)), p is not None
    s, complete = Fraction(0), True
    for ch in c.children:
        p, ok = total(ch, leaf_points)
        s += p
        complete &= ok
    return s, complete
