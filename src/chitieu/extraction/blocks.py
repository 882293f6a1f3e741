"""The document as a tree of blocks: headings (I., 1., 1.1., a)), items (bullets -, +, •, numbered
leaves), paragraphs, table rows and footnotes, each remembering its source line.

Lines wrapped by a PDF-to-text conversion are joined back into paragraphs (a line that does not end
a sentence, followed by one that continues it), and a paragraph cut by a page-bottom footnote is
joined across the footnote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chitieu.core import vntext
from chitieu.extraction.readers import RawDocument, RawLine

# rank of a label kind: smaller is higher in the outline
RANK = {"roman": 1, "number": 2, "number2": 3, "number3": 4, "letter": 5, "bullet": 6, "plus": 7, "none": 8}

_ROMAN = r"(?:XX|X{0,1}(?:IX|IV|V?I{0,3}))"
_LABELS = [
    ("roman", re.compile(rf"^(?:(?i:phần|mục|chương)\s+)?(?P<label>{_ROMAN})\s*[.)/:]\s+(?=\S)")),
    ("number3", re.compile(r"^(?P<label>\d{1,2}\.\d{1,2}\.\d{1,2})\.?\s+(?=\S)")),
    ("number2", re.compile(r"^(?P<label>\d{1,2}\.\d{1,2})\.?\s+(?=\S)")),
    ("number", re.compile(r"^(?P<label>\d{1,2})\s*[.)]\s+(?=\D)")),
    ("letter", re.compile(r"^(?P<label>[a-zđ])\s*\)\s*(?=\S)")),
    ("plus", re.compile(r"^(?P<label>-\s*\+|\+)\s*(?=\S)")),
    ("bullet", re.compile(r"^(?P<label>[-–—•*·●▪◦]|\(\d{1,2}\))\s*(?=\S)")),
]
_TERMINAL = re.compile(r"[.;:!?…]\s*$|[.;:!?][)\"”’]\s*$")
_CONNECTORS = {
    "cua",
    "va",
    "cac",
    "nhung",
    "ngay",
    "tai",
    "tren",
    "voi",
    "cho",
    "ve",
    "theo",
    "den",
    "tu",
    "trong",
    "duoc",
    "la",
    "co",
    "tinh",
    "huyen",
    "xa",
    "phuong",
    "pho",
    "bo",
    "ban",
    "ubnd",
    "hoac",
    "nhu",
}
_ASSIGN_LINE = re.compile(
    r"(?i)^(?:đơn vị|cơ quan|bộ phận|phòng)?\s*(?:chủ trì|phối hợp|thực hiện|tham mưu)[^:]{0,40}:|"
    r"^(?:thời gian|thời hạn|tiến độ|kết quả|sản phẩm)[^:]{0,30}:"
)
_FOOTNOTE = re.compile(r"^\s{2,}(\d{1,2})\s+\S")


@dataclass
class Block:
    kind: str  # heading | item | para | row | footnote | title
    text: str  # without the label
    source: int
    label: str = ""
    label_kind: str = "none"
    cells: list[str] | None = None
    table: int | None = None
    heading: int | None = None  # markdown / docx heading level
    bold: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, source line)
    parent: Block | None = field(default=None, repr=False)
    children: list[Block] = field(default_factory=list, repr=False)

    @property
    def rank(self) -> int:
        return RANK[self.label_kind]

    def line_at(self, offset: int) -> int:
        """The source line of a character offset in ``text``."""
        line = self.source
        for start, src in self.spans:
            if start <= offset:
                line = src
            else:
                break
        return line

    def ancestors(self) -> list[Block]:
        out, b = [], self.parent
        while b is not None:
            out.append(b)
            b = b.parent
        return out

    @property
    def full_text(self) -> str:
        return (
            f"{self.label} {self.text}".strip()
            if self.label and self.label_kind not in ("bullet", "plus")
            else self.text
        )


def split_label(text: str) -> tuple[str, str, str]:
    """(label kind, label, rest) of a line: "1.1. Mục tiêu" -> ("number2", "1.1", "Mục tiêu")."""
    for kind, rx in _LABELS:
        m = rx.match(text)
        if m:
            label = m.group("label")
            if kind == "roman" and not label:
                continue
            if kind == "plus":
                label = "+"
            return kind, label, text[m.end() :].strip()
    return "none", "", text


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _starts_lower(text: str) -> bool:
    t = text.lstrip(' "“(')
    return bool(t) and (t[0].islower() or t[0].isdigit())


@dataclass
class _Para:
    text: str
    source: int
    spans: list[tuple[int, int]]
    raw: RawLine
    footnote: bool = False
    last_len: int = 0  # length of the last raw line joined in


def _wrap_width(lines: list[RawLine]) -> int:
    """The right margin of text that was wrapped (from a PDF): the typical length of long lines.
    Text written one paragraph per line has no margin (a very large width)."""
    lengths = sorted(len(x.text) for x in lines if x.cells is None and x.text.strip())
    if len(lengths) < 20:
        return 10**6
    p90 = lengths[int(len(lengths) * 0.9)]
    near = sum(1 for n in lengths if n >= 0.8 * p90) / len(lengths)
    # wrapped text: many lines close to one length; one-paragraph-per-line text: a long tail
    return p90 if p90 <= 120 and near >= 0.35 else 10**6


def _join_lines(lines: list[RawLine]) -> list[_Para | RawLine]:
    """Join wrapped lines into paragraphs; table rows pass through untouched."""
    out: list[_Para | RawLine] = []
    last_body: _Para | None = None  # last paragraph that is not a footnote
    margin = 0.8 * _wrap_width(lines)

    def can_continue(prev: _Para, text: str) -> bool:
        if prev.footnote:
            return False
        ptxt = prev.text.rstrip()
        if not ptxt:
            return False
        if ptxt.count("(") > ptxt.count(")") and split_label(text)[0] in ("none",):
            return True  # inside an open parenthesis
        if _is_caps(ptxt) and not _is_caps(text):
            return False  # an upper-case heading is followed by ordinary text, not continued by it
        if ptxt.endswith((":", ";", ",")) and _starts_lower(text) and split_label(text)[0] == "none":
            return True  # "trả đúng hạn:" / "02 hồ sơ"; a sentence wrapped after a semicolon
        if _TERMINAL.search(ptxt):
            return False
        kind, _, _ = split_label(text)
        new_item = kind != "none" and not (kind == "number" and _starts_lower(text[len(text.split()[0]) :]))
        if new_item and not (kind == "roman" and _is_caps(ptxt) and _is_caps(text)):
            return False  # a new numbered or bulleted line starts something new
        if _starts_lower(text):
            return True
        if _is_caps(ptxt) and _is_caps(text) and prev.raw.heading is None:
            return True  # an upper-case heading wrapped over two lines
        if prev.raw.heading or _is_caps(ptxt):
            return False
        # a line wrapped at the right margin (text taken from a PDF) continues even with a capital
        if prev.last_len >= margin:
            return True
        # ... or when the line breaks right after a word that needs what follows ("tỉnh | Bắc Giang")
        last_word = vntext.fold(ptxt.split()[-1]) if ptxt.split() else ""
        return prev.last_len >= min(0.6 * margin, 60) and last_word in _CONNECTORS

    for line in lines:
        if line.cells is not None:
            out.append(line)
            last_body = None
            continue
        text = line.text
        if not text.strip():
            continue
        if _FOOTNOTE.match(text) and line.heading is None:
            p = _Para(text.strip(), line.source, [(0, line.source)], line, footnote=True, last_len=len(text))
            out.append(p)
            continue
        text = text.strip()
        prev = out[-1] if out else None
        if isinstance(prev, _Para) and prev.footnote:
            # a footnote's own continuation lines, or the page's text resuming after it
            if _starts_lower(text) and not _TERMINAL.search(prev.text):
                prev.spans.append((len(prev.text) + 1, line.source))
                prev.text = f"{prev.text} {text}"
                prev.last_len = len(line.text)
                continue
            if _starts_lower(text) and last_body is not None and not _TERMINAL.search(last_body.text):
                last_body.spans.append((len(last_body.text) + 1, line.source))
                last_body.text = f"{last_body.text} {text}"
                continue
        if (
            isinstance(prev, _Para)
            and not prev.footnote
            and line.heading is None
            and can_continue(prev, text)
        ):
            prev.spans.append((len(prev.text) + 1, line.source))
            prev.text = f"{prev.text} {text}"
            prev.last_len = len(line.text)
            continue
        p = _Para(text, line.source, [(0, line.source)], line, last_len=len(line.text))
        out.append(p)
        last_body = p
    return out


def _merge_row_continuations(rows: list[RawLine]) -> list[RawLine]:
    """A table row whose first filled cell starts in lower case continues the row above (a cell
    broken across a page)."""
    out: list[RawLine] = []
    for row in rows:
        filled = [c for c in row.cells if c]
        first = filled[0].lstrip(' "“(') if filled else ""
        if out and first and first[0].islower() and not (row.cells[0] or "").strip():
            prev = out[-1]
            width = max(len(prev.cells), len(row.cells))
            cells = prev.cells + [""] * (width - len(prev.cells))
            for i, c in enumerate(row.cells):
                if c:
                    cells[i] = f"{cells[i]} {c}".strip()
            out[-1] = RawLine(text=" ".join(c for c in cells if c), source=prev.source, cells=cells)
            continue
        out.append(row)
    return out


def build(doc: RawDocument) -> list[Block]:
    """Flat list of blocks in document order, with ``parent`` links forming the outline tree."""
    # group consecutive table rows into tables (blank lines inside a table do not end it)
    items = _join_lines(doc.lines)
    blocks: list[Block] = []
    table_no = 0
    pending_rows: list[RawLine] = []

    def flush_rows() -> None:
        nonlocal table_no
        if not pending_rows:
            return
        table_no += 1
        for row in _merge_row_continuations(pending_rows):
            blocks.append(
                Block(
                    kind="row",
                    text=row.text,
                    source=row.source,
                    cells=row.cells,
                    table=table_no,
                    spans=[(0, row.source)],
                )
            )
        pending_rows.clear()

    for it in items:
        if isinstance(it, RawLine):
            pending_rows.append(it)
            continue
        flush_rows()
        if it.footnote:
            m = re.match(r"(\d{1,2})\s+", it.text)
            text = it.text[m.end() :].strip() if m else it.text
            shift = len(it.text) - len(text)
            blocks.append(
                Block(
                    kind="footnote",
                    text=text,
                    source=it.source,
                    label=m.group(1) if m else "",
                    spans=[(max(0, s - shift), src) for s, src in it.spans],
                )
            )
            continue
        kind, label, rest = split_label(it.text)
        shift = len(it.text) - len(rest)
        spans = [(max(0, s - shift), src) for s, src in it.spans]
        folded = vntext.fold(rest)
        if (it.raw.heading is not None and kind in ("none",)) or (
            kind == "none"
            and (re.match(r"^phu luc\b", folded) and len(rest) < 40 or folded.startswith("noi nhan"))
        ):
            btype = "title"
        else:
            btype = "item" if kind != "none" else "para"
        blocks.append(
            Block(
                kind=btype,
                text=rest,
                source=it.source,
                label=label,
                label_kind=kind,
                heading=it.raw.heading,
                bold=it.raw.bold,
                spans=spans,
            )
        )
    flush_rows()
    _outline(blocks)
    return blocks


def _outline(blocks: list[Block]) -> None:
    """Decide which labelled lines are headings (they have children) and link parents."""
    body = [b for b in blocks if b.kind in ("item", "para", "title")]
    for i, b in enumerate(body):
        if b.kind != "item" or b.label_kind in ("bullet", "plus"):
            continue
        nxt = body[i + 1] if i + 1 < len(body) else None
        if b.label_kind == "roman" or b.heading is not None:
            b.kind = "heading"
        elif nxt is not None and (nxt.rank > b.rank or nxt.kind in ("para",)):
            # ... unless what follows only assigns it ("+ Đơn vị chủ trì: ...", "+ Thời gian: ...")
            j = i + 1
            while (
                j < len(body)
                and (body[j].rank > b.rank or body[j].kind == "para")
                and _ASSIGN_LINE.match(body[j].text)
            ):
                j += 1
            following = body[i + 1 : j]
            if not following or j < len(body) and (body[j].rank > b.rank or body[j].kind == "para"):
                b.kind = "heading"
    stack: list[Block] = []
    for b in blocks:
        if b.kind == "title":
            stack = []
            continue
        if b.kind == "heading":
            while stack and stack[-1].rank >= b.rank:
                stack.pop()
            b.parent = stack[-1] if stack else None
            if b.parent:
                b.parent.children.append(b)
            stack.append(b)
            continue
        if b.kind == "item":
            # items hang under the nearest heading or bullet of higher rank
            while stack and stack[-1].rank >= b.rank:
                stack.pop()
            b.parent = stack[-1] if stack else None
            if b.parent:
                b.parent.children.append(b)
            if b.label_kind in ("bullet",):
                stack.append(b)
            continue
        # paragraphs, rows and footnotes belong to the enclosing heading
        while stack and stack[-1].kind == "item":
            stack.pop()
        b.parent = stack[-1] if stack else None
        if b.parent:
            b.parent.children.append(b)


def section_path(block: Block) -> list[str]:
    """Folded texts of the headings above a block, outermost first."""
    return [vntext.fold(a.text) for a in reversed(block.ancestors()) if a.kind == "heading"]
