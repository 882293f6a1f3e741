"""Findings a careful reader would flag, each with a stable code, a Vietnamese message and its line.

==============================  ==========================================================================
code                            meaning
==============================  ==========================================================================
percent-mismatch                a stated percent does not follow from its fraction at the stated precision
numerator-exceeds-denominator   "57/56"
parts-exceed-total              the parts given "trong đó" add up to more than the total
parts-below-total               ... or to less (when every part of the total is listed)
cited-after-issue               a cited document is dated after the document itself
cited-after-period              a report cites a document dated after the period it reports on
conflicting-citation-dates      the same document cited with two different dates
citation-year-mismatch          "107/2021/NĐ-CP ngày 08/4/2020": the date is before the year in its number
period-window-mismatch          a reporting window that is not the Decree 09/2019 cut-off of its period
claim-contradicts-target        "đạt" claimed where the figure does not meet the stated target
target-conflict                 the same target stated with different thresholds (body vs appendix)
symbol-mismatch                 an appendix refers to the document under another number/symbol
numbering-gap                   sibling headings skip a number ("6." then "8.")
numbering-duplicate             sibling headings repeat a label ("c)" twice)
==============================  ==========================================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from chitieu.core import vntext
from chitieu.core.numbers import format_vi, percent, round_half_up
from chitieu.core.periods import DECREE_09, Period, PeriodError
from chitieu.core.periods import parse as parse_period
from chitieu.extraction import citations as cit
from chitieu.extraction.blocks import Block
from chitieu.extraction.results import ResultItem
from chitieu.extraction.targets import TargetItem
from chitieu.extraction.timing import find_dates


@dataclass
class Finding:
    code: str
    message: str
    source_line: int | None


def _fmt(d: Decimal) -> str:
    return format_vi(d, 2)


def check_results(results: list[ResultItem], targets_by_clause=None) -> list[Finding]:
    out: list[Finding] = []
    for r in results:
        if r.numerator is not None and r.denominator is not None:
            if r.numerator > r.denominator:
                out.append(
                    Finding(
                        "numerator-exceeds-denominator",
                        f"{r.indicator}: tử số {_fmt(r.numerator)} lớn hơn mẫu số {_fmt(r.denominator)}.",
                        r.source_line,
                    )
                )
            elif r.stated_percent is not None and not r.consistent:
                exact = percent(r.numerator, r.denominator)
                shown = (
                    _fmt(round_half_up(exact, max(r.precision, 0))) if exact is not None else "không xác định"
                )
                out.append(
                    Finding(
                        "percent-mismatch",
                        f"{r.indicator}: {_fmt(r.numerator)}/{_fmt(r.denominator)} là {shown}%, "
                        f"không phải {_fmt(r.stated_percent)}% như đã ghi.",
                        r.source_line,
                    )
                )
        if r.parts:
            total = r.numerator
            s = sum((p for _, p in r.parts), Decimal(0))
            if total is not None and s > total:
                out.append(
                    Finding(
                        "parts-exceed-total",
                        f"{r.indicator}: tổng {_fmt(total)} nhưng các phần trong đó cộng lại {_fmt(s)} "
                        f"({' + '.join(_fmt(p) for _, p in r.parts)}).",
                        r.source_line,
                    )
                )
            elif total is not None and s < total and len(r.parts) >= 2 and _complete_breakdown(r.parts):
                out.append(
                    Finding(
                        "parts-below-total",
                        f"{r.indicator}: tổng {_fmt(total)} nhưng các phần trong đó chỉ cộng lại {_fmt(s)}.",
                        r.source_line,
                    )
                )
    return out


def _complete_breakdown(parts: list[tuple[str, Decimal]]) -> bool:
    """Parts that together should make the whole ("tiếp nhận mới ..., kỳ trước chuyển sang ...")."""
    labels = " ".join(vntext.fold(lbl) for lbl, _ in parts)
    return ("moi" in labels and "ky truoc" in labels) or ("truc tuyen" in labels and "truc tiep" in labels)


def check_claims(results: list[ResultItem], stated_targets: dict[int, TargetItem]) -> list[Finding]:
    """A result line that states its target ("Tỷ lệ X đạt tối thiểu 80%: 52/80 hồ sơ, đạt") where the
    figure does not meet it, while the text claims it does."""
    from chitieu.core.evaluation import Measurement, MeasureUnit, Operator, Status, TargetSpec, evaluate

    out = []
    for r in results:
        t = stated_targets.get(id(r))
        if t is None or r.numerator is None or r.denominator is None or r.denominator == 0:
            continue
        spec = TargetSpec(Operator(t.operator), t.value, MeasureUnit(t.unit))
        status = evaluate(spec, Measurement(r.numerator, r.denominator))
        claimed = (
            r.stated_percent is not None and evaluate(spec, Measurement(value=r.stated_percent)) == Status.MET
        )
        if status == Status.NOT_MET and (claimed or _claims_met(r)):
            out.append(
                Finding(
                    "claim-contradicts-target",
                    f"{r.indicator}: ghi là đạt nhưng {_fmt(r.numerator)}/{_fmt(r.denominator)} "
                    f"({_fmt(round_half_up(percent(r.numerator, r.denominator), 2))}%) không đạt chỉ tiêu "
                    f"{t.operator} {_fmt(t.value)}{'%' if t.unit == '%' else ''}.",
                    r.source_line,
                )
            )
    return out


def _claims_met(r: ResultItem) -> bool:
    """ "..., đạt." / "— đạt" / "đạt chỉ tiêu" after the figure: the writer says the target is met."""
    return bool(
        re.search(
            r"(?i)(?:—|–|-|:|,)\s*(?:đã\s+)?(?:đạt|hoàn thành)\s*(?:chỉ tiêu|kế hoạch)?\s*\.?\s*$",
            (r.tail or "").strip(),
        )
        or re.search(r"(?i)\bđạt chỉ tiêu\b", r.tail or "")
    )


def check_citations(blocks: list[Block], *, doc_date: str | None, period: Period | None) -> list[Finding]:
    out: list[Finding] = []
    first_seen: dict[str, tuple[str, int]] = {}
    doc_day = _as_date(doc_date)
    period_end = period.calendar_window.end if period else None
    flagged_year: set[tuple[str, int]] = set()
    for b in blocks:
        for c in cit.find(b.text):
            line = b.line_at(c.start)
            key = cit.normalise_symbol(c.number_symbol)
            if c.date is None:
                continue
            cited = _as_date(c.date)
            prev = first_seen.get(key)
            year_in_number = _year_in_number(c.number_symbol)
            if prev is not None and prev[0] != c.date and len(prev[0]) == len(c.date):
                extra = ""
                if year_in_number and cited and cited.year < year_in_number:
                    extra = f" (ngày {_vi_date(c.date)} còn trước năm {year_in_number} ghi trong số hiệu)"
                    flagged_year.add((key, line))
                out.append(
                    Finding(
                        "conflicting-citation-dates",
                        f"{c.kind or 'Văn bản'} số {c.number_symbol} được dẫn với ngày {_vi_date(c.date)}, "
                        f"trong khi trước đó (dòng {prev[1]}) ghi ngày {_vi_date(prev[0])}{extra}.",
                        line,
                    )
                )
            elif year_in_number and cited and cited.year < year_in_number and (key, line) not in flagged_year:
                out.append(
                    Finding(
                        "citation-year-mismatch",
                        f"{c.kind or 'Văn bản'} số {c.number_symbol} ghi ngày {_vi_date(c.date)}, trước năm {year_in_number} "
                        "trong số hiệu.",
                        line,
                    )
                )
            if prev is None:
                first_seen[key] = (c.date, line)
            if cited is not None and len(c.date) == 10:
                if doc_day is not None and cited > doc_day:
                    out.append(
                        Finding(
                            "cited-after-issue",
                            f"{c.kind or 'Văn bản'} số {c.number_symbol} ngày {_vi_date(c.date)} có sau ngày ban hành "
                            f"văn bản này ({_vi_date(doc_date)}).",
                            line,
                        )
                    )
                elif doc_day is None and period_end is not None and cited > period_end:
                    out.append(
                        Finding(
                            "cited-after-period",
                            f"{c.kind or 'Văn bản'} số {c.number_symbol} ngày {_vi_date(c.date)} có sau kỳ báo cáo "
                            f"({period.label_vi}, kết thúc {period_end:%d/%m/%Y}).",
                            line,
                        )
                    )
    return out


def _year_in_number(ns: str) -> int | None:
    m = re.match(r"^\d+/(\d{4})/", ns)
    return int(m.group(1)) if m else None


def _as_date(iso: str | None) -> date | None:
    if not iso or len(iso) != 10:
        return None
    try:
        return date.fromisoformat(iso)
    except ValueError:
        return None


def _vi_date(iso: str | None) -> str:
    if not iso:
        return ""
    return "/".join(reversed(iso.split("-")))


_WINDOW = re.compile(
    r"(?i)\btừ\s+(?:ngày\s+)?(\d{1,2}/\d{1,2}/\d{4})\s+(?:đến|tới|-)\s+(?:ngày\s+)?(\d{1,2}/\d{1,2}/\d{4})"
)


def check_windows(blocks: list[Block], period: Period | None) -> list[Finding]:
    """A data window written for the reported period must be its Decree 09 cut-off window
    (or its calendar window)."""
    if period is None:
        return []
    out = []
    cut = period.window(DECREE_09)
    cal = period.calendar_window
    for b in blocks:
        for m in _WINDOW.finditer(b.text):
            ds = find_dates(m.group(0))
            if len(ds) < 2 or len(ds[0][0]) != 10 or len(ds[1][0]) != 10:
                continue
            start, end = date.fromisoformat(ds[0][0]), date.fromisoformat(ds[1][0])
            context = vntext.fold(b.text)
            if not re.search(r"ho so|so lieu|ket qua|tiep nhan|giai quyet", context):
                continue
            if (start, end) in ((cut.start, cut.end), (cal.start, cal.end)):
                continue
            # only windows that plausibly mean the whole period
            if abs((start - cut.start).days) > 62 and abs((end - cut.end).days) > 62:
                continue
            out.append(
                Finding(
                    "period-window-mismatch",
                    f"Kỳ số liệu {start:%d/%m/%Y} – {end:%d/%m/%Y} không khớp thời gian chốt số liệu của "
                    f"{period.label_vi} theo Nghị định 09/2019 ({cut.start:%d/%m/%Y} – {cut.end:%d/%m/%Y}).",
                    b.line_at(m.start()),
                )
            )
    return out


def check_numbering(blocks: list[Block]) -> list[Finding]:
    out = []
    groups: dict[tuple[int, str], list[Block]] = {}
    for b in blocks:
        if b.kind not in ("heading", "item") or b.label_kind not in ("roman", "number", "letter", "number2"):
            continue
        parent_id = id(b.parent) if b.parent is not None else 0
        groups.setdefault((parent_id, b.label_kind), []).append(b)
    letters = "abcdđeghiklmnopqrstuvxy"
    for (_, kind), sibs in groups.items():
        if len(sibs) < 2:
            continue
        seen: dict[str, Block] = {}
        prev_n = None
        for b in sibs:
            label = b.label
            if label in seen:
                out.append(
                    Finding(
                        "numbering-duplicate",
                        f'Mục "{label}" bị lặp lại (đã có ở dòng {seen[label].source}).',
                        b.source,
                    )
                )
                prev_n = _ordinal(label, kind, letters)
                continue
            seen[label] = b
            n = _ordinal(label, kind, letters)
            if (
                kind == "letter"
                and prev_n is not None
                and n is not None
                and prev_n == letters.index("d") + 1
                and n == letters.index("e") + 1
            ):
                prev_n = n  # "d) e)": many offices skip "đ", not a gap
                continue
            if prev_n is not None and n is not None and n > prev_n + 1:
                missing = _label_of(prev_n + 1, kind, letters, label)
                before = _label_of(prev_n, kind, letters, label)
                out.append(
                    Finding(
                        "numbering-gap",
                        f'Đánh số nhảy từ mục "{before}" sang mục "{label}" (thiếu mục "{missing}").',
                        b.source,
                    )
                )
            prev_n = n if n is not None else prev_n
    return out


def _ordinal(label: str, kind: str, letters: str) -> int | None:
    if kind == "number":
        return int(label)
    if kind == "number2":
        return int(label.split(".")[-1])
    if kind == "letter":
        return letters.index(label) + 1 if label in letters else None
    if kind == "roman":
        vals = {"I": 1, "V": 5, "X": 10}
        total = 0
        for i, ch in enumerate(label):
            v = vals.get(ch, 0)
            total += -v if i + 1 < len(label) and vals.get(label[i + 1], 0) > v else v
        return total
    return None


def _label_of(n: int, kind: str, letters: str, like: str) -> str:
    if kind == "letter":
        return letters[n - 1]
    if kind == "number2":
        return ".".join(like.split(".")[:-1] + [str(n)])
    if kind == "roman":
        return {
            1: "I",
            2: "II",
            3: "III",
            4: "IV",
            5: "V",
            6: "VI",
            7: "VII",
            8: "VIII",
            9: "IX",
            10: "X",
        }.get(n, str(n))
    return str(n)


def check_self_symbol(number_symbol: str | None, refs: list[tuple[str, Block]]) -> list[Finding]:
    if not number_symbol:
        return []
    own = re.sub(r"^\d*", "", number_symbol.replace(" ", "")).lstrip("/")
    out = []
    for ns, b in refs:
        other = re.sub(r"^\d*", "", ns).lstrip("/")
        if other and own and vntext.fold(other) != vntext.fold(own):
            out.append(
                Finding(
                    "symbol-mismatch",
                    f'Phụ lục ghi kèm theo văn bản số "{ns}" nhưng văn bản này có số, ký hiệu '
                    f'"{number_symbol}".',
                    b.source,
                )
            )
    return out


def check_target_conflicts(conflicts: list[tuple[TargetItem, TargetItem]]) -> list[Finding]:
    out = []
    for body, other in conflicts:
        out.append(
            Finding(
                "target-conflict",
                f'Chỉ tiêu "{body.text[:80]}" ghi {body.operator} {_fmt(body.value)}{"%" if body.unit == "%" else ""} '
                f"(dòng {body.source_line}) nhưng ở phụ lục/bảng là {other.operator} {_fmt(other.value)}"
                f"{'%' if other.unit == '%' else ''}.",
                other.source_line,
            )
        )
    return out


def report_period(title: str | None, blocks: list[Block]) -> Period | None:
    """The period a report covers, from its title ("... Quý I năm 2024")."""
    texts = [title or ""] + [b.text for b in blocks[:6]]
    pat = re.compile(
        r"(?i)(quý\s+(?:IV|III|II|I|[1-4])\s*(?:năm|/)\s*\d{4}|(?:0?6|0?9)\s+tháng\s+(?:đầu\s+|cuối\s+)?năm\s+\d{4}|"
        r"tháng\s+\d{1,2}\s*(?:năm|/)\s*\d{4}|năm\s+\d{4})"
    )
    for t in texts:
        m = pat.search(t)
        if m:
            try:
                return parse_period(m.group(1))
            except PeriodError:
                continue
    return None
