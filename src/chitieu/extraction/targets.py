"""Targets: quantified outcomes in a sentence.

Conventions (the extract contract): "trên 70%" -> ``>`` 70; "đạt 70%", "tối thiểu 70%", "ít nhất
70%", "từ 70% trở lên", "≥ 70%" -> ``>=`` 70; a bare "100% ..." -> ``>=`` 100; "không quá 5%",
"tối đa 5%" -> ``<=`` 5; "dưới 5%" -> ``<`` 5; "02 lớp tập huấn" -> ``>=`` 2 ``count``.
"80% tại cấp sở, 40% tại cấp huyện và 30% tại cấp xã" gives one target per level; a phrase whose
thresholds all sit in parentheses gives the parenthesised sub-targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from chitieu.core import vntext
from chitieu.core.numbers import NumberError, parse_number
from chitieu.extraction.timing import find_time_phrase, fold_keep_offsets, parse_deadline


@dataclass
class TargetItem:
    text: str
    operator: str
    value: Decimal
    unit: str
    scope: str | None = None
    lead_unit: str | None = None
    monitoring_unit: str | None = None
    deadline: str | None = None
    source_line: int | None = None
    origin: str = "body"
    original: str = ""
    indicator_code: str | None = None
    candidates: list[tuple[str, float]] = field(default_factory=list)

    def key(self) -> tuple:
        return (self.operator, self.value, self.unit, self.scope)


# --- threshold expressions (on accent-folded text with the same offsets) ------------------------
_NUM = r"\d{1,3}(?:[.,]\d{1,2})?"
_OPS = (
    r"(?P<op>(?:dat\s+)?(?:ty\s+le\s+)?(?:tren|toi\s+thieu|it\s+nhat|toi\s+da|khong\s+qua|khong\s+vuot\s+qua|"
    r"khong\s+duoi|khong\s+thap\s+hon|duoi|tu|toi|bang|>=|<=|≥|≤|>|<)\s*|dat\s+(?:ty\s+le\s+|muc\s+)?)?"
)
_PERCENT = re.compile(_OPS + r"(?P<num>" + _NUM + r")\s*%(?P<post>\s*tro\s+(?:len|xuong))?")
_COUNT_NOUNS = (
    r"lop(?:\s+tap\s+huan|\s+boi\s+duong|\s+dao\s+tao)?|khoa(?:\s+hoc|\s+dao\s+tao|\s+boi\s+duong)|"
    r"co\s+so\s+du\s+lieu|csdl|he\s+thong(?:\s+thong\s+tin)?|phan\s+mem|nen\s+tang|ung\s+dung|dich\s+vu|"
    r"hoi\s+nghi|hoi\s+thao|cuoc(?:\s+kiem\s+tra|\s+dien\s+tap|\s+thi)?|dot(?:\s+kiem\s+tra|\s+tuyen\s+truyen)?|"
    r"mo\s+hinh|san\s+pham|doanh\s+nghiep|diem|trang\s+thong\s+tin|bai\s+viet|tin\s+bai|chuyen\s+muc|"
    r"van\s+ban|quy\s+trinh|de\s+an|ke\s+hoach|bo\s+chi\s+so|to\s+cong\s+nghe|tuyen\s+duong|camera|"
    r"may\s+tinh|luot|nguoi|hoc\s+vien|can\s+bo|thu\s+tuc"
)
_COUNT = re.compile(
    r"(?P<pre>(?:dat|hoan\s+thanh|to\s+chuc|xay\s+dung|trien\s+khai|co|it\s+nhat|toi\s+thieu|phan\s+dau|"
    r"cung\s+cap|ban\s+hanh|thuc\s+hien|mo|dao\s+tao|boi\s+duong|tap\s+huan|nang\s+cap)\s+(?:(?:it\s+nhat|"
    r"toi\s+thieu|toi\s+da)\s+)?)?(?P<num>\d{1,5})\s+(?P<noun>" + _COUNT_NOUNS + r")\b"
)
_SCOPE = re.compile(
    r"(?:(?:tai|o|doi\s+voi|cua)\s+)?(?:cac\s+)?(?P<word>cap|tuyen)\s+(?P<lvl>tinh|so|huyen|xa|bo|thanh\s+pho|phong|co\s+so|trung\s+uong)"
    r"(?P<more>(?:\s*(?:,|va)\s*(?:cap\s+|tuyen\s+)?(?:tinh|so|huyen|xa|phong)\b)+)?"
)
_HEADS = ("ty le", "muc do", "so luong", "chi so", "thoi gian", "so ")
_LEADING_VERBS = re.compile(
    r"^(?:(?:duy\s+tri|dam\s+bao|phan\s+dau|tiep\s+tuc|hoan\s+thanh|chi\s+dao\s+hoan\s+thanh|phan\s+dau\s+dat|dat|"
    r"nang\s+cao|nang)\s*)*(?:ty\s+le\s*)?$"
)


def _op_of(op_text: str, post: str) -> str:
    op = re.sub(r"\s+", " ", (op_text or "").strip())
    op = re.sub(r"^dat\s+(?:ty le\s+|muc\s+)?", "", op).strip()
    if post and "len" in post:
        return ">="
    if post and "xuong" in post:
        return "<="
    return {
        "tren": ">",
        ">": ">",
        "duoi": "<",
        "<": "<",
        "toi da": "<=",
        "khong qua": "<=",
        "khong vuot qua": "<=",
        "<=": "<=",
        "≤": "<=",
        "bang": ">=",
        "tu": ">=",
    }.get(op, ">=")


@dataclass
class _Hit:
    start: int  # threshold expression start (incl. operator words)
    num_start: int
    end: int
    operator: str
    value: Decimal
    unit: str


def _hits(folded: str) -> list[_Hit]:
    out: list[_Hit] = []
    for m in _PERCENT.finditer(folded):
        try:
            value = parse_number(m.group("num"))
        except NumberError:
            continue
        if value > 1000:
            continue
        start = m.start("op") if m.group("op") else m.start("num")
        out.append(
            _Hit(start, m.start("num"), m.end(), _op_of(m.group("op"), m.group("post") or ""), value, "%")
        )
    return out


_DURATION = re.compile(
    r"(?P<op>khong\s+qua|khong\s+vuot\s+qua|toi\s+da|duoi|tren|toi\s+thieu|it\s+nhat)\s+(?P<num>\d{1,4})\s+"
    r"(?:ngay|gio|phut|tuan|thang)(?:\s+lam\s+viec)?\b"
)


def _duration_hits(folded: str) -> list[_Hit]:
    out = []
    for m in _DURATION.finditer(folded):
        out.append(
            _Hit(
                m.start("op"),
                m.start("num"),
                m.end(),
                _op_of(m.group("op"), ""),
                Decimal(int(m.group("num"))),
                "other",
            )
        )
    return out


def _count_hits(folded: str) -> list[_Hit]:
    out = []
    for m in _COUNT.finditer(folded):
        num = m.group("num")
        # a count target is written with a leading zero ("02 lớp") or after a target verb
        if not (num.startswith("0") and len(num) >= 2) and not m.group("pre"):
            continue
        before = folded[max(0, m.start() - 12) : m.start()]
        if re.search(r"\b(?:tai|o|cho|voi|trong)\s*$", before):
            continue  # "tại 03 đơn vị" names where, not how many
        value = Decimal(int(num))
        if value == 0:
            continue
        op = ">="
        if m.group("pre") and re.search(r"toi\s+da", m.group("pre")):
            op = "<="
        out.append(
            _Hit(
                m.start("num") if not m.group("pre") else m.start("num"),
                m.start("num"),
                m.end("num"),
                op,
                value,
                "count",
            )
        )
    return out


def _clean_phrase(text: str) -> str:
    t = re.sub(r"\s+", " ", text).strip()
    t = re.sub(r"^[-–+•*.,;:\s]+", "", t)
    t = re.sub(r"(?i)^(?:và|hoặc|với)(?:\s+|$)", "", t)
    t = re.sub(r"[\s,;:.\-–]+$", "", t)
    # trailing connectors left behind by a cut
    t = re.sub(
        r"(?i)\s+(?:đạt|đạt tỷ lệ|đạt mức|là|và|với|đảm bảo|phấn đấu|bảo đảm|được|của|tại|ở|đối với)$", "", t
    )
    t = re.sub(r"(?i)\s+(?:đạt|đạt tỷ lệ)$", "", t)
    return t.strip(" ,;:.")


def _split_outside_parens(text: str, seps: str = ";") -> list[tuple[int, int]]:
    """Spans of ``text`` split at ``seps`` and at sentence ends, outside parentheses."""
    spans, depth, start = [], 0, 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (
            c in seps
            or (
                c == "."
                and i + 1 < len(text)
                and text[i + 1] == " "
                and i + 2 < len(text)
                and (text[i + 2].isupper())
            )
        ):
            spans.append((start, i))
            start = i + 1
        i += 1
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _paren_spans(text: str) -> list[tuple[int, int]]:
    out, stack = [], []
    for i, c in enumerate(text):
        if c == "(":
            stack.append(i)
        elif c == ")" and stack:
            s = stack.pop()
            if not stack:
                out.append((s, i + 1))
    return out


def parse(
    text: str, *, line_of=None, base_line: int | None = None, count_targets: bool = True
) -> list[TargetItem]:
    """All targets stated in one block of text."""
    text = vntext.nfc(text)
    folded = fold_keep_offsets(text)
    items: list[TargetItem] = []
    # parenthesised sub-targets: thresholds inside (...) while the phrase outside has none
    parens = _paren_spans(text)
    for s, e in _split_outside_parens(text):
        items.extend(_parse_clause(text, folded, s, e, parens, line_of, base_line, count_targets))
    return items


def _in_parens(pos: int, parens: list[tuple[int, int]]) -> tuple[int, int] | None:
    for s, e in parens:
        if s < pos < e:
            return (s, e)
    return None


def _parse_clause(text, folded, s, e, parens, line_of, base_line, count_targets) -> list[TargetItem]:
    hits = [h for h in _hits(folded[:e]) if h.start >= s]
    taken = [(h.start, h.end) for h in hits]
    hits += [
        h for h in _duration_hits(folded[:e]) if h.start >= s and not any(a <= h.start < b for a, b in taken)
    ]
    if count_targets:
        taken = [(h.start, h.end) for h in hits]
        hits += [
            h for h in _count_hits(folded[:e]) if h.start >= s and not any(a <= h.start < b for a, b in taken)
        ]
    hits.sort(key=lambda h: h.start)
    if not hits:
        return []
    outside = [h for h in hits if not _in_parens(h.start, parens)]
    inside = [h for h in hits if _in_parens(h.start, parens)]
    if not outside and inside:
        # sub-targets: parse each parenthesis content as its own list of clauses
        out = []
        done = set()
        for h in inside:
            ps, pe = _in_parens(h.start, parens)
            if (ps, pe) in done:
                continue
            done.add((ps, pe))
            inner = text[ps + 1 : pe - 1]
            sub = parse(
                inner,
                line_of=(lambda off, _ps=ps: line_of(off + _ps + 1)) if line_of else None,
                base_line=base_line,
                count_targets=count_targets,
            )
            out.extend(sub)
        return out
    # thresholds inside a qualifying parenthesis ("(Đối với 100% các TTHC ...)") are not targets
    hits = outside
    first = hits[0]
    lead_f = folded[s : first.start].strip(" ,;:-–+•*.").strip()
    leading = (
        not lead_f
        or _LEADING_VERBS.match(lead_f) is not None
        or (
            not any(lead_f.startswith(x) or f" {x}" in f" {lead_f}" for x in _HEADS)
            and first.start - s < 45
            and _is_verbish(lead_f)
        )
    )
    tp = find_time_phrase(text[s:e])
    deadline = parse_deadline(tp[0])[0] if tp else None
    cut_at = s + tp[1] if tp else e  # the phrase ends where its time phrase starts
    members: list[dict] = []
    for i, h in enumerate(hits):
        nxt = hits[i + 1].start if i + 1 < len(hits) else e
        if leading:
            seg_s, seg_e = h.end, min(nxt, cut_at) if cut_at > h.end else nxt
            seg = _without_parens(text, seg_s, seg_e, parens)
            seg_f = fold_keep_offsets(seg)
            scope, seg = _take_scope(seg, seg_f)
            seg = re.sub(r"(?i)[\s,;]*(?:và|hoặc)?[\s,;]*$", "", seg)
            noun = _clean_phrase(seg)
            prefix = text[s : first.start].strip(" ,;:-–+•*.") if i == 0 else ""
            prefix = re.sub(r"(?i)\b(?:tỷ lệ|đạt|tối thiểu|trên|ít nhất|từ)\s*$", "", prefix).strip()
            if prefix and re.fullmatch(
                r"(?i)(duy trì|đảm bảo|phấn đấu|tiếp tục|hoàn thành|chỉ đạo hoàn thành|đạt)", prefix
            ):
                prefix = ""
            if prefix and i == 0:
                noun = f"{prefix} {noun}".strip()
            members.append({"hit": h, "noun": noun, "scope": scope})
        else:
            prev_end = members[-1]["end"] if members else s
            seg = _without_parens(text, prev_end, h.start, parens)
            seg_f = fold_keep_offsets(seg)
            # scope right before the operator: "... tại cấp tỉnh đạt trên 95%"
            scope = None
            m_last = None
            for m in _SCOPE.finditer(seg_f):
                m_last = m
            if m_last and re.fullmatch(r"\s*(?:dat\s*)?", seg_f[m_last.end() :]) and not m_last.group("more"):
                scope = _scope_text(seg, m_last)
                seg = seg[: m_last.start()]
            # ... or right after the number: "80% tại cấp sở"
            end = h.end
            after_f = folded[h.end : min(nxt, h.end + 40)]
            m_after = _SCOPE.match(after_f.lstrip(" ,")) if after_f.strip() else None
            if m_after and not m_after.group("more"):
                off = len(after_f) - len(after_f.lstrip(" ,"))
                scope = _scope_text(text[h.end + off :], m_after)
                end = h.end + off + m_after.end()
            noun = _clean_phrase(seg)
            if not noun and (i == 0 or not members):
                # the phrase follows the number after all ("đạt 100% các TTHC ...")
                noun = _clean_phrase(_without_parens(text, h.end, min(nxt, cut_at), parens))
            if i > 0 and not noun:
                noun = ""
            elif noun and not any(vntext.fold(noun).startswith(x) for x in _HEADS) and not members:
                # mixed: "Xây dựng phương án đơn giản hóa tối thiểu 10% số thủ tục hành chính, ..."
                tail = re.split(r"[,;(]", text[h.end : min(nxt, cut_at)])[0]
                if tail.strip() and not _SCOPE.match(fold_keep_offsets(tail).strip()):
                    noun = _clean_phrase(f"{noun} {tail}")
            members.append({"hit": h, "noun": noun, "scope": scope, "end": end})
    # levels: members without a phrase of their own take the one before; a shared predicate at the
    # end ("..., 35% ở cấp xã được số hóa") belongs to every level
    if leading and len(members) > 1:
        last = members[-1]
        if re.match(r"(?i)^(được|đã|sử dụng|có|thực hiện)\b", last["noun"]) or len(last["noun"].split()) < 2:
            tail = last["noun"]
            last["noun"] = members[-2]["noun"]
            for m in members:
                if tail and not m["noun"].endswith(tail):
                    m["noun"] = f"{m['noun']} {tail}".strip()
    out: list[TargetItem] = []
    for i, m in enumerate(members):
        noun = m["noun"]
        if not noun and i > 0:
            noun = out[-1].text if out else ""
        noun = re.sub(r"(?i)^(?:duy trì|đảm bảo|phấn đấu|tiếp tục)\s+(?=tỷ lệ\b)", "", noun)
        if len(noun) < 4:
            continue
        h = m["hit"]
        op = h.operator
        if i > 0 and not re.search(r"\S", folded[h.start : h.num_start]) and out:
            op = out[-1].operator  # "tối thiểu 80% ..., 40% ..." : the operator carries over
        line = line_of(h.start) if line_of else base_line
        out.append(
            TargetItem(
                text=noun,
                operator=op,
                value=h.value,
                unit=h.unit,
                scope=m["scope"],
                deadline=deadline,
                source_line=line,
                original=text[s:e].strip(),
            )
        )
    return out


_VERBISH = re.compile(
    r"^(?:xay dung|to chuc|trien khai|thuc hien|dam bao|cung cap|hoan thanh|chi dao|giam|tang|phan dau|duy tri|"
    r"nang|cap nhat|ket noi|boi duong|dao tao|so hoa|rasoat|ra soat)\b"
)


def _is_verbish(f: str) -> bool:
    return bool(_VERBISH.match(f)) and len(f.split()) <= 6


def _without_parens(text: str, a: int, b: int, parens: list[tuple[int, int]]) -> str:
    out = text[a:b]
    for ps, pe in parens:
        if a <= ps and pe <= b:
            out = out.replace(text[ps:pe], " ")
    return out


def _take_scope(seg: str, seg_f: str) -> tuple[str | None, str]:
    m = _SCOPE.search(seg_f)
    if not m:
        return None, seg
    if m.group("more"):
        return None, seg
    scope = _scope_text(seg, m)
    return scope, (seg[: m.start()] + " " + seg[m.end() :]).strip()


def _scope_text(text: str, m: re.Match) -> str:
    """ "cấp huyện", "tuyến tỉnh" as written (lower case)."""
    return f"{text[m.start('word') : m.end('word')].lower()} {text[m.start('lvl') : m.end('lvl')].lower()}"


@lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    ka, kb = vntext.match_key(a), vntext.match_key(b)
    if not ka or not kb:
        return 0.0
    return fuzz.token_set_ratio(ka, kb) * 0.5 + fuzz.ratio(ka, kb) * 0.5


@lru_cache(maxsize=65536)
def containment(a: str, b: str) -> float:
    """Share of the shorter phrase's content words found in the other (0..1)."""
    from chitieu.extraction.linking import _key

    sa, sb = set(_key(a).split()), set(_key(b).split())
    if len(sa) < 2 or len(sb) < 2:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def same_target(a: str, b: str) -> bool:
    return containment(a, b) >= 0.8 or similarity(a, b) >= 85
