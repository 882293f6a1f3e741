"""Reported results: "56/56 hồ sơ đạt 100%", "03/07 đạt 43%", "Tổng số hồ sơ tiếp nhận: 56 hồ sơ
(trong đó tiếp nhận mới 495 hồ sơ, kỳ trước chuyển sang 07 hồ sơ)"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from chitieu.core.numbers import NumberError, parse_number, percent_follows, stated_precision
from chitieu.extraction.timing import fold_keep_offsets

_N = r"\d{1,3}(?:\.\d{3})+|\d{1,7}"
FRACTION = re.compile(rf"(?<![\d/.,\w])(?P<num>{_N})\s*/\s*(?P<den>{_N})(?![\d/\w])")
_STATED = re.compile(
    r"^\s*(?:[^\d;%]{0,40}?)(?:dat|=|chiem|bang|ty le)\s*(?:ty\s+le\s*)?(?P<p>\d{1,3}(?:[.,]\d{1,2})?)\s*%"
    r"|^\s*[^\d;%()]{0,25}\(\s*(?P<p2>\d{1,3}(?:[.,]\d{1,2})?)\s*%\s*\)"
    r"|^\s*,\s*(?P<p3>\d{1,3}(?:[.,]\d{1,2})?)\s*%"
)
_TOTAL = re.compile(
    r"(?P<label>t[oổ]ng\s+s[oố][^:;]{0,120}?)\s*:\s*(?P<total>" + _N + r")\b(?P<rest>[^;]*)", re.I
)
_PART = re.compile(
    r"(?P<label>[^,;()]*?)\s*(?P<n>" + _N + r")\s+(?:h[oồ]\s*s[oơ]|văn bản|thủ tục|TTHC|lượt|người)?", re.I
)


@dataclass
class ResultItem:
    indicator: str
    numerator: Decimal | None
    denominator: Decimal | None
    stated_percent: Decimal | None
    consistent: bool
    source_line: int | None
    precision: int = 0
    parts: list[tuple[str, Decimal]] = field(default_factory=list)
    offset: int = 0
    target_clause: str = ""
    tail: str = ""  # what the clause says after the figure ("..., đạt.")


def _num(s: str) -> Decimal | None:
    try:
        return parse_number(s)
    except NumberError:
        return None


def _indicator(text: str, start: int) -> tuple[str, str]:
    """The label before a figure in its clause, and the part before a colon (a stated target)."""
    seg = text[:start]
    clause_start = max(seg.rfind(";"), seg.rfind(". "))
    seg = seg[clause_start + 1 :]
    head = seg
    colon = seg.rfind(":")
    if colon >= 0:
        # "Tỷ lệ X đạt 70%: 56/56" -> label "Tỷ lệ X", target clause "Tỷ lệ X đạt 70%"
        before_colon = seg[:colon]
        inner_colon = before_colon.rfind(":")
        head = before_colon[inner_colon + 1 :] if inner_colon >= 0 else before_colon
    label = re.sub(
        r"(?i)\s*(?:đạt|là|được)?\s*(?:trên|tối thiểu|ít nhất|từ)?\s*\d{1,3}(?:[.,]\d+)?\s*%.*$", "", head
    )
    label = re.sub(r"^[\s\-–+•*]+", "", label).strip(" ,;:.")
    return label, head.strip(" ,;:-–+")


def find(text: str, *, line_of=None) -> list[ResultItem]:
    folded = fold_keep_offsets(text)
    out: list[ResultItem] = []
    taken: list[tuple[int, int]] = []
    for m in FRACTION.finditer(text):
        before = folded[max(0, m.start() - 12) : m.start()]
        if re.search(r"(?:ngay|thang|truoc|sau|den|tu|han|luc|hom)\s*$", before):
            continue  # "trước 13/6": a day and month, not a fraction
        num, den = _num(m.group("num")), _num(m.group("den"))
        if num is None or den is None:
            continue
        stated = None
        precision = 0
        sm = _STATED.match(folded[m.end() : m.end() + 60])
        if sm:
            raw = sm.group("p") or sm.group("p2") or sm.group("p3")
            stated = _num(raw)
            precision = stated_precision(raw)
        consistent = True
        if stated is not None:
            consistent = den != 0 and percent_follows(num, den, stated, precision)
        label, head = _indicator(text, m.start())
        if not label:
            continue
        rest = text[m.end() :]
        tail = re.split(r";|\.\s+(?=[A-ZĐ])|\d{1,7}\s*/\s*\d", rest)[0]
        out.append(
            ResultItem(
                label,
                num,
                den,
                stated,
                consistent,
                line_of(m.start()) if line_of else None,
                precision,
                offset=m.start(),
                target_clause=head,
                tail=tail,
            )
        )
        taken.append((m.start(), m.end()))
    for m in _TOTAL.finditer(text):
        total = _num(m.group("total"))
        if total is None or any(a <= m.start("total") < b for a, b in taken):
            continue
        rest = m.group("rest")
        parts: list[tuple[str, Decimal]] = []
        pm = re.search(r"\(\s*trong\s+đó\s*:?\s*([^()]*)\)", rest, re.I) or re.search(
            r"trong\s+đó\s*:?\s*(.*)$", rest, re.I
        )
        if pm:
            for piece in re.split(r"[,;]", pm.group(1)):
                nm = re.search(rf"(?<![\d/])({_N})\b", piece)
                if nm and _num(nm.group(1)) is not None and not FRACTION.search(piece):
                    parts.append((piece.strip(), _num(nm.group(1))))
        label = re.sub(r"^[\s\-–+•*]+", "", m.group("label")).strip()
        out.append(
            ResultItem(
                label,
                total,
                None,
                None,
                True,
                line_of(m.start("total")) if line_of else None,
                parts=parts,
                offset=m.start(),
            )
        )
    out.sort(key=lambda r: r.offset)
    return out
