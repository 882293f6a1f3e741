"""Scoring frameworks (766 index, DTI, PAR Index, a province's own indices) as criteria trees.

Pure Python: the definition (parsed from YAML, a spreadsheet or a province's decision), its
validation with a Vietnamese message per problem, and the points of each criterion from its input.
Exact arithmetic (fractions); rounding only at display.

Methods of a leaf criterion:

* ``computed``: from a rate R (a percentage: an indicator's value, or entered by the unit); with a
  full-score threshold T, the threshold rule of the 766 portal: the maximum when R ≥ T, else
  R × max ÷ T (T = 80 %, 50 % or 90 %); without one, R ÷ 100 × max.
* ``banded``: the points of the first band whose floor the value reaches ("≥ 90 % → 2, ≥ 70 % → 1";
  a single band at 100 % is the all-or-nothing "Đạt 100 %: 1 điểm; dưới 100 %: 0 điểm"). The value
  may be a count ("họp 4 lần: 20 điểm") as well as a rate.
* ``deduction``: the maximum less ``step`` for each shortfall the unit counts ("mỗi báo cáo chậm
  trừ 0,25 điểm"), never below 0.
* ``yesno``: the maximum when met (and evidenced, when evidence is required), else 0.
* ``manual``: points given by the unit (self-assessment) or the appraisers, 0 .. max.
* ``survey``: an imported survey result (a percentage) scaled to the maximum.
* ``tracked``: followed, never scored (0 points; the 766 items 2.2 and 5.1).

An internal criterion adds up its children (``sum``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from chitieu.core.numbers import decimal_text

METHODS = ("computed", "banded", "deduction", "yesno", "manual", "survey", "tracked", "sum")
METHOD_LABELS = {
    "computed": "Tính theo tỷ lệ",
    "banded": "Theo mức",
    "deduction": "Trừ điểm",
    "yesno": "Có / không",
    "manual": "Chấm điểm",
    "survey": "Điều tra xã hội học",
    "tracked": "Theo dõi, không chấm điểm",
    "sum": "Tổng các tiêu chí con",
}
# where a leaf's figure comes from when it has no indicator
ENTRY = {
    "computed": "value",
    "banded": "value",
    "deduction": "count",
    "yesno": "met",
    "manual": "points",
    "survey": "survey",
    "tracked": "value",
}
BASIS = {
    "confirmed": "đã xác nhận trong văn bản",
    "portal": "theo cách Cổng DVCQG đang chấm",
    "inferred": "suy ra, chưa xác nhận",
    "not_found": "chưa tìm thấy",
    "": "",
}
MERGE_RULES = ("sum", "average")
SCALES = ("points", "ratio")


@dataclass
class CriterionDef:
    code: str
    name: str
    max_points: Decimal
    method: str = "sum"
    indicator: str = ""
    threshold: Decimal | None = None
    bands: list[tuple[Decimal, Decimal]] = field(default_factory=list)
    step: Decimal | None = None
    measure: str = ""  # what the unit enters without an indicator: "%" or a count ("lần", "văn bản")
    multiply_by: str = ""
    evidence_required: bool = False
    confirmed: bool = True  # the points are confirmed by the source
    formula_published: bool = True  # the way of scoring is published (766: 3.g, 4a, 4b.2 are not)
    basis: str = ""  # confirmed | portal | inferred | not_found
    components: int | None = None  # how many sub-items the official text defines (not named here)
    note: str = ""
    method_text: str = ""  # the scoring wording as the decision writes it
    evidence_text: str = ""  # "Tài liệu kiểm chứng" as written
    source_line: int | None = None
    children: list[CriterionDef] = field(default_factory=list)
    where: str = ""  # where it came from in the file ("dòng 12", "tiêu chí 2 > tiêu chí con 1")

    def walk(self) -> Iterable[CriterionDef]:
        yield self
        for c in self.children:
            yield from c.walk()

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def entry(self) -> str:
        """What a person supplies for this leaf: "" (the data supplies it), "value", "count",
        "met", "points" or "survey"."""
        if not self.is_leaf:
            return ""
        if self.method in ("computed", "banded", "tracked") and self.indicator:
            return ""
        return ENTRY.get(self.method, "")


@dataclass
class FrameworkDef:
    code: str
    name: str
    version: str
    max_points: Decimal
    criteria: list[CriterionDef]
    description: str = ""
    period: str = ""
    basis: str = ""  # the document it follows ("Quyết định 766/QĐ-TTg ngày 23/6/2022")
    successors: list[dict] = field(default_factory=list)  # later versions named by number and date
    counts: dict[str, int] = field(default_factory=dict)  # {"criteria": 37, "sub_criteria": 88}
    split: dict[str, Decimal] = field(default_factory=dict)  # {"survey": 32, "appraisal": 68}
    classes: list[tuple[str, Decimal]] = field(default_factory=list)  # [("A", 90), ("B", 80)]
    merge: str = "sum"  # a merged unit's earlier result: sum or average of its predecessors
    scale: str = "points"  # results published as points, or as a ratio 0-1 of the maximum

    def walk(self) -> Iterable[CriterionDef]:
        for c in self.criteria:
            yield from c.walk()


class DefinitionError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _dec(value, what: str, problems: list[str], *, negative: bool = False) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        problems.append(f"{what}: '{value}' không phải là số.")
        return None
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        problems.append(f"{what}: '{value}' không phải là số.")
        return None
    if not d.is_finite():
        problems.append(f"{what}: '{value}' không phải là số.")
        return None
    if d < 0 and not negative:
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


def parse_classes(value, problems: list[str]) -> list[tuple[str, Decimal]]:
    """Ranking classes as a share of the maximum: "A:90; B:80; C:70" or [["A", 90], ...]."""
    if not value:
        return []
    items = value if isinstance(value, list) else [p for p in str(value).split(";") if p.strip()]
    out = []
    for it in items:
        if isinstance(it, list | tuple) and len(it) == 2:
            label, floor = it
        elif isinstance(it, dict) and {"label", "min"} <= set(it):
            label, floor = it["label"], it["min"]
        else:
            parts = str(it).split(":")
            if len(parts) != 2:
                problems.append(f"xếp loại: '{it}' phải có dạng 'loại:tỷ lệ tối thiểu', ví dụ A:90.")
                continue
            label, floor = parts
        f = _dec(floor, f"xếp loại {label}", problems)
        if f is not None:
            if f > 100:
                problems.append(f"xếp loại {label}: tỷ lệ tối thiểu {decimal_text(f)}% vượt 100%.")
            out.append((str(label).strip(), f))
    return sorted(out, key=lambda c: -c[1])


_KEYS = {
    "code",
    "name",
    "max_points",
    "max",
    "method",
    "indicator",
    "threshold",
    "bands",
    "step",
    "measure",
    "multiply_by",
    "evidence_required",
    "confirmed",
    "formula_published",
    "basis",
    "components",
    "note",
    "method_text",
    "evidence_text",
    "source_line",
    "criteria",
    "children",
    "_row",
}


def criterion_from_dict(d: dict, where: str, problems: list[str]) -> CriterionDef:
    if str(d.get("source_line") or "").isdigit():
        where = f"dòng {d['source_line']}"  # a row read from a document is named by its line
    code = str(d.get("code", "") or "").strip()
    name = str(d.get("name", "") or "").strip()
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
    basis = str(d.get("basis") or "").strip()
    if basis not in BASIS:
        problems.append(f"{label}: nguồn '{basis}' không có (dùng: confirmed, portal, inferred, not_found).")
    components = d.get("components")
    if components not in (None, "") and (not str(components).isdigit()):
        problems.append(f"{label}: số chỉ số thành phần '{components}' phải là số nguyên.")
        components = None
    source_line = d.get("source_line")
    c = CriterionDef(
        code=code,
        name=name,
        max_points=max_points if max_points is not None else Decimal(0),
        method=method,
        indicator=str(d.get("indicator") or "").strip(),
        threshold=_dec(d.get("threshold"), f"{label}: ngưỡng đạt điểm tối đa", problems),
        bands=parse_bands(d.get("bands"), f"{label}: các mức", problems),
        step=_dec(d.get("step"), f"{label}: điểm trừ mỗi lần", problems),
        measure=str(d.get("measure") or "").strip(),
        multiply_by=str(d.get("multiply_by") or "").strip(),
        evidence_required=bool(d.get("evidence_required", False)),
        confirmed=bool(d.get("confirmed", True)),
        formula_published=bool(d.get("formula_published", True)),
        basis=basis if basis in BASIS else "",
        components=int(components) if components not in (None, "") else None,
        note=str(d.get("note") or ""),
        method_text=str(d.get("method_text") or ""),
        evidence_text=str(d.get("evidence_text") or ""),
        source_line=int(source_line) if str(source_line or "").isdigit() else None,
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


def _successors(value, problems: list[str]) -> list[dict]:
    out = []
    for i, s in enumerate(value or [], 1):
        if isinstance(s, str):
            out.append({"number": s.strip()})
        elif isinstance(s, dict) and s.get("number"):
            out.append({k: str(v) for k, v in s.items() if v is not None})
        else:
            problems.append(f"phiên bản kế tiếp {i}: cần số hiệu văn bản (number).")
    return out


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
    split = {}
    for part, value in (data.get("split") or {}).items():
        if part not in ("survey", "appraisal"):
            problems.append(f"split: phần '{part}' không có (dùng survey, appraisal).")
            continue
        v = _dec(value, f"split {part}", problems)
        if v is not None:
            split[part] = v
    counts = {}
    for k, v in (data.get("counts") or {}).items():
        if not str(v).isdigit():
            problems.append(f"counts {k}: '{v}' phải là số nguyên.")
            continue
        counts[str(k)] = int(v)
    merge = str(data.get("merge") or "sum")
    if merge not in MERGE_RULES:
        problems.append(f"merge: '{merge}' không có (dùng sum hoặc average).")
    scale = str(data.get("scale") or "points")
    if scale not in SCALES:
        problems.append(f"scale: '{scale}' không có (dùng points hoặc ratio).")
    fw = FrameworkDef(
        code=str(data.get("code") or "").strip(),
        name=str(data.get("name") or "").strip(),
        version=str(data.get("version") or "").strip(),
        max_points=total if total is not None else sum((c.max_points for c in criteria), Decimal(0)),
        criteria=criteria,
        description=str(data.get("description") or ""),
        period=str(data.get("period") or ""),
        basis=str(data.get("basis") or ""),
        successors=_successors(data.get("successors"), problems),
        counts=counts,
        split=split,
        classes=parse_classes(data.get("classes"), problems),
        merge=merge if merge in MERGE_RULES else "sum",
        scale=scale if scale in SCALES else "points",
    )
    problems += validate(fw)
    if problems:
        raise DefinitionError(problems)
    return fw


# --- checks ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Disagreement:
    """A criterion whose stated maximum is not the sum of its children's (``code`` set), or the
    framework's stated total that is not the sum of its groups (``code`` empty)."""

    code: str
    stated: Decimal
    children: Decimal
    source_line: int | None = None

    def message(self, label: str = "") -> str:
        if not self.code:
            return (
                f"Điểm tối đa của bộ chỉ số {decimal_text(self.stated)} khác tổng các nhóm "
                f"{decimal_text(self.children)}."
            )
        return (
            f"{label or self.code}: điểm tối đa {decimal_text(self.stated)} khác tổng tiêu chí con "
            f"{decimal_text(self.children)}."
        )


def disagreements(criteria: list[CriterionDef], stated_total: Decimal | None) -> list[Disagreement]:
    """Every parent whose points are not its children's sum, then the total if it differs."""
    out = []
    for top in criteria:
        for c in top.walk():
            if c.children:
                total = sum((ch.max_points for ch in c.children), Decimal(0))
                if total != c.max_points:
                    out.append(Disagreement(c.code, c.max_points, total, c.source_line))
    top_sum = sum((c.max_points for c in criteria), Decimal(0))
    if criteria and stated_total is not None and top_sum != stated_total:
        out.append(Disagreement("", stated_total, top_sum))
    return out


def validate(fw: FrameworkDef) -> list[str]:
    problems = []
    seen: dict[str, str] = {}
    labels: dict[str, str] = {}
    for c in fw.walk():
        label = f"{c.where} ({c.code})" if c.where else c.code
        labels[c.code] = label
        if c.code in seen:
            problems.append(f"{label}: mã '{c.code}' trùng với {seen[c.code]}.")
        seen.setdefault(c.code, label)
        if c.children:
            if c.method != "sum":
                problems.append(
                    f"{label}: tiêu chí có tiêu chí con thì cộng điểm các tiêu chí con (method: sum)."
                )
            continue
        if c.method == "sum":
            problems.append(f"{label}: tiêu chí không có tiêu chí con phải có cách chấm khác 'sum'.")
        if c.method == "computed" and c.threshold is not None and c.threshold <= 0:
            problems.append(f"{label}: ngưỡng phải lớn hơn 0.")
        if c.method == "banded":
            if not c.bands:
                problems.append(f"{label}: cách chấm theo mức cần các mức (bands), ví dụ '90:2; 70:1'.")
            for floor, pts in c.bands:
                if pts > c.max_points:
                    problems.append(
                        f"{label}: mức {decimal_text(floor)}{c.measure or '%'} cho {decimal_text(pts)} điểm, vượt điểm tối đa."
                    )
        if c.method == "deduction" and not (c.step and c.step > 0):
            problems.append(f"{label}: cách chấm trừ điểm cần số điểm trừ mỗi lần (step), ví dụ 0,25.")
        if c.method == "tracked" and c.max_points != 0:
            problems.append(f"{label}: chỉ số chỉ theo dõi thì điểm tối đa là 0.")
        if c.multiply_by and not c.indicator:
            problems.append(f"{label}: 'multiply_by' cần chỉ tiêu chính (indicator).")
    for d in disagreements(fw.criteria, fw.max_points):
        problems.append(d.message(labels.get(d.code, "")))
    if fw.split:
        survey = sum((c.max_points for c in fw.walk() if c.is_leaf and c.method == "survey"), Decimal(0))
        rest = sum((c.max_points for c in fw.walk() if c.is_leaf and c.method != "survey"), Decimal(0))
        if "survey" in fw.split and survey != fw.split["survey"]:
            problems.append(
                f"Điểm điều tra xã hội học {decimal_text(survey)} khác {decimal_text(fw.split['survey'])} "
                "điểm theo quy định."
            )
        if "appraisal" in fw.split and rest != fw.split["appraisal"]:
            problems.append(
                f"Điểm thẩm định (tự đánh giá) {decimal_text(rest)} khác {decimal_text(fw.split['appraisal'])} "
                "điểm theo quy định."
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
    count: Fraction | Decimal | int | None = None,
) -> Fraction | None:
    """Points of a leaf criterion from its input; None when the input is missing. ``rate`` is the
    measured value (a percentage, or a count for a banded criterion counted in times)."""
    mx = Fraction(c.max_points)
    match c.method:
        case "computed":
            if rate is None:
                return None
            r = Fraction(rate)
            if r <= 0:
                return Fraction(0)
            if c.threshold:
                t = Fraction(c.threshold)
                return mx if r >= t else r * mx / t
            return min(r / 100, Fraction(1)) * mx
        case "banded":
            if rate is None:
                return None
            for floor, pts in c.bands:
                if Fraction(rate) >= Fraction(floor):
                    return Fraction(pts)
            return Fraction(0)
        case "deduction":
            if count is None:
                return None
            n = Fraction(count)
            if n < 0:
                return None
            return max(mx - n * Fraction(c.step or 0), Fraction(0))
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
        case "tracked":
            return Fraction(0)
    return None


def check_given(c: CriterionDef, value: Decimal) -> str | None:
    """Why a manually given score is not acceptable, or None."""
    if value < 0:
        return f"Điểm của tiêu chí {c.code} không được âm."
    if value > c.max_points:
        return f"Điểm của tiêu chí {c.code} không được vượt {decimal_text(c.max_points)}."
    return None


def check_value(c: CriterionDef, value: Decimal) -> str | None:
    """Why a value a unit enters (a rate, a count) is not acceptable, or None."""
    if value < 0:
        return f"Tiêu chí {c.code}: giá trị không được âm."
    if c.method == "deduction" and value != value.to_integral_value():
        return f"Tiêu chí {c.code}: số lần phải là số nguyên."
    is_rate = c.method in ("computed", "survey") or c.measure in ("", "%")
    if c.method != "deduction" and is_rate and value > 100:
        return f"Tiêu chí {c.code}: tỷ lệ không được vượt 100%."
    return None


def total(c: CriterionDef, leaf_points: dict[str, Fraction | None]) -> tuple[Fraction, bool]:
    """(points, complete) of a criterion: a leaf's own, or the sum of its children."""
    if c.is_leaf:
        p = leaf_points.get(c.code)
        if c.method == "tracked":
            return Fraction(0), True
        return (p if p is not None else Fraction(0)), p is not None
    s, complete = Fraction(0), True
    for ch in c.children:
        p, ok = total(ch, leaf_points)
        s += p
        complete &= ok
    return s, complete


def classify(points_: Fraction | Decimal, max_points: Decimal, classes: list[tuple[str, Decimal]]) -> str:
    """The ranking class (A, B, C, ...) of a total, as a share of the maximum; "" below every class."""
    if not classes or not max_points:
        return ""
    share = Fraction(points_) * 100 / Fraction(max_points)
    for label, floor in classes:
        if share >= Fraction(floor):
            return label
    return ""


def merge_values(values: list[Fraction], rule: str) -> Fraction | None:
    """A merged unit's figure from its predecessors': their sum, or their average (DTI 2024: a
    merged province is scored as the average of its former provinces)."""
    if not values:
        return None
    s = sum(values, Fraction(0))
    return s / len(values) if rule == "average" else s
