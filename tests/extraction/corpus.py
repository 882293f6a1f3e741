"""The annotated extraction corpus: the five seeds (read from ../shared/seeds) and our own documents
(tests/extraction/corpus), rendered to the format and encoding their annotation names (DOCX, PDF,
Markdown, UTF-16, Windows-1258, TCVN3, VNI), and the scoring used by tests and bench/extraction.py.

Gold annotations give each item's line either as ``source_line`` (seeds) or as an anchor ``at``: a
short text that starts or sits in that line, resolved against the document as read, so the same
annotation serves every format.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from chitieu.core import vntext

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
ANNOTATIONS = HERE / "annotations"
REPO = HERE.parents[1]


def _seeds() -> Path:
    from tests.conftest import SEEDS as found

    return found


SEEDS = _seeds()


@dataclass
class Case:
    name: str
    source: Path
    gold: dict
    fmt: str
    encoding: str


def cases(*, seeds: bool = True, own: bool = True) -> list[Case]:
    out = []
    if seeds:
        for ann in sorted(ANNOTATIONS.glob("seed_*.json")):
            gold = json.loads(ann.read_text(encoding="utf-8"))
            src = SEEDS / Path(gold["_source"]).name
            if src.exists():
                out.append(Case(ann.stem, src, gold, "txt", "utf-8"))
    if own:
        for ann in sorted(CORPUS.glob("[ch]*.json")):
            gold = json.loads(ann.read_text(encoding="utf-8"))
            src = next(p for p in CORPUS.glob(ann.stem + ".*") if p.suffix != ".json")
            out.append(Case(ann.stem, src, gold, gold.get("_format", "txt"), gold.get("_encoding", "utf-8")))
    return out


# --- legacy encoders (the inverse of chitieu.core.vntext) ----------------------------------------------
@lru_cache(maxsize=1)
def _vni_table() -> dict[str, str]:
    from chitieu.core import vntext as v

    table: dict[str, str] = {}
    bases = list("aeiouyAEIOUY") + ["ô", "ö", "Ô", "Ö"]
    marks = [""] + list(v._VNI_MARKS)
    for b in bases:
        for m in marks:
            seq = b + m
            uni = v.vni_to_unicode(seq)
            if len(uni) == 1 and (uni not in table or len(seq) < len(table[uni])):
                table[uni] = seq
    for src, uni in v._VNI_SINGLE.items():
        table.setdefault(uni, src)
    return table


def encode_vni(text: str) -> bytes:
    table = _vni_table()
    out = []
    for ch in unicodedata.normalize("NFC", text):
        out.append(table.get(ch, ch))
    return "".join(out).encode("cp1252")


_TONE = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def encode_cp1258(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE))
        tones = "".join(c for c in parts if c in _TONE)
        out += (base + tones).encode("cp1258")
    return bytes(out)


# --- rendering -------------------------------------------------------------------------------------------
def _font() -> Path | None:
    for p in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    ):
        if Path(p).exists():
            return Path(p)
    return None


def render(case: Case, out_dir: Path) -> Path:
    """Write the case's document in its format and encoding; return the path."""
    text = case.source.read_text(encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = case.name
    if case.fmt == "docx":
        return _docx(text, out_dir / f"{stem}.docx")
    if case.fmt == "pdf":
        return _pdf(text, out_dir / f"{stem}.pdf")
    suffix = ".md" if case.fmt == "md" else ".txt"
    path = out_dir / f"{stem}{suffix}"
    match case.encoding:
        case "tcvn3-file":
            data = text.encode("latin-1")
        case "vni":
            data = encode_vni(text)
        case "cp1258":
            data = encode_cp1258(text)
        case "utf-16":
            data = text.encode("utf-16")
        case "utf-8-sig":
            data = text.encode("utf-8-sig")
        case _:
            data = text.encode("utf-8")
    path.write_bytes(data)
    return path


def _docx(text: str, path: Path) -> Path:
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    rows: list[list[str]] = []

    def flush() -> None:
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = doc.add_table(rows=len(rows), cols=width)
        for i, r in enumerate(rows):
            for j in range(width):
                table.cell(i, j).text = r[j] if j < len(r) else ""
        rows.clear()

    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if not line.strip():
            continue
        flush()
        stripped = line.strip()
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            doc.add_heading(stripped.lstrip("# "), level=min(level, 4))
        else:
            p = doc.add_paragraph()
            run = p.add_run(stripped)
            run.bold = stripped.isupper()
    flush()
    doc.save(path)
    return path


def _pdf(text: str, path: Path) -> Path:
    from fpdf import FPDF

    font = _font()
    if font is None:
        raise RuntimeError("no Unicode TTF font found for PDF rendering")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("U", "", str(font))
    pdf.set_font("U", size=10)
    for line in text.splitlines():
        if not line.strip():
            continue
        pdf.multi_cell(0, 5, line.strip(), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


# --- anchors --------------------------------------------------------------------------------------------
def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", vntext.nfc(s)).strip().lower()


def resolve_lines(doc, gold: dict) -> dict:
    """A copy of ``gold`` with every ``at`` anchor turned into ``source_line`` for this document."""
    lines = [
        (
            ln.source,
            _norm("\t".join(ln.cells) if ln.cells is not None else ln.text),
            _norm(" ".join(ln.cells) if ln.cells is not None else ln.text),
        )
        for ln in doc.lines
    ]

    def find(anchor: str) -> int | None:
        a = _norm(anchor)
        a_sp = _norm(anchor.replace("\t", " "))
        for src, tab, sp in lines:
            if tab.startswith(a) or sp.startswith(a_sp):
                return src
        for src, tab, sp in lines:
            if a in tab or a_sp in sp:
                return src
        return None

    out = json.loads(json.dumps(gold))
    for key in ("targets", "tasks", "results", "findings"):
        for item in out.get(key, []):
            if "at" in item:
                item["source_line"] = find(item.pop("at"))
    return out


# --- scoring --------------------------------------------------------------------------------------------
def _f(s: str | None) -> str:
    return vntext.fold(s or "").strip(" .;:")


def _same_unit(a: str | None, b: str | None) -> bool:
    if not a and not b:
        return True
    if not a or not b:
        return False
    fa, fb = _f(a), _f(b)
    if fa == fb:
        return True
    from chitieu.extraction.targets import containment

    return containment(a, b) >= 0.8


def _text_match(a: str, b: str, threshold: float) -> float:
    from chitieu.extraction.targets import containment, similarity

    return max(similarity(a, b), containment(a, b) * 100 if containment(a, b) >= threshold / 100 else 0)


def _match(pred: list[dict], gold: list[dict], ok) -> list[tuple[dict, dict]]:
    """Greedy one-to-one matching by score; ``ok(p, g)`` returns a score > 0 when they may match."""
    scored = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            s = ok(p, g)
            if s > 0:
                scored.append((s, i, j))
    scored.sort(reverse=True)
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in scored:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((pred[i], gold[j]))
    return pairs


def _num_eq(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-9


def target_score(p: dict, g: dict) -> float:
    if p["operator"] != g["operator"] or not _num_eq(p["value"], g["value"]) or p["unit"] != g["unit"]:
        return 0
    if _f(p.get("scope")) != _f(g.get("scope")):
        return 0
    s = _text_match(p["text"], g["text"], 60)
    return s if s >= 60 else 0


def task_score(p: dict, g: dict) -> float:
    s = _text_match(p["text"], g["text"], 80)
    return s if s >= 75 else 0


def result_score(p: dict, g: dict) -> float:
    if not (
        _num_eq(p["numerator"], g["numerator"])
        and _num_eq(p["denominator"], g["denominator"])
        and _num_eq(p["stated_percent"], g["stated_percent"])
        and p["consistent"] == g["consistent"]
    ):
        return 0
    return 50 + (50 if p.get("source_line") == g.get("source_line") else 0)


def parent_score(p: dict, g: dict) -> float:
    if _f(p["number_symbol"]).replace(" ", "") != _f(g["number_symbol"]).replace(" ", ""):
        return 0
    return 100 if p.get("date") == g.get("date") else 0


def finding_score(p: dict, g: dict) -> float:
    if p["code"] != g["code"] or p.get("source_line") is None or g.get("source_line") is None:
        return 0
    return (
        100 - abs(p["source_line"] - g["source_line"]) if abs(p["source_line"] - g["source_line"]) <= 1 else 0
    )


META_FIELDS = ("kind", "issuer", "number_symbol", "date", "place", "title")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, n_pred: int, n_gold: int) -> None:
        self.tp += tp
        self.fp += n_pred - tp
        self.fn += n_gold - tp

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(
    pred: dict,
    gold: dict,
    tallies: dict[str, Tally],
    fields: dict[str, list[bool]] | None = None,
    errors: list[str] | None = None,
    name: str = "",
) -> None:
    fields = fields if fields is not None else {}
    errors = errors if errors is not None else []
    # metadata
    t = tallies.setdefault("metadata", Tally())
    for k in META_FIELDS:
        g, p = gold.get(k), pred.get(k)
        same = (_f(g) == _f(p)) if isinstance(g, str) and isinstance(p, str) else g == p
        if g is None and p is None:
            continue
        t.add(1 if same and g is not None else 0, 1 if p is not None else 0, 1 if g is not None else 0)
        if not same:
            errors.append(f"{name} meta {k}: got {p!r}, want {g!r}")
    for key, fn in (
        ("parents", parent_score),
        ("targets", target_score),
        ("tasks", task_score),
        ("results", result_score),
        ("findings", finding_score),
    ):
        pairs = _match(pred.get(key, []), gold.get(key, []), fn)
        tallies.setdefault(key, Tally()).add(len(pairs), len(pred.get(key, [])), len(gold.get(key, [])))
        matched_p = {id(p) for p, _ in pairs}
        matched_g = {id(g) for _, g in pairs}
        for p in pred.get(key, []):
            if id(p) not in matched_p:
                errors.append(f"{name} {key} extra: {_brief(key, p)}")
        for g in gold.get(key, []):
            if id(g) not in matched_g:
                errors.append(f"{name} {key} missed: {_brief(key, g)}")
        for p, g in pairs:
            if key == "parents":
                fields.setdefault("parents.issuer", []).append(_same_unit(p.get("issuer"), g.get("issuer")))
            if key == "targets":
                for f in ("lead_unit", "monitoring_unit"):
                    ok = _same_unit(p.get(f), g.get(f))
                    fields.setdefault(f"targets.{f}", []).append(ok)
                    if not ok:
                        errors.append(
                            f"{name} target {f}: got {p.get(f)!r}, want {g.get(f)!r} ({g['text'][:40]})"
                        )
                fields.setdefault("targets.deadline", []).append(p.get("deadline") == g.get("deadline"))
                if g.get("source_line") is not None:
                    fields.setdefault("targets.source_line", []).append(
                        p.get("source_line") == g.get("source_line")
                    )
            if key == "tasks":
                ok = _same_unit(p.get("lead_unit"), g.get("lead_unit"))
                fields.setdefault("tasks.lead_unit", []).append(ok)
                if not ok:
                    errors.append(
                        f"{name} task lead: got {p.get('lead_unit')!r}, want {g.get('lead_unit')!r} ({g['text'][:40]})"
                    )
                ok = p.get("deadline") == g.get("deadline") and p.get("recurring") == g.get("recurring")
                fields.setdefault("tasks.deadline", []).append(ok)
                if not ok:
                    errors.append(
                        f"{name} task deadline: got {p.get('deadline')}/{p.get('recurring')}, "
                        f"want {g.get('deadline')}/{g.get('recurring')} ({g['text'][:40]})"
                    )
                fields.setdefault("tasks.coordinating", []).append(
                    sorted(_f(x) for x in p.get("coordinating_units", []))
                    == sorted(_f(x) for x in g.get("coordinating_units", []))
                )
                if g.get("source_line") is not None:
                    fields.setdefault("tasks.source_line", []).append(
                        p.get("source_line") == g.get("source_line")
                    )


def _brief(key: str, item: dict) -> str:
    if key == "targets":
        return f"{item['operator']} {item['value']} {item['unit']} {item.get('scope')} | {item['text'][:60]} (line {item.get('source_line')})"
    if key == "tasks":
        return f"{item['text'][:70]} (line {item.get('source_line')})"
    if key == "results":
        return f"{item['numerator']}/{item['denominator']} {item['stated_percent']} {item['consistent']} (line {item.get('source_line')})"
    if key == "findings":
        return f"{item['code']} (line {item.get('source_line')})"
    return json.dumps(item, ensure_ascii=False)[:120]
