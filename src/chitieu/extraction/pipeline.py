"""The extraction pipeline: raw document -> blocks -> metadata, parents, targets, tasks, results,
findings -> the JSON contract of ``extract-schema.json``. Pure Python, no Django."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from chitieu.core import vntext
from chitieu.extraction import blocks as blk
from chitieu.extraction import citations as cit
from chitieu.extraction import linking, lint, metadata, results, sections
from chitieu.extraction import targets as tg
from chitieu.extraction import tasks as tk
from chitieu.extraction.readers import RawDocument, read_bytes, read_path


@dataclass
class Extraction:
    meta: metadata.Metadata
    parents: list[cit.Citation]
    targets: list[tg.TargetItem]
    tasks: list[tk.TaskItem]
    results: list[results.ResultItem]
    findings: list[lint.Finding]
    budget_lines: list[dict] = field(default_factory=list)
    blocks: list[blk.Block] = field(default_factory=list, repr=False)
    doc: RawDocument | None = field(default=None, repr=False)


def extract_path(path: str | Path, catalog: list[linking.Entry] | None = None) -> Extraction:
    return extract_document(read_path(path), catalog)


def extract_bytes(data: bytes, name: str, catalog: list[linking.Entry] | None = None) -> Extraction:
    return extract_document(read_bytes(data, name), catalog)


_PREAMBLE = re.compile(r"^(?:Căn cứ|Thực hiện|Triển khai|Theo|Thi hành|Trên cơ sở)\b", re.I)


def _parents(bl: list[blk.Block], meta: metadata.Metadata) -> list[cit.Citation]:
    out: list[cit.Citation] = []
    seen: set[str] = set()
    for b in bl[: max(meta.header_end, 0) + 12]:
        if b.kind == "heading":
            break
        if b.kind == "row" or not _PREAMBLE.match(b.text.strip()):
            continue
        for c in cit.find(b.text):
            key = cit.normalise_symbol(c.number_symbol)
            if key in seen:
                continue
            seen.add(key)
            out.append(c)
    return out


def _about_targets(b: blk.Block) -> bool:
    """A report section that restates targets ("Kết quả thực hiện các chỉ tiêu ...")."""
    return any(a.kind == "heading" and "chi tieu" in vntext.fold(a.text) for a in b.ancestors())


def _body_targets(bl: list[blk.Block], report: bool) -> tuple[list[tg.TargetItem], dict]:
    out: list[tg.TargetItem] = []
    by_block: dict[int, list[tg.TargetItem]] = {}
    for b in bl:
        if b.kind not in ("item", "para", "heading"):
            continue
        sec = sections.section_of(b, report=report)
        text = b.text
        if report:
            if sec != sections.RESULT:
                continue
            if ":" in text:
                # "Tỷ lệ X đạt tối thiểu 80%: 01/01 đạt 100%" - the target is before the colon
                head = text.split(":", 1)[0]
                if results.FRACTION.search(head):
                    continue
                text = head
            elif results.FRACTION.search(text) or not _about_targets(b):
                continue
        elif sec != sections.OBJ:
            continue
        if b.kind == "heading" and not re.search(r"\d\s*%", text):
            continue
        items = tg.parse(text, line_of=b.line_at, count_targets=not report)
        by_block[id(b)] = items
        out.extend(items)
    return out, by_block


def _table_targets(bl: list[blk.Block]) -> list[tg.TargetItem]:
    out: list[tg.TargetItem] = []
    for header, rows in tk.tables(bl):
        roles = tk.column_roles(header)
        if "target" not in roles:
            continue
        group_lead = group_mon = ""
        for r in rows:
            stt = tk._cell(r, roles, "stt")
            text = tk._cell(r, roles, "target")
            lead = tk._cell(r, roles, "lead")
            mon = tk._cell(r, roles, "monitoring")
            if re.fullmatch(r"[IVX]+", stt):
                group_lead, group_mon = lead, mon
            if not text:
                continue
            for t in tg.parse(text, base_line=r.source):
                t.origin = "table"
                t.source_line = r.source
                t.lead_unit = (lead or group_lead or "").strip(" .") or None
                t.monitoring_unit = (mon or group_mon or "").strip(" .") or None
                out.append(t)
    return out


def _merge(body: list[tg.TargetItem], table: list[tg.TargetItem]) -> tuple[list[tg.TargetItem], list[tuple]]:
    """Table targets that restate a body target give it their lead and monitoring units; a table
    target that states the same indicator with another threshold is a conflict."""
    merged = list(body)
    conflicts: list[tuple[tg.TargetItem, tg.TargetItem]] = []
    for t in table:
        best, best_s = None, 0.0
        for b in merged:
            if b.unit != t.unit or (b.scope != t.scope and b.scope is not None and t.scope is not None):
                continue
            s = tg.similarity(b.text, t.text)
            same = (b.operator, b.value) == (t.operator, t.value)
            if ((same and tg.same_target(b.text, t.text)) or (not same and s >= 90)) and s > best_s:
                best, best_s = b, s
        if best is None:
            merged.append(t)
            continue
        if (best.operator, best.value) != (t.operator, t.value):
            conflicts.append((best, t))
        if t.lead_unit and not best.lead_unit:
            best.lead_unit = t.lead_unit
        if t.monitoring_unit and not best.monitoring_unit:
            best.monitoring_unit = t.monitoring_unit
    return merged, conflicts


def _budget_lines(bl: list[blk.Block]) -> list[dict]:
    out = []
    for header, rows in tk.tables(bl):
        roles = tk.column_roles(header)
        budget_cols = [(k, v) for k, v in roles.items() if k.startswith("budget")]
        if not budget_cols or "task" not in roles:
            continue
        for r in rows:
            name = tk._cell(r, roles, "task")
            if not name:
                continue
            amounts = {}
            for _, i in budget_cols:
                cell = r.cells[i].strip() if i < len(r.cells) else ""
                if cell:
                    amounts[header[i].strip()] = cell
            out.append(
                {
                    "project": name,
                    "lead_unit": tk._cell(r, roles, "lead") or None,
                    "period": tk._cell(r, roles, "deadline") or None,
                    "funding": amounts,
                    "source_line": r.source,
                }
            )
    return out


def extract_document(doc: RawDocument, catalog: list[linking.Entry] | None = None) -> Extraction:
    bl = blk.build(doc)
    meta = metadata.extract(bl)
    report = meta.kind == "report"
    parents = _parents(bl, meta)

    body, by_block = _body_targets(bl, report)
    table = [] if report else _table_targets(bl)
    targets, conflicts = _merge(body, table)
    # duplicates within the body (the same target stated twice) are kept once
    uniq: list[tg.TargetItem] = []
    for t in targets:
        if any(
            u.key() == t.key()
            and (
                tg.similarity(u.text, t.text) >= 90
                or (u.origin == t.origin == "table" and tg.same_target(u.text, t.text))
            )
            for u in uniq
        ):
            continue
        uniq.append(t)
    targets = uniq
    for t in targets:
        t.candidates = linking.candidates(t.text, catalog)
        t.indicator_code = linking.best(t.text, catalog)

    task_items = tk.extract(bl, report=report) + ([] if report else tk.table_tasks(bl))

    res: list[results.ResultItem] = []
    stated: dict[int, tg.TargetItem] = {}
    for b in bl:
        if b.kind == "row":
            continue
        found = results.find(b.text, line_of=b.line_at)
        for r in found:
            clause_targets = tg.parse(r.target_clause, count_targets=False) if r.target_clause else []
            if clause_targets:
                stated[id(r)] = clause_targets[0]
        res.extend(found)

    period = lint.report_period(meta.title, bl) if report else None
    findings: list[lint.Finding] = []
    findings += lint.check_results(res)
    findings += lint.check_claims(res, stated)
    findings += lint.check_citations(bl, doc_date=meta.date, period=period)
    findings += lint.check_windows(bl, period)
    findings += lint.check_numbering(bl)
    findings += lint.check_self_symbol(meta.number_symbol, metadata.self_references(bl))
    findings += lint.check_target_conflicts(conflicts)
    findings.sort(key=lambda f: (f.source_line or 0, f.code))
    return Extraction(meta, parents, targets, task_items, res, findings, _budget_lines(bl), bl, doc)


# --- the contract -------------------------------------------------------------------------------------
def _num(d: Decimal | None) -> int | float | None:
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def to_contract(x: Extraction) -> dict:
    m = x.meta
    return {
        "kind": m.kind,
        "issuer": m.issuer,
        "number_symbol": m.number_symbol,
        "date": m.date,
        "place": m.place,
        "title": m.title,
        "parents": [
            {"number_symbol": c.number_symbol, "date": c.date, "issuer": c.issuer} for c in x.parents
        ],
        "targets": [
            {
                "text": t.text,
                "operator": t.operator,
                "value": _num(t.value),
                "unit": t.unit,
                "scope": t.scope,
                "lead_unit": t.lead_unit,
                "monitoring_unit": t.monitoring_unit,
                "deadline": t.deadline,
                "indicator_code": t.indicator_code,
                "source_line": t.source_line,
            }
            for t in x.targets
        ],
        "tasks": [
            {
                "text": t.text,
                "lead_unit": t.lead_unit,
                "coordinating_units": t.coordinating_units,
                "deadline_phrase": t.deadline_phrase,
                "deadline": t.deadline,
                "recurring": t.recurring,
                "source_line": t.source_line,
            }
            for t in x.tasks
        ],
        "results": [
            {
                "indicator": r.indicator,
                "numerator": _num(r.numerator),
                "denominator": _num(r.denominator),
                "stated_percent": _num(r.stated_percent),
                "consistent": r.consistent,
                "source_line": r.source_line,
            }
            for r in x.results
        ],
        "findings": [
            {"code": f.code, "message": f.message, "source_line": f.source_line} for f in x.findings
        ],
        "budget_lines": x.budget_lines,
    }


def text_key(s: str) -> str:
    return vntext.match_key(s)
