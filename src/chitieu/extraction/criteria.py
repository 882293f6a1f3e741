"""A province's index decision read into a criteria tree (pure Python, no Django).

Provinces issue the PAR and DTI indices of their departments and communes as a decision whose annex
is a table - "STT | Lĩnh vực, tiêu chí, tiêu chí thành phần | Điểm tối đa | Cách chấm (Hướng dẫn chấm
điểm, Cách xác định và tính điểm) | Tài liệu kiểm chứng" - or, less often, numbered paragraphs
("1.1. ... (10 điểm)"). :func:`read_decision` finds the annex, builds the tree from the numbering
("1", "1.1", "1.1.1"; Roman fields with criteria numbered again from 1; "a)" sub-criteria), reads
each row's points and guesses the scoring method from its wording:

* "Đạt 100%: 1 điểm; dưới 100%: 0 điểm", "Từ 95% đến dưới 98%: 4 điểm" -> ``banded`` (one band at
  the full points is the all-or-nothing threshold); "Họp 4 lần/năm: 20 điểm" -> ``banded`` on a count;
* "Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa" -> ``computed``; "từ 80% trở lên: 3 điểm; dưới 80%: điểm =
  tỷ lệ × 3 / 80%" -> ``computed`` with threshold 80;
* "Mỗi ... trừ 0,25 điểm" -> ``deduction`` (step 0.25);
* "Có: 1 điểm; Không: 0 điểm", one condition for the full points and the rest 0 -> ``yesno``;
* "điều tra xã hội học", "khảo sát" -> ``survey``;
* anything else (several qualitative levels) -> ``manual``: points given by hand, wording kept.

The reader never silently drops what it cannot place: each such row becomes a finding naming its
line. Files are read by :mod:`chitieu.extraction.readers` (size, zip and PDF limits, clear errors);
a PDF's table grid comes from pdfplumber's ruled-table finder.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal

from chitieu.core import vntext
from chitieu.core.numbers import NumberError, decimal_text, parse_number, plain
from chitieu.extraction import blocks as blocks_mod
from chitieu.extraction import metadata as metadata_mod
from chitieu.extraction.errors import ReadError
from chitieu.extraction.readers import MAX_PDF_SECONDS, RawDocument, RawLine, read_bytes
from chitieu.extraction.timing import find_dates


@dataclass
class CriterionRow:
    code: str
    parent: str
    label: str  # the numbering as written ("1.1.2", "II", "a)")
    name: str
    max_points: Decimal | None
    method_text: str
    evidence_text: str
    source: int  # line of the source view
    method: str = "manual"
    threshold: Decimal | None = None
    bands: list[tuple[Decimal, Decimal]] = field(default_factory=list)
    step: Decimal | None = None
    measure: str = ""
    points_text: str = ""

    def as_dict(self) -> dict:
        """The row as a framework draft stores it (decimals as text)."""
        t = plain
        return {
            "code": self.code,
            "parent": self.parent,
            "name": self.name,
            "max_points": t(self.max_points),
            "method": self.method,
            "threshold": t(self.threshold),
            "bands": [[t(f), t(p)] for f, p in self.bands],
            "step": t(self.step),
            "measure": self.measure,
            "method_text": self.method_text,
            "evidence_text": self.evidence_text,
            "source_line": self.source,
        }


@dataclass
class AnnexTable:
    index: int
    title: str  # the heading above the table ("BỘ CHỈ SỐ ... CẤP XÃ")
    source: int
    rows: int


@dataclass
class DecisionTree:
    name: str
    fmt: str
    layout: str  # table | text
    rows: list[CriterionRow]
    stated_total: Decimal | None
    total_source: int | None
    lines: list[tuple[int, str]]  # the source view: line number, text (table cells joined by " | ")
    tables: list[AnnexTable]
    number_symbol: str | None = None
    date: str | None = None
    issuer: str | None = None
    title: str | None = None
    findings: list[str] = field(default_factory=list)


# --- numbers and labels ---------------------------------------------------------------------------------
_POINTS = re.compile(r"^\(?\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ)?\s*\)?\.?$", re.I)
_ROMAN = re.compile(r"^(?:XX|X{0,1}(?:IX|IV|V?I{0,3}))$")
_PART = re.compile(r"^[A-H]$")
_NUM = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,4}$")
_LETTER = re.compile(r"^[a-zđ]$")
_LEAD = re.compile(
    r"^(?P<label>\d{1,2}(?:\.\d{1,2}){0,4}|[IVX]{1,5}|[a-zđ])(?P<end>\s*[.):]|\.?(?=\s))\s+(?=\S)"
)


def parse_points(text: str) -> Decimal | None:
    """ "10", "0,5", "1.5", "10 điểm", "(10đ)" -> the points; None when it is not a number."""
    m = _POINTS.match(text.strip())
    if not m:
        return None
    try:
        return parse_number(m.group(1))
    except NumberError:
        return None


def label_kind(label: str) -> str:
    """num | roman | part | letter | "" for a numbering cell or prefix."""
    s = label.strip().rstrip(".):").strip()
    if not s:
        return ""
    if _NUM.match(s):
        return "num"
    if _ROMAN.match(s):
        return "roman"
    if _PART.match(s):
        return "part"
    if _LETTER.match(s):
        return "letter"
    return ""


def split_lead(text: str) -> tuple[str, str]:
    """("1.2", "rest") when a name starts with its numbering ("1.2. Báo cáo ..."), else ("", text)."""
    m = _LEAD.match(text.strip())
    if not m:
        return "", text.strip()
    label = m.group("label")
    kind = label_kind(label)
    if kind == "letter" and ")" not in m.group("end"):
        return "", text.strip()  # "a" followed by a word is a word, not a label
    if kind == "roman" and not m.group("end").strip():
        return "", text.strip()
    return label, text.strip()[m.end() :].strip()


# --- the scoring method from its wording -----------------------------------------------------------------
_NUMBER = r"\d+(?:[.,]\d+)?"
_OPTION = re.compile(
    rf"(?P<cond>[^:;\n]*?)\s*:\s*(?P<pts>(?:1\s*/\s*2\s*[*x×]?\s*)?điểm tối đa|{_NUMBER})\s*(?:điểm|đ\b)?",
    re.I,
)
_DEDUCT = re.compile(rf"\btrừ\s+(?P<step>{_NUMBER})\s*(?:điểm|đ\b)", re.I)
_RATIO = re.compile(
    r"tỷ lệ\s*[=×x*]|điểm\s*=\s*(?:tỷ lệ|\(?\s*a\s*/\s*b)|=\s*a\s*/\s*b|tỷ lệ[^.;:]{0,80}?[×x*]\s*(?:điểm tối đa|\d)",
    re.I,
)
_FROM_PERCENT = re.compile(
    rf"(?:(?:từ|đạt|trên)\s*(?:từ\s*)?(?P<t>{_NUMBER})\s*%\s*trở lên|(?:≥|>=)\s*(?P<g>{_NUMBER})\s*%)", re.I
)
_YESNO_WORDS = re.compile(r"\b(?:có\s*/\s*không|có hoặc không|đạt\s*/\s*không đạt)\b", re.I)
_SURVEY = re.compile(r"điều tra xã hội học|đtxhh|khảo sát", re.I)
_COUNT = re.compile(r"(?P<n>\d+)\s*(?:đến\s*\d+\s*)?(?P<unit>lần|cuộc|văn bản|tin|bài|lớp|buổi)\b", re.I)
_PERCENT = re.compile(rf"(?P<n>{_NUMBER})\s*%")


@dataclass
class MethodGuess:
    method: str = "manual"
    threshold: Decimal | None = None
    bands: list[tuple[Decimal, Decimal]] = field(default_factory=list)
    step: Decimal | None = None
    measure: str = ""


def _num(text: str) -> Decimal | None:
    try:
        return parse_number(text)
    except NumberError:
        return None


def _floor(cond: str, pattern: re.Pattern) -> Decimal | None:
    """The lowest value a band's condition admits: "từ 80% đến dưới 100%" -> 80, "đạt 100%" -> 100,
    "dưới 80%" -> None (the remainder, worth the points it names, usually 0)."""
    f = vntext.fold(cond)
    m = pattern.search(cond)
    if not m:
        return None
    if re.match(r"^\s*(?:-\s*)?(?:\w+\s+){0,3}?(duoi|chua dat|it hon|khong dat)\b", f) and not re.search(
        r"\btu\b", f
    ):
        return None
    return _num(m.group("n"))


def guess_method(text: str, max_points: Decimal | None) -> MethodGuess:
    """The scoring method a criterion's wording describes (see the module docstring)."""
    t = " ".join(text.split())
    if not t:
        return MethodGuess()
    if _SURVEY.search(t):
        return MethodGuess("survey")
    d = _DEDUCT.search(t)
    if d and re.search(r"\bmỗi\b", t, re.I):
        return MethodGuess("deduction", step=_num(d.group("step")))
    if _RATIO.search(t):
        m = _FROM_PERCENT.search(t)
        return MethodGuess("computed", threshold=_num(m.group("t") or m.group("g")) if m else None)
    options = []
    for m in _OPTION.finditer(t):
        cond = m.group("cond").strip(" -–+•.")
        raw = m.group("pts").lower()
        if "tối đa" in raw:
            pts = (max_points or Decimal(0)) / (2 if "1" in raw and "/" in raw else 1)
        else:
            pts = _num(raw)
        if pts is None:
            continue
        options.append((cond, pts))
    positive = [(c, p) for c, p in options if p > 0]
    if not positive:
        if _YESNO_WORDS.search(t):
            return MethodGuess("yesno")
        return MethodGuess()
    percents = [_floor(c, _PERCENT) for c, _ in positive]
    if all(f is not None for f in percents):
        bands = sorted({(f, p) for f, (_, p) in zip(percents, positive, strict=True)}, key=lambda b: -b[0])
        return MethodGuess("banded", bands=list(bands))
    counts = [_floor(c, _COUNT) for c, _ in positive]
    if all(f is not None for f in counts):
        unit = _COUNT.search(positive[0][0]).group("unit").lower()
        bands = sorted({(f, p) for f, (_, p) in zip(counts, positive, strict=True)}, key=lambda b: -b[0])
        return MethodGuess("banded", bands=list(bands), measure=unit)
    if len(positive) == 1 and max_points is not None and positive[0][1] == max_points and len(options) >= 2:
        return MethodGuess("yesno")
    if len(positive) == 1 and re.match(r"^(có|đạt|thực hiện)\b", positive[0][0], re.I):
        return MethodGuess("yesno")
    return MethodGuess()


# --- columns of the annex table -------------------------------------------------------------------------
def _column(head: str) -> str:
    f = vntext.fold(head)
    if not f:
        return ""
    if re.search(r"tu cham|tu danh gia|tham dinh|diem dat|ket qua", f):
        return "ignore"
    if re.search(r"cach (cham|tinh|xac dinh)|phuong phap|huong dan|tieu chuan|cach thuc|yeu cau", f):
        return "method"
    if re.search(r"tai lieu|minh chung|kiem chung", f):
        return "evidence"
    if re.search(r"ghi chu", f):
        return "note"
    if re.search(r"nguon|don vi|phoi hop", f):
        return "ignore"
    if re.search(r"diem toi da|diem chuan|thang diem|^diem$|^so diem$|^diem so", f):
        return "points"
    if re.fullmatch(r"stt|tt|so tt|so thu tu|ma|ma so|thu tu", f):
        return "stt"
    if re.search(r"tieu chi|chi so|linh vuc|noi dung|^ten\b", f):
        return "name"
    return ""


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column kind -> index when ``cells`` is the header of a criteria table, else None."""
    cols: dict[str, int] = {}
    for i, c in enumerate(cells):
        kind = _column(c or "")
        if kind and kind != "ignore" and kind not in cols:
            cols[kind] = i
    if "method" not in cols and "note" in cols:
        cols["method"] = cols["note"]  # the scoring guidance written as a note
    return cols if {"name", "points"} <= set(cols) else None


def _is_column_numbers(cells: list[str]) -> bool:
    vals = [re.sub(r"[()\s]", "", c or "") for c in cells if (c or "").strip()]
    return (
        len(vals) >= 3
        and all(v.isdigit() for v in vals)
        and [int(v) for v in vals] == list(range(int(vals[0]), int(vals[0]) + len(vals)))
    )


def _aligned(cells: list[str], n: int, cols: dict[str, int]) -> list[str]:
    """A row's cells on the header's columns. Word gives a horizontally merged cell once, so a row
    may have fewer cells than the header: the points cell anchors the rest."""
    if len(cells) >= n:
        return cells[:n]
    p = cols["points"]
    at = next((i for i, c in enumerate(cells) if i > 0 and parse_points(c or "") is not None), None)
    out = [""] * n
    if at is None:
        for i, c in enumerate(cells):
            out[i] = c
        return out
    before, after = cells[:at], cells[at:]
    if len(before) == 1 and p >= 2:
        out[cols["name"]] = before[0]  # the numbering cell merged with the name cell
    else:
        for i, c in enumerate(before[:p]):
            out[i] = c
    for j, c in enumerate(after):
        if p + j < n:
            out[p + j] = c
    return out


# --- PDF: text outside tables, and each ruled table's grid ----------------------------------------------
def _pdf_lines(data: bytes, name: str) -> list[RawLine]:
    import pdfplumber

    out: list[RawLine] = []
    started = time.monotonic()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            if time.monotonic() - started > MAX_PDF_SECONDS:
                raise ReadError(f"{name}: đọc bảng trong tệp PDF quá lâu (quá {MAX_PDF_SECONDS} giây)")
            items: list[tuple[float, int, RawLine]] = []
            tables = page.find_tables()
            rest = page
            for k, t in enumerate(tables):
                for j, row in enumerate(t.extract()):
                    cells = [vntext.nfc(" ".join((c or "").split())) for c in row]
                    items.append(
                        (t.bbox[1] + j * 0.001, k, RawLine(" ".join(c for c in cells if c), 0, cells))
                    )
                rest = rest.outside_bbox(t.bbox)
            for ln in rest.extract_text_lines(x_tolerance=1.5, y_tolerance=3):
                text = vntext.nfc(" ".join(ln["text"].split()))
                if text and not re.fullmatch(r"-?\s*\d{1,4}\s*-?", text):
                    items.append((ln["top"], -1, RawLine(text, 0)))
            items.sort(key=lambda x: x[0])
            out.extend(x[2] for x in items)
    return out


# --- the reader -----------------------------------------------------------------------------------------
_TOTAL_TEXT = re.compile(
    rf"(?:thang điểm|tổng (?:số )?điểm(?: tối đa)?|tổng số|điểm tối đa của bộ (?:chỉ số|tiêu chí))"
    rf"(?:\s+(?:đánh giá|của bộ (?:chỉ số|tiêu chí)|là|tối đa|bằng))*\s*(?P<n>{_NUMBER})\s*(?:điểm\b|\))",
    re.I,
)


def _source_view(lines: list[RawLine]) -> list[tuple[int, str]]:
    return [
        (ln.source, " | ".join(ln.cells) if ln.cells is not None else ln.text)
        for ln in lines
        if (ln.cells is not None and any(ln.cells)) or (ln.cells is None and ln.text.strip())
    ]


@dataclass
class _Raw:
    kind: str  # num | roman | part | letter | bullet | ""
    label: str
    name: str
    points: Decimal | None
    points_text: str
    method: list[str]
    evidence: list[str]
    source: int


def _tables(lines: list[RawLine]) -> list[tuple[int, dict[str, int], list[RawLine], str]]:
    """Criteria tables: (first line index, columns, rows after the header, title above). A table
    continued on the next page (with or without its header again) stays one table."""
    out: list[tuple[int, dict[str, int], list[RawLine], str]] = []
    current: tuple[int, dict[str, int], list[RawLine], str] | None = None
    head_cells: list[str] = []
    last_text = ""
    for i, ln in enumerate(lines):
        if ln.cells is None:
            if ln.text.strip():
                last_text = ln.text.strip()
                if current is not None and len(ln.text) > 3:
                    out.append(current)
                    current = None
            continue
        cols = header_columns(ln.cells)
        if cols is not None:
            same = current is not None and [vntext.fold(c) for c in ln.cells] == head_cells
            if not same:
                if current is not None:
                    out.append(current)
                current = (i, cols, [], last_text)
                head_cells = [vntext.fold(c) for c in ln.cells]
            continue
        if current is not None:
            current[2].append(ln)
    if current is not None:
        out.append(current)
    return [t for t in out if t[2]]


def _read_rows(rows: list[RawLine], cols: dict[str, int], n: int, findings: list[str]):
    raws: list[_Raw] = []
    total: tuple[Decimal, int] | None = None
    for ln in rows:
        cells = _aligned([c or "" for c in ln.cells], n, cols)
        if _is_column_numbers(cells) or not any(c.strip() for c in cells):
            continue
        get = lambda k, cells=cells: cells[cols[k]].strip() if k in cols else ""  # noqa: E731
        stt, name, pts_text = get("stt"), get("name"), get("points")
        method, evidence = get("method"), get("evidence")
        label, rest = "", name
        if stt and label_kind(stt):
            label = stt.rstrip(". ")
        elif stt and stt.strip() in ("-", "+", "•"):
            label = "-"
        lead, after = split_lead(name)
        if not label and lead:
            label, rest = lead, after
        elif not stt and name[:1] in ("-", "+", "•"):
            label, rest = "-", name.lstrip("-+• ").strip()
        points = parse_points(pts_text) if pts_text else None
        if pts_text and points is None:
            findings.append(f"dòng {ln.source}: không đọc được điểm '{pts_text}'.")
        first = vntext.fold(stt or name)
        if points is not None and not label and re.match(r"^(tong|cong)\b", first):
            total = (points, ln.source)
            continue
        if not label and points is None:
            # a continuation: the method written one option per row, or a cell cut by a page break
            if raws:
                prev = raws[-1]
                if rest:
                    prev.name = f"{prev.name} {rest}".strip()
                if method:
                    prev.method.append(method)
                if evidence:
                    prev.evidence.append(evidence)
            elif any(cells):
                findings.append(f"dòng {ln.source}: dòng không có số thứ tự và điểm, đã bỏ qua.")
            continue
        kind = label_kind(label) if label != "-" else "bullet"
        if not kind and points is not None:
            kind = "bullet"
        raws.append(
            _Raw(
                kind,
                label.rstrip(".)"),
                rest,
                points,
                pts_text,
                [method] if method else [],
                [evidence] if evidence else [],
                ln.source,
            )
        )
    return raws, total


def _codes(raws: list[_Raw], findings: list[str]) -> list[CriterionRow]:
    """Codes and parents from the numbering."""
    scopes: dict[str, set[str]] = {}
    scope = ""
    for r in raws:
        if r.kind in ("roman", "part"):
            scope = r.label
        elif r.kind == "num":
            scopes.setdefault(r.label.split(".")[0], set()).add(scope)
    restart = any(len(s) > 1 for s in scopes.values())
    out: list[CriterionRow] = []
    seen: set[str] = set()
    part = roman = ""
    stack: dict[int, str] = {}  # depth -> code of the latest numbered row
    last_numbered = ""
    bullets: dict[str, int] = {}

    def unique(code: str, source: int) -> str:
        if code not in seen:
            return code
        k = 2
        while f"{code}-{k}" in seen:
            k += 1
        findings.append(f"dòng {source}: mã {code} trùng, đặt là {code}-{k}.")
        return f"{code}-{k}"

    for r in raws:
        if r.kind == "part":
            part, roman, stack = r.label, "", {}
            code, parent = r.label, ""
        elif r.kind == "roman":
            roman, stack = r.label, {}
            code, parent = r.label, part
        elif r.kind == "num":
            bits = r.label.split(".")
            sc = (roman or part) if restart else ""
            code = f"{sc}.{r.label}" if sc else r.label
            depth = len(bits)
            if depth == 1:
                parent = roman or part
            else:
                want = f"{sc}.{'.'.join(bits[:-1])}" if sc else ".".join(bits[:-1])
                parent = (
                    want
                    if want in seen
                    else next((stack[d] for d in range(depth - 1, 0, -1) if d in stack), roman or part)
                )
            stack = {d: c for d, c in stack.items() if d < depth}
            stack[depth] = code
        elif r.kind == "letter":
            parent = stack[max(stack)] if stack else (roman or part)
            code = f"{parent}.{r.label}" if parent else r.label
        else:  # an unnumbered row with points: a sub-criterion of the last numbered row
            parent = last_numbered
            bullets[parent] = bullets.get(parent, 0) + 1
            code = f"{parent}.{bullets[parent]}" if parent else str(bullets[parent])
            findings.append(f"dòng {r.source}: tiêu chí không đánh số, đặt mã {code}.")
        code = unique(code, r.source)
        seen.add(code)
        if r.kind != "bullet":
            last_numbered = code
        out.append(
            CriterionRow(
                code=code,
                parent=parent,
                label=r.label,
                name=r.name.rstrip(" :").strip(),
                max_points=r.points,
                method_text="\n".join(r.method),
                evidence_text="\n".join(r.evidence),
                source=r.source,
                points_text=r.points_text,
            )
        )
    return out


def _methods(rows: list[CriterionRow], findings: list[str]) -> None:
    parents = {r.parent for r in rows if r.parent}
    for r in rows:
        if r.code in parents:
            r.method = "sum"
            continue
        g = guess_method(r.method_text or "", r.max_points)
        if g.method == "manual" and not r.method_text and _SURVEY.search(r.name):
            g = MethodGuess("survey")
        r.method, r.threshold, r.bands, r.step, r.measure = g.method, g.threshold, g.bands, g.step, g.measure
        if r.max_points is None:
            findings.append(f"dòng {r.source} ({r.code}): chưa có điểm tối đa.")


_TEXT_ITEM = re.compile(
    rf"^(?P<name>.+?)\s*:?\s*\(\s*(?P<pts>{_NUMBER})\s*(?:điểm|đ)\s*\)\s*[:.]?\s*(?P<rest>.*)$", re.I
)


def _read_text(lines: list[RawLine], findings: list[str]) -> list[_Raw]:
    """Criteria written as numbered paragraphs: a numbered line with its points in brackets, then
    the lines that say how it is scored."""
    doc = RawDocument(lines=[ln for ln in lines if ln.cells is None], fmt="text")
    raws: list[_Raw] = []
    current: _Raw | None = None
    for b in blocks_mod.build(doc):
        if b.kind == "row":
            continue
        text = " ".join(b.text.split())
        kind = b.label_kind
        numbered = kind in ("roman", "number", "number2", "number3", "letter")
        m = _TEXT_ITEM.match(text) if numbered else None
        if m:
            current = _Raw(
                "num" if kind.startswith("number") else ("roman" if kind == "roman" else "letter"),
                b.label.rstrip(".)"),
                m.group("name").strip(),
                _num(m.group("pts")),
                m.group("pts"),
                [m.group("rest")] if m.group("rest").strip() else [],
                [],
                b.source,
            )
            raws.append(current)
        elif numbered or b.kind in ("title", "heading"):
            current = None  # a heading without points ends the criterion above
        elif current is not None:
            current.method.append(b.full_text)
    return raws


def _header_date(lines: list[RawLine]) -> str | None:
    """The issue date in a header laid out as a borderless table ("Sông Lam, ngày 20 tháng 01 năm 2026")."""
    for ln in lines[:30]:
        for text in ln.cells if ln.cells is not None else [ln.text]:
            if re.search(r",\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", text or "", re.I):
                dates = find_dates(text)
                if dates:
                    return dates[0][0]
    return None


_NUMBER_CELL = re.compile(r"^\s*S[ốô]\s*:?\s*(?P<ns>\d+\s*/\s*[A-ZĐ][\w&.\-/Đđ]*)", re.I)


def _header_number(lines: list[RawLine]) -> str | None:
    """ "Số: 1082/QĐ-UBND" in a header laid out as a borderless table."""
    for ln in lines[:30]:
        for text in ln.cells if ln.cells is not None else [ln.text]:
            m = _NUMBER_CELL.match(text or "")
            if m:
                return re.sub(r"\s+", "", m.group("ns"))
    return None


_ISSUER_HEAD = re.compile(r"^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|SỞ|BỘ|BAN CHỈ ĐẠO|HỘI ĐỒNG)\b", re.I)


def _header_issuer(lines: list[RawLine]) -> str | None:
    """The issuing body from the two-column header: the left column above "Số:" ("ỦY BAN NHÂN DÂN /
    TỈNH SÔNG LAM" -> "Ủy ban nhân dân tỉnh Sông Lam")."""
    left: list[str] = []
    motto = False
    for ln in lines[:8]:
        text = ln.cells[0] if ln.cells else ln.text
        if re.match(r"^\s*S[ốô]\s*:", text or "", re.I):
            break
        parts = re.split(r"CỘNG HÒA|CỘNG HOÀ|Độc lập", text or "")
        cut = parts[0].strip(" -")
        if motto:
            cut = re.sub(r"\s*VIỆT NAM$", "", cut)  # the motto's second line beside the issuer's
        motto = motto or len(parts) > 1
        if cut:
            left.append(cut)
        if ln.cells:
            break  # Word's header table gives the whole left column in one cell
    name = " ".join(" ".join(left).split())
    if not name or not _ISSUER_HEAD.match(name) or len(name) > 120:
        return None
    return metadata_mod.titlecase_unit(name)


def read_decision(data: bytes, name: str = "tệp", *, table: int | None = None) -> DecisionTree:
    """The criteria tree of a decision (DOCX, PDF with a text layer, or text). ``table``: which of
    several criteria tables to read (0-based; default: the first)."""
    doc = read_bytes(data, name)
    lines = _pdf_lines(data, name) if doc.fmt == "pdf" else list(doc.lines)
    for i, ln in enumerate(lines, 1):
        ln.source = i
    findings: list[str] = []
    meta = metadata_mod.extract(
        blocks_mod.build(doc if doc.fmt == "pdf" else RawDocument(lines=lines, fmt=doc.fmt))
    )
    if meta.date is None:
        meta.date = _header_date(lines)
    if meta.number_symbol is None:
        meta.number_symbol = _header_number(lines)
    meta.issuer = _header_issuer(lines) or (meta.issuer if meta.issuer and len(meta.issuer) < 80 else None)
    found = _tables(lines)
    annex = [
        AnnexTable(k, title, lines[start].source, len(rows))
        for k, (start, _c, rows, title) in enumerate(found)
    ]
    total: tuple[Decimal, int] | None = None
    if found:
        k = table if table is not None else 0
        if not 0 <= k < len(found):
            raise ReadError(f"{name}: văn bản có {len(found)} bảng tiêu chí, không có bảng thứ {k + 1}.")
        start, cols, rows, _title = found[k]
        n = len(lines[start].cells)
        raws, total = _read_rows(rows, cols, n, findings)
        layout = "table"
        if len(found) > 1:
            findings.append(
                f"Văn bản có {len(found)} bảng tiêu chí; đang đọc bảng {k + 1} (dòng {lines[start].source})."
            )
    else:
        raws = _read_text(lines, findings)
        layout = "text"
    if not raws:
        raise ReadError(
            f"{name}: không tìm thấy bảng tiêu chí (cột tên tiêu chí và cột điểm tối đa) hay các tiêu chí "
            "đánh số có điểm, ví dụ '1.1. ... (10 điểm)'"
        )
    rows_out = _codes(raws, findings)
    _methods(rows_out, findings)
    stated, total_source = (total[0], total[1]) if total else (None, None)
    for ln in lines:
        if ln.cells is not None:
            continue
        m = _TOTAL_TEXT.search(ln.text)
        if m:
            value = _num(m.group("n"))
            if stated is None:
                stated, total_source = value, ln.source
            elif value is not None and value != stated:
                findings.append(
                    f"dòng {ln.source}: văn bản ghi tổng {m.group('n')} điểm, bảng ghi {decimal_text(stated)}."
                )
            break
    return DecisionTree(
        name=name,
        fmt=doc.fmt,
        layout=layout,
        rows=rows_out,
        stated_total=stated,
        total_source=total_source,
        lines=_source_view(lines),
        tables=annex,
        number_symbol=meta.number_symbol,
        date=meta.date,
        issuer=meta.issuer,
        title=meta.title,
        findings=findings,
    )
