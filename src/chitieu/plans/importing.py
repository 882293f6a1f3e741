"""Turning an uploaded document into a draft plan (one transaction, with the change log).

The document is read by the pure extraction pipeline; everything it found becomes editable rows of a
draft plan that remember their source line, so the review page can show each item beside the text it
came from. The same file uploaded twice (same SHA-256) is refused with a link to the first upload.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from chitieu.audit.services import record
from chitieu.core import vntext
from chitieu.core.errors import Conflict
from chitieu.extraction import linking
from chitieu.extraction.errors import ReadError
from chitieu.extraction.pipeline import Extraction, extract_bytes, to_contract
from chitieu.indicators.models import Indicator
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.orgs.selectors import find_by_name, subtree
from chitieu.plans.models import DocKind, Plan, PlanCitation, PlanStatus, Target, Task
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


def _unit_for(name: str | None, within) -> Unit | None:
    if not name:
        return None
    found = find_by_name(name, within=within)
    return found[0] if len(found) == 1 else None


def _date(iso: str | None) -> dt.date | None:
    if iso and len(iso) == 10:
        try:
            return dt.date.fromisoformat(iso)
        except ValueError:
            return None
    return None


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
        year=int(date_text[:4]) if date_text else None,
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
    scope_units = subtree(issuer.parent or issuer)
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
    indicators = {i.code: i for i in Indicator.objects.all()}
    for i, (t, item) in enumerate(zip(c["targets"], x.targets, strict=True)):
        Target.objects.create(
            plan=plan,
            position=i,
            text=t["text"],
            original_text=item.original[:2000],
            operator=t["operator"],
            threshold=Decimal(str(t["value"])),
            unit=t["unit"],
            scope=t["scope"] or "",
            indicator=indicators.get(t["indicator_code"] or ""),
            lead_unit=_unit_for(t["lead_unit"], scope_units),
            lead_unit_text=t["lead_unit"] or "",
            monitoring_unit=_unit_for(t["monitoring_unit"], scope_units),
            monitoring_unit_text=t["monitoring_unit"] or "",
            due_date=_date(t["deadline"]),
            source_line=t["source_line"],
        )
    for i, t in enumerate(c["tasks"]):
        Task.objects.create(
            plan=plan,
            position=i,
            text=t["text"],
            lead_unit=_unit_for(t["lead_unit"], scope_units),
            lead_unit_text=t["lead_unit"] or "",
            coordinating_text="; ".join(t["coordinating_units"]),
            deadline_phrase=t["deadline_phrase"] or "",
            deadline=_date(t["deadline"]),
            recurrence=t["recurring"] or "",
            source_line=t["source_line"],
        )
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
