"""Turning an uploaded document into a draft plan (one transaction, with the change log).

The document is read by the pure extraction pipeline; everything it found becomes editable rows of a
draft plan that remember their source line, so the review page can show each item beside the text it
came from. The same file uploaded twice (same SHA-256) is refused with a link to the first upload.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import asdict
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from chitieu.audit.services import record
from chitieu.core import hooks, vntext
from chitieu.core.errors import Conflict
from chitieu.core.numbers import NumberError, parse_number
from chitieu.extraction import linking, schedule
from chitieu.extraction.errors import ReadError
from chitieu.extraction.pipeline import Extraction, extract_bytes, to_contract
from chitieu.indicators.models import Indicator
from chitieu.orgs import naming, permissions
from chitieu.orgs.models import Unit
from chitieu.plans import routing
from chitieu.plans.models import BudgetLine, DocKind, Plan, PlanCitation, PlanStatus, Target, Task
from chitieu.plans.services import PlanError, citations_link_to, find_cited_plan

MAX_UPLOAD = 20 * 1024 * 1024
ALLOWED_SUFFIXES = (".docx", ".doc", ".pdf", ".txt", ".md")


class DuplicateDocument(PlanError, Conflict):
    def __init__(self, plan: Plan):
        self.plan = plan
        super().__init__(
            f'Tệp này đã được tải lên trước đó (kế hoạch "{plan.number_symbol or plan.title[:60]}", '
            f"lúc {plan.created_at:%d/%m/%Y %H:%M})."
        )


def catalog_entries() -> list[linking.Entry]:
    return linking.make_entries(
        (i.code, [i.name, *i.aliases])
        for i in Indicator.objects.filter(active=True).only("code", "name", "aliases")
    )


_PILOT_HEADING = re.compile(r"(?i)\bđơn vị\b.*\bthí điểm\b|\bthí điểm\b.*\bđơn vị\b")


def _pilot_units(x: Extraction, resolver) -> list[int]:
    """The units a pilot plan names under a heading such as "Các đơn vị triển khai thực hiện thí
    điểm": they are "các đơn vị thí điểm" wherever the plan says so."""
    for b in x.blocks:
        if (
            b.kind not in ("heading", "item", "para")
            or not _PILOT_HEADING.search(b.text)
            or len(b.text) > 120
        ):
            continue
        ids: list[int] = []
        for child in b.children:
            res = resolver.resolve(child.text.strip(" .;"))
            if res.status != "unit":
                break
            ids.extend(res.units)
        if len(ids) >= 2:
            return sorted(set(ids))
    return []


def _section_of(item) -> str:
    """The heading a task sits under as the plan writes it ("3.3. Phát triển chính quyền số"), so that a
    report can group tasks as the plan does."""
    block = getattr(item, "block", None)
    if block is None:
        return ""
    numbered = ("roman", "number", "number2", "number3", "letter")
    for a in block.ancestors():
        if (a.kind == "heading" or (a.kind == "item" and a.label_kind in numbered)) and len(a.text) <= 200:
            if not a.label or a.label_kind not in numbered:
                return a.text
            return f"{a.label}{')' if a.label_kind == 'letter' else '.'} {a.text}"
    return ""


def _target_of_task(targets: list[Target], item) -> Target | None:
    """A task table row serves the target written in its own row, or the last target row above it
    in the same table (rows that continue a target's tasks leave that cell empty)."""
    if item.origin != "table" or item.source_line is None:
        return None
    above = [t for t in targets if t.source_line is not None and t.source_line <= item.source_line]
    if not above:
        return None
    best = max(above, key=lambda t: t.source_line)
    return best if item.source_line - best.source_line <= 8 else None


_AMOUNT = re.compile(
    r"^\s*(\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)\s*(?:triệu(?: đồng)?|tr\.?đ?)?\s*$", re.I
)


def _budget_line(plan: Plan, i: int, line: dict) -> None:
    funding = line.get("funding") or {}
    if not funding:
        BudgetLine.objects.create(
            plan=plan,
            position=i,
            item=line["project"][:500],
            lead_unit_text=(line.get("lead_unit") or "")[:255],
            period=(line.get("period") or "")[:60],
            source_line=line.get("source_line"),
        )
        return
    for j, (header, cell) in enumerate(funding.items()):
        amount = None
        if _AMOUNT.match(cell or ""):
            try:
                amount = parse_number(_AMOUNT.match(cell).group(1))
            except (NumberError, ValueError):
                amount = None
        BudgetLine.objects.create(
            plan=plan,
            position=i * 10 + j,
            item=line["project"][:500],
            lead_unit_text=(line.get("lead_unit") or "")[:255],
            source=header[:120],
            amount=amount,
            amount_text=(cell or "")[:120],
            period=(line.get("period") or "")[:60],
            source_line=line.get("source_line"),
        )


def _date(iso: str | None) -> dt.date | None:
    if iso and len(iso) == 10:
        try:
            return dt.date.fromisoformat(iso)
        except ValueError:
            return None
    return None


def plan_year(title: str, date_text: str) -> int | None:
    """The year a plan is for: the one its title names ("... năm 2024", "giai đoạn 2026-2030": its
    first year), else the year it was issued (a plan of December 2023 "năm 2024" is a 2024 plan)."""
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d{2})(?!\d)", title)]
    if years:
        return years[0]
    return int(date_text[:4]) if date_text else None


def read_upload(name: str, data: bytes) -> Extraction:
    """Check and read an uploaded file; a clear PlanError for anything unreadable."""
    if not data:
        raise PlanError(f"{name}: tệp rỗng.", field="file")
    if len(data) > MAX_UPLOAD:
        raise PlanError(
            f"{name}: tệp quá lớn ({len(data) // 1024 // 1024} MB, tối đa {MAX_UPLOAD // 1024 // 1024} MB).",
            field="file",
        )
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise PlanError(f"{name}: chỉ nhận tệp {', '.join(ALLOWED_SUFFIXES)}.", field="file")
    try:
        return extract_bytes(data, name, catalog_entries())
    except ReadError as exc:
        raise PlanError(exc.message, field="file")


@transaction.atomic
def plan_import_document(*, actor, issuer: Unit, file_name: str, data: bytes) -> Plan:
    permissions.require(actor, permissions.MANAGE, issuer)
    digest = hashlib.sha256(data).hexdigest()
    existing = Plan.objects.filter(source_sha256=digest).order_by("created_at").first()
    if existing is not None:
        raise DuplicateDocument(existing)
    x = read_upload(file_name, data)
    c = to_contract(x)
    kind = {"plan": DocKind.PLAN, "report": DocKind.REPORT, "decision": DocKind.DECISION}.get(
        c["kind"], DocKind.OTHER
    )
    date_text = c["date"] or ""
    plan = Plan.objects.create(
        issuer=issuer,
        issuer_name=c["issuer"] or issuer.name,
        doc_kind=kind,
        number_symbol=c["number_symbol"] or "",
        date_text=date_text,
        issued_on=_date(date_text),
        place=c["place"] or "",
        title=c["title"] or file_name,
        year=plan_year(c["title"] or "", date_text),
        status=PlanStatus.DRAFT,
        source_name=file_name[:255],
        source_sha256=digest,
        source_text="\n".join(
            f"{ln.source}\t{'  |  '.join(ln.cells) if ln.cells is not None else ln.text}"
            for ln in x.doc.lines
        ),
        extraction=c,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    plan.source_file.save(
        f"{digest[:16]}-{vntext.fold(file_name).replace(' ', '-')[:80]}", ContentFile(data), save=True
    )
    citations_link_to(plan)
    for i, p in enumerate(c["parents"]):
        parent = find_cited_plan(p["number_symbol"], p["date"] or "", exclude=plan)
        PlanCitation.objects.create(
            plan=plan,
            parent=parent,
            number_symbol=p["number_symbol"],
            date_text=p["date"] or "",
            issuer_name=p["issuer"] or "",
            position=i,
        )
    on = plan.issued_on or (dt.date(plan.year, 1, 1) if plan.year else None)
    resolver = naming.resolver_for(issuer, on=on)
    pilots = _pilot_units(x, resolver)
    if pilots:
        plan.pilot_units.set(Unit.objects.filter(pk__in=pilots))
        resolver = naming.resolver_for(issuer, on=on, groups={"thi diem": pilots})
    indicators = {i.code: i for i in Indicator.objects.all()}
    targets: list[Target] = []
    for i, (t, item) in enumerate(zip(c["targets"], x.targets, strict=True)):
        target = Target.objects.create(
            plan=plan,
            position=i,
            text=t["text"],
            original_text=item.original[:2000],
            operator=t["operator"],
            threshold=Decimal(str(t["value"])),
            unit=t["unit"],
            scope=(t["scope"] or "")[:120],
            indicator=indicators.get(t["indicator_code"] or ""),
            lead_unit_text=(t["lead_unit"] or "")[:255],
            monitoring_unit_text=(t["monitoring_unit"] or "")[:255],
            due_date=_date(t["deadline"]),
            source_line=t["source_line"],
        )
        routing.apply_target(
            target,
            routing.route_target(
                resolver,
                issuer,
                lead_text=target.lead_unit_text,
                monitor_text=target.monitoring_unit_text,
                scope=target.scope,
                pilots=pilots,
                on=on,
            ),
        )
        targets.append(target)
    statements = schedule.find(x.blocks)
    reporting_lines = {st.source_line for st in statements}
    for i, (t, item) in enumerate(zip(c["tasks"], x.tasks, strict=True)):
        if t["source_line"] in reporting_lines:
            continue  # "định kỳ trước ngày 15 ... báo cáo": the plan's reporting schedule, not a task
        task = Task.objects.create(
            plan=plan,
            position=i,
            text=t["text"],
            lead_unit_text=(t["lead_unit"] or "")[:255],
            coordinating_text="; ".join(t["coordinating_units"])[:500],
            deadline_phrase=(t["deadline_phrase"] or "")[:255],
            deadline=_date(t["deadline"]),
            recurrence=t["recurring"] or "",
            expected_output=(item.expected_output or "")[:500],
            section=_section_of(item)[:255],
            source_line=t["source_line"],
        )
        leads, coord, _ = routing.route_task(
            resolver,
            issuer,
            lead_text=task.lead_unit_text,
            coordinating=t["coordinating_units"],
            pilots=pilots,
        )
        routing.apply_task(task, leads, coord)
        served = _target_of_task(targets, item)
        if served is not None:
            task.targets.set([served])
    for i, line in enumerate(x.budget_lines):
        _budget_line(plan, i, line)
    hooks.plan_imported(actor=actor, plan=plan, schedule=[asdict(st) for st in statements])
    record(
        actor=actor,
        action="import",
        obj=plan,
        after={
            "file": file_name,
            "sha256": digest,
            "targets": len(c["targets"]),
            "tasks": len(c["tasks"]),
            "findings": len(c["findings"]),
        },
    )
    return plan


def target_candidates(plan: Plan) -> dict[int, list[tuple[str, float]]]:
    """Catalog candidates with scores for each target of a plan (for a person to confirm)."""
    entries = catalog_entries()
    return {t.pk: linking.candidates(t.text, entries, limit=3) for t in plan.targets.all()}
