"""The reporting paragraph of a plan: who reports to whom, how often, by when.

Pure Python. A plan says it in sentences such as

* "Định kỳ (trước ngày 15 của tháng cuối quý), báo cáo kết quả ... qua Văn phòng Sở để tổng hợp";
* "Các phòng, đơn vị ... báo cáo định kỳ quý I trước ngày 13/3, 6 tháng trước 13/6 ... về Văn phòng";
* "Định kỳ trước ngày 20 hàng tháng tổng hợp kết quả ... về Sở Thông tin và Truyền thông để báo cáo
  UBND tỉnh";
* "Giao Văn phòng Sở ... tổng hợp báo cáo kết quả thực hiện gửi Sở TT&TT trước ngày 20 của tháng cuối quý".

:func:`find` returns each such statement with its sender (as written: the sentence's subject, or
the unit heading or the introducing line above it; None when the sentence names nobody, i.e. the
units that report), its recipient (and the body it goes through, "qua ..."), the rule as written and
as data (:mod:`chitieu.core.deadlines`) and the kinds of period it implies. Ordering the statements
into a chain (units → compiling office → upper body) needs the unit tree: that is the importer's work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chitieu.core import vntext
from chitieu.core.deadlines import DeadlineError, parse_rule
from chitieu.extraction import units as un
from chitieu.extraction.blocks import Block


@dataclass
class Statement:
    source_line: int
    text: str
    rule_text: str
    rule: dict
    kinds: list[str]
    sender: str | None = None
    recipient: str | None = None
    via: str | None = None
    final: str | None = None  # "để báo cáo UBND tỉnh": who the compiled report is finally for
    notes: list[str] = field(default_factory=list)
    #: one rule per kind of period when the sentence gives several ("quý ... trước ngày 10 của tháng
    #: cuối quý; báo cáo năm trước ngày 05/12"): [{"kinds": [...], "rule": {...}}]
    rules: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.rules:
            self.rules = [{"kinds": list(self.kinds), "rule": self.rule}]

    def add_rule(self, kinds: list[str], rule: dict) -> None:
        self.rules.append({"kinds": kinds, "rule": rule})
        self.kinds = list(dict.fromkeys([*self.kinds, *kinds]))


_RULE_HINT = re.compile(
    r"(?:truoc|cham nhat(?: vao)?|den het|den)\s+(?:ngay\s+)?\d{1,2}(?:/\d{1,2})?\b|"
    r"\d{1,2}\s+ngay lam viec\s+(?:ke tu|sau)"
)
_REPORT_VERB = re.compile(r"\b(?:bao cao|tong hop|gui)\b")
_PERIODIC = re.compile(
    r"hang thang|hang quy|moi thang|moi quy|thang cuoi (?:quy|ky|nam)|dinh ky|quy (?:i|ii|iii|iv|\d)\b|6 thang|06 thang|"
    r"9 thang|09 thang|hang nam|bao cao nam|ngay lam viec|ky bao cao"
)

# a unit phrase after a preposition, up to where the sentence goes on ("để", "trước", a comma ...)
_UNIT_END = r"(?=\s+(?:de|truoc|cham nhat|theo|dinh ky|vao|trong|khi|hang|moi|tong hop|bao cao)\b|[,;.()]|$)"
_TO = re.compile(r"(?=\b(?<!ket )(?:gui ve|gui den|gui|ve|qua|cho|den)\s+(?P<u>[^,;.()]+?)" + _UNIT_END + ")")
_FINAL = re.compile(
    r"\bbao cao\s+(?P<u>(?:uy ban|ubnd|ban chi dao|bcd|so|bo|giam doc|truong ban|thuong truc|chu tich|tinh uy|huyen uy|thanh uy)[^,;.()]*?)"
    + _UNIT_END
)
_VIA = re.compile(r"(?=\(\s*(?:thong )?qua\s+(?P<u>[^)]+)\))")


def kinds_of(rule: dict, folded: str) -> list[str]:
    """The kinds of period a rule implies: an explicit date per period names them; "hằng tháng" is
    monthly; "tháng cuối quý" / "hằng quý" quarterly; "6 tháng" half-yearly; "năm" yearly."""
    if rule.get("kind") == "explicit":
        order = {"M": "month", "Q": "quarter", "S": "half", "N": "nine", "Y": "year"}
        return list(dict.fromkeys(order[tag[0]] for tag in rule["dates"]))
    if re.search(r"hang thang|moi thang|hang thang", folded) and not re.search(r"thang cuoi quy", folded):
        return ["month"]
    out = []
    if re.search(r"thang cuoi quy|hang quy|moi quy|\bquy\b", folded):
        out.append("quarter")
    if re.search(r"\b0?6 thang\b", folded):
        out.append("half")
    if re.search(r"\b0?9 thang\b", folded):
        out.append("nine")
    if re.search(r"\bnam\b|hang nam", folded) and out:
        out.append("year")
    return out or ["quarter"]


_TAGS = (
    (r"quy (?:i|1)\b", "Q1"),
    (r"quy (?:ii|2)\b", "Q2"),
    (r"quy (?:iii|3)\b", "Q3"),
    (r"quy (?:iv|4)\b", "Q4"),
    (r"\b0?6 thang", "S1"),
    (r"\b0?9 thang", "N9"),
    (r"\bnam\b", "Y"),
)
_DEADLINE_WORD = r"(?:truoc|cham nhat(?: vao)?|han|gui truoc)\s*(?:ngay\s+)?"
_DATE_AT = r"(\d{1,2})/(\d{1,2})(?:/\d{4})?\b"


def tag_dates(folded: str) -> dict[str, str]:
    """Per-period dates written either way: "quý I trước 13/3", "trước ngày 05/6/2022 (báo cáo 6
    tháng)" -> {"Q1": "03-13", "S1": "06-05"}. Only dates given as a deadline ("trước", "chậm nhất")
    count, so the data window on the same line ("số liệu từ 15/12 đến 14/3") is not taken for one."""
    tags = [(t.start(), t.end(), tag) for pat, tag in _TAGS for t in re.finditer(pat, folded)]
    dates = [
        (d.start(), d.end(), f"{int(d.group(2)):02d}-{int(d.group(1)):02d}")
        for d in re.finditer(_DEADLINE_WORD + _DATE_AT, folded)
    ]
    found: dict[str, tuple[int, str]] = {}
    for ts, te, tag in tags:
        for ds, de, md in dates:
            if ds >= te:  # "quý I ... trước 13/3": nothing that names another period in between
                between = folded[te:ds]
                if (
                    len(between) > 80
                    or any(te <= os < ds for os, _, _ in tags)
                    or any(te <= os < ds for os, _, _ in dates)
                ):
                    continue
                gap = ds - te
            elif re.fullmatch(r"\s*\(?\s*(?:bao cao\s+)?", folded[de:ts]):  # "05/6 (báo cáo 6 tháng)"
                gap = ts - de - 100  # a date labelled by the period after it is that period's
            else:
                continue
            if tag not in found or gap < found[tag][0]:
                found[tag] = (gap, md)
    return {tag: md for tag, (_, md) in found.items()}


def _dates_in_order(folded: str) -> list[str]:
    return [
        f"{int(m.group(2)):02d}-{int(m.group(1)):02d}" for m in re.finditer(_DEADLINE_WORD + _DATE_AT, folded)
    ]


def _listed_quarters(folded: str) -> list[str]:
    """ "báo cáo quý I, quý II, quý III ...": the quarters a rule is for, when not all four."""
    found = [tag for pat, tag in _TAGS[:4] if re.search(pat, folded)]
    return found if 0 < len(found) < 4 else []


def _rule_of(seg: str) -> dict | None:
    f = vntext.fold(seg)
    dates = tag_dates(f)
    if len(dates) >= 2:
        return {"kind": "explicit", "dates": dates, "exclusive": "truoc" in f}
    text = re.sub(r"(?i)tháng có kỳ báo cáo|tháng của kỳ báo cáo", "tháng cuối kỳ", seg)
    try:
        rule = parse_rule(text).to_dict()
    except DeadlineError:
        return None
    only = _listed_quarters(f)
    if only and rule.get("kind") == "day_of_last_month":
        rule["only"] = only  # the other quarters are covered by the half-year or year report
    return rule


def _span(folded: str, pattern: re.Pattern, original: str) -> str | None:
    """The first unit phrase the pattern finds ("gửi về Phòng ...", "qua Văn phòng Sở")."""
    for m in pattern.finditer(folded):
        text = original[m.start("u") : m.end("u")].strip(" ,;:.")
        if text and un.UNIT_START.match(text[:1].upper() + text[1:]):
            return text
    return None


def _segments(text: str) -> list[str]:
    """Sentences, and the clauses of long sentences joined by ';'."""
    parts = re.split(r"(?<=[.;])\s+(?=[A-ZĐ\-+])|;\s+", text)
    return [p.strip() for p in parts if p.strip()]


def _sender(b: Block, segment: str, blocks_before: list[Block]) -> str | None:
    for text in (segment, b.text):
        u = un.leading_unit(text)
        if u:
            return u
    for a in b.ancestors():
        if a.kind in ("heading", "item"):
            u = (a.text.strip(" .:") if un.is_unit_name(a.text, heading=True) else None) or un.leading_unit(
                a.text
            )
            if u:
                return u
    if blocks_before:  # "Các thành viên BCĐ; các cơ quan ... thực hiện chế độ báo cáo như sau:"
        prev = blocks_before[-1]
        if prev.text.rstrip().endswith(":") and re.search(r"bao cao", vntext.fold(prev.text)):
            head = re.split(
                r"(?i)\s+(?:thực hiện|có trách nhiệm|định kỳ|gửi|báo cáo)\b", prev.text, maxsplit=1
            )[0]
            return head.strip(" :,.") or None
    return None


def find(blocks: list[Block]) -> list[Statement]:
    """Every sentence that sets a periodic reporting deadline, in document order."""
    out: list[Statement] = []
    seen: set[tuple[int, str]] = set()
    singles: list[tuple[Block, str, dict[str, str]]] = []
    for i, b in enumerate(blocks):
        if b.kind == "row":
            continue
        for seg in _segments(b.text):
            f = vntext.fold(seg)
            f = re.sub(r"[*_]", " ", f)
            if not (_RULE_HINT.search(f) and _REPORT_VERB.search(f)):
                continue
            follows = (  # "... trước ngày 10/6/2022 và trước ngày 10/12/2022": the periods named just before
                out
                and out[-1].rule.get("kind") == "explicit"
                and len(_dates_in_order(f)) == len(out[-1].rule["dates"]) >= 2
                and b.source - out[-1].source_line <= 3
            )
            if not (_PERIODIC.search(f) or follows):
                continue
            rule_d = _rule_of(seg)
            if rule_d is None and out and out[-1].rule.get("kind") == "explicit":
                # "... trước ngày 10/6/2022 và trước ngày 10/12/2022": the dates of the periods named before
                dates = _dates_in_order(f)
                tags = list(out[-1].rule["dates"])
                if len(dates) == len(tags) >= 2:
                    rule_d = {
                        "kind": "explicit",
                        "dates": dict(zip(tags, dates, strict=True)),
                        "exclusive": True,
                    }
            if rule_d is None:
                pending = tag_dates(f)
                if len(pending) == 1 and out and out[-1].source_line == b.source:
                    # "...; riêng báo cáo năm trước ngày 10/12": this sentence's rule for one more period
                    single = {"kind": "explicit", "dates": pending, "exclusive": "truoc" in f}
                    out[-1].add_rule(kinds_of(single, f), single)
                elif len(pending) == 1:  # one period per line: "- Báo cáo quý I ...: gửi trước ngày 16/3"
                    singles.append((b, seg, pending))
                continue
            key = (b.source, seg[:60])
            if key in seen:
                continue
            seen.add(key)
            original = vntext.nfc(re.sub(r"[*_]", " ", seg))
            fo = vntext.fold(original)
            recipient = _span(fo, _TO, original)
            final = _span(fo, _FINAL, original)
            if recipient is None and final is not None:
                recipient, final = final, None
            via = _span(fo, _VIA, original)
            if via and recipient == via:  # "báo cáo UBND huyện (qua Phòng VH&TT)": the office only forwards
                recipient, final = final, None
            m = _RULE_HINT.search(fo)
            rule_text = original[max(0, m.start() - 40) : m.end() + 40].strip() if m else original
            out.append(
                Statement(
                    source_line=b.source,
                    text=original,
                    rule_text=rule_text,
                    rule=rule_d,
                    kinds=kinds_of(rule_d, fo),
                    sender=(_sender(b, seg, blocks[max(0, i - 3) : i]) or "").strip(" (,;:") or None,
                    recipient=recipient,
                    via=via,
                    final=final,
                )
            )
    out.extend(_merged_singles(singles, blocks))
    out.sort(key=lambda st: st.source_line)
    return out


def _intro_recipient(before: list[Block]) -> str | None:
    if before and before[-1].text.rstrip().endswith(":"):
        t = vntext.nfc(before[-1].text)
        return _span(vntext.fold(t), _TO, t)
    return None


def _merged_singles(singles: list[tuple[Block, str, dict[str, str]]], blocks: list[Block]) -> list[Statement]:
    """Consecutive lines each giving one period's date become one statement."""
    out: list[Statement] = []
    run: list[tuple[Block, str, dict[str, str]]] = []

    def close() -> None:
        if len(run) >= 2:
            dates: dict[str, str] = {}
            for _, _, d in run:
                dates.update(d)
            first = run[0][0]
            text = " ".join(seg for _, seg, _ in run)
            fo = vntext.fold(text)
            idx = blocks.index(first)
            rule = {"kind": "explicit", "dates": dates, "exclusive": "truoc" in fo}
            out.append(
                Statement(
                    source_line=first.source,
                    text=text,
                    rule_text=text[:200],
                    rule=rule,
                    kinds=kinds_of(rule, fo),
                    sender=(_sender(first, run[0][1], blocks[max(0, idx - 3) : idx]) or "").strip(" (,;:")
                    or None,
                    recipient=_span(fo, _TO, vntext.nfc(text))
                    or _intro_recipient(blocks[max(0, idx - 3) : idx]),
                )
            )
        run.clear()

    for item in singles:
        if run and item[0].source - run[-1][0].source > 2:
            close()
        run.append(item)
    close()
    return out


def from_text(text: str) -> list[Statement]:
    """The statements of reporting sentences a person typed (the review page's schedule box), read by
    the same rules as a plan's own paragraph."""
    from chitieu.extraction.blocks import build
    from chitieu.extraction.readers import read_text

    return find(build(read_text(text.encode("utf-8"), "lịch báo cáo")))
