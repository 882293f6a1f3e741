"""Generate and keep official reports. Writes go through here (UI, CLI and API alike)."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from chitieu.audit.services import record
from chitieu.core import vntext
from chitieu.core.periods import Period, PeriodError
from chitieu.core.periods import parse as parse_period
from chitieu.documents import render
from chitieu.documents.content import ReportError, aggregate_content, unit_content
from chitieu.documents.models import GeneratedReport, ReportKind, ReportTemplate
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit


@dataclass
class Result:
    report: GeneratedReport
    warnings: list[str] = field(default_factory=list)


def may_generate(user, unit: Unit, kind: str) -> bool:
    if kind == ReportKind.AGGREGATE:
        return permissions.has(user, permissions.APPROVE, unit)
    return permissions.has(user, permissions.SUBMIT, unit) or permissions.has(user, permissions.APPROVE, unit)


def template_for(unit: Unit, kind: str) -> ReportTemplate | None:
    """The closest active template: the unit's own, an ancestor's, then a shared one."""
    ids = [int(x) for x in unit.path.strip("/").split("/") if x]
    candidates = list(ReportTemplate.objects.filter(active=True, kind=kind).select_related("unit"))

    def closeness(t: ReportTemplate) -> int:
        if t.unit_id is None:
            return -1
        return ids.index(t.unit_id) if t.unit_id in ids else -2

    usable = [t for t in candidates if closeness(t) >= -1]
    return max(usable, key=lambda t: (closeness(t), t.uploaded_at), default=None)


def _previous(unit: Unit, period: str, kind: str) -> GeneratedReport | None:
    return (
        GeneratedReport.objects.filter(unit=unit, period=period, kind=kind)
        .order_by("-created_at", "-id")
        .first()
    )


def report_generate(
    *,
    actor,
    unit: Unit,
    period: Period | str,
    kind: str = ReportKind.UNIT,
    number: int | None = None,
    place: str = "",
    title: str = "",
    issued_on: dt.date | None = None,
    signer_lines: list[str] | None = None,
    signer_name: str | None = None,
    recipients: list[str] | None = None,
    narrative: dict | None = None,
    pdf: bool = False,
) -> Result:
    """Build, check and keep a report. The hand-written parts, signer and recipients default to
    those of the last report of the same unit and period (a regeneration after corrections keeps
    them); each generation is kept as its own record."""
    if kind not in ReportKind.values:
        raise ReportError(f"Loại báo cáo '{kind}' không hợp lệ.")
    if not may_generate(actor, unit, kind):
        raise permissions.NotAllowed(f"Bạn không có quyền lập báo cáo của {unit.display_name}.")
    if isinstance(period, str):
        try:
            period = parse_period(period)
        except PeriodError:
            raise ReportError(f"Kỳ báo cáo '{period}' không hợp lệ (ví dụ: 2024Q1, Quý I năm 2024).")
    if number is not None and not 1 <= number <= 99999:
        raise ReportError("Số văn bản phải từ 1 đến 99999.")
    started = time.perf_counter()
    today = issued_on or timezone.localdate()
    prev = _previous(unit, period.id, kind)
    if prev is not None:
        signer_lines = (
            signer_lines
            if signer_lines is not None
            else (prev.signer_title.split("\n") if prev.signer_title else None)
        )
        signer_name = signer_name if signer_name is not None else prev.signer_name
        recipients = recipients if recipients is not None else (prev.recipients or None)
        narrative = narrative if narrative is not None else (prev.narrative or None)
        place = place or prev.place
    options = {
        "today": today,
        "number": number,
        "place": vntext.nfc(place.strip()),
        "title": vntext.nfc(title.strip()),
        "signer_lines": [vntext.nfc(x.strip()).upper() for x in (signer_lines or []) if x.strip()] or None,
        "signer_name": vntext.nfc((signer_name or "").strip()),
        "recipients": [_recipient(x) for x in (recipients or []) if x.strip()] or None,
        "narrative": {k: vntext.nfc(v) for k, v in narrative.items()} if narrative is not None else None,
    }
    if kind == ReportKind.AGGREGATE:
        content = aggregate_content(unit, period, user=actor, **options)
    else:
        content = unit_content(unit, period, **options)
    template = template_for(unit, kind)
    raw = file_bytes(template.file) if template is not None else None
    docx = render.render_docx(content, raw, aggregate=kind == ReportKind.AGGREGATE)
    findings = render.lint_docx(docx)
    if findings:
        lines = "; ".join(f"{f['code']} (dòng {f['line']}): {f['message']}" for f in findings[:5])
        raise ReportError(f"Báo cáo chưa được tạo vì số liệu trong đó không khớp: {lines}")
    xlsx = render.render_xlsx(content, title=content.title)
    warnings: list[str] = []
    pdf_bytes = None
    if pdf:
        try:
            pdf_bytes = render.to_pdf(docx)
        except render.PdfUnavailable as exc:
            warnings.append(exc.args[0])
    stem = f"bao-cao-{unit.code}-{period.id}".lower()
    with transaction.atomic():
        rep = GeneratedReport(
            unit=unit,
            period=period.id,
            kind=kind,
            title=content.title,
            number=number,
            symbol=content.number_line.split("/", 1)[-1],
            place=options["place"] or content.date_line.split(",")[0],
            issued_on=today,
            signer_title="\n".join(content.signer_lines),
            signer_name=content.signer_name,
            recipients=content.recipients,
            narrative=options["narrative"] if options["narrative"] is not None else _narrative_of(content),
            figures={**content.figures, "docx_sha256": hashlib.sha256(docx).hexdigest()},
            lint=findings,
            template=template,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        rep.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        rep.xlsx.save(f"{stem}-phu-luc.xlsx", ContentFile(xlsx), save=False)
        if pdf_bytes:
            rep.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
        rep.seconds = time.perf_counter() - started
        rep.save()
        record(
            actor=actor,
            action="create",
            obj=rep,
            after={"unit": unit.code, "period": period.id, "kind": kind, "title": rep.title},
            reason="lập báo cáo",
        )
    return Result(rep, warnings)


def file_bytes(f) -> bytes:
    """The whole content of a stored file, wherever its read position stands."""
    with f.open("rb") as fh:
        return fh.read()


def _recipient(text: str) -> str:
    t = vntext.nfc(text.strip())
    if not t.startswith("-"):
        t = "- " + t
    if not t.endswith((";", ".")):
        t += ";"
    return t


def _narrative_of(content) -> dict:
    from chitieu.documents.content import NARRATIVE_HEADINGS

    out = {}
    for key, heading in NARRATIVE_HEADINGS.items():
        sec = next((s for s in content.sections if s.heading.endswith(heading)), None)
        paras = [p for p in (sec.paragraphs if sec else []) if p != "Không có."]
        out[key] = "\n".join(paras)
    return out


def report_pdf(*, actor, report: GeneratedReport) -> GeneratedReport:
    """Make the PDF of a kept report (LibreOffice); raises PdfUnavailable with a clear message."""
    if not may_generate(actor, report.unit, report.kind) and not permissions.has(
        actor, permissions.VIEW, report.unit
    ):
        raise permissions.NotAllowed("Bạn không có quyền với báo cáo này.")
    if report.pdf:
        return report
    pdf = render.to_pdf(file_bytes(report.docx))
    report.pdf.save(f"bao-cao-{report.unit.code}-{report.period}.pdf".lower(), ContentFile(pdf), save=True)
    return report


MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def template_upload(
    *, actor, name: str, kind: str, unit: Unit | None, file_name: str, data: bytes
) -> ReportTemplate:
    """Keep an office's restyled template after rendering it once with sample content."""
    permissions.require(actor, permissions.MANAGE, unit)
    if kind not in ReportKind.values:
        raise ReportError(f"Loại mẫu '{kind}' không hợp lệ.")
    if not name.strip():
        raise ReportError("Tên mẫu không được để trống.")
    if not file_name.lower().endswith(".docx") or not data.startswith(b"PK"):
        raise ReportError(f"{file_name}: mẫu báo cáo phải là tệp Word .docx.")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ReportError(f"{file_name}: tệp quá lớn (tối đa 5 MB).")
    try:
        render.check_template(data)
    except ReportError as exc:
        raise ReportError(f"{file_name}: {exc.args[0]}")
    with transaction.atomic():
        t = ReportTemplate(name=vntext.nfc(name.strip()), kind=kind, unit=unit, uploaded_by=actor)
        t.file.save("mau.docx", ContentFile(data), save=False)
        t.save()
        record(
            actor=actor,
            action="create",
            obj=t,
            after={"name": t.name, "kind": kind},
            reason="tải lên mẫu báo cáo",
        )
    return t
