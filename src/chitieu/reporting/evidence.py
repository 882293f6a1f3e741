"""Evidence files that back a report's figures: checked, stored under a random name, recorded."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from chitieu.audit.services import record
from chitieu.core.errors import Conflict, Invalid
from chitieu.indicators.models import Indicator
from chitieu.orgs import permissions
from chitieu.reporting.models import SUBMISSION_FLOW, Evidence, Submission

#: the first bytes each accepted type starts with (a renamed file is refused)
MAGIC = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK",),
    ".xlsx": (b"PK",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8",),
    ".jpeg": (b"\xff\xd8",),
}


def check_file(name: str, data: bytes) -> str:
    """The file's suffix when it is an accepted evidence file; :class:`Invalid` naming why not."""
    suffix = Path(name).suffix.lower()
    types = settings.CHITIEU_EVIDENCE_TYPES
    if suffix not in types:
        raise Invalid(f"{name}: chỉ nhận tệp {', '.join(types)}.", field="file", file=name)
    limit = settings.CHITIEU_EVIDENCE_MAX_BYTES
    if len(data) > limit:
        raise Invalid(f"{name}: tệp quá lớn (tối đa {limit // 1024 // 1024} MB).", field="file", file=name)
    if not data:
        raise Invalid(f"{name}: tệp rỗng.", field="file", file=name)
    if not data.startswith(MAGIC.get(suffix, (b"",))):
        raise Invalid(f"{name}: nội dung tệp không đúng định dạng {suffix}.", field="file", file=name)
    return suffix


def evidence_attach(
    *, actor, submission: Submission, indicator: Indicator | None, file_name: str, data: bytes
) -> Evidence:
    """Attach a file to a report that is still open for entry (a sent or approved report is reopened
    first, with a reason)."""
    permissions.require(actor, permissions.ENTER, submission.unit)
    if SUBMISSION_FLOW.transition(submission.status, "attach") is None:
        raise Conflict(
            f"Báo cáo đã {submission.get_status_display().lower()}: không đính kèm thêm minh chứng "
            "(cần mở lại báo cáo, có lý do)."
        )
    name = Path(file_name).name[:255] or "minh-chung"
    suffix = check_file(name, data)
    with transaction.atomic():
        ev = Evidence(
            unit=submission.unit,
            period=submission.period,
            indicator=indicator,
            name=name,
            size=len(data),
            content_type=settings.CHITIEU_EVIDENCE_TYPES[suffix],
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        ev.file.save("x", ContentFile(data), save=False)
        try:
            ev.save()
            record(
                actor=actor,
                action="create",
                obj=ev,
                after={"name": ev.name, "size": ev.size, "sha256": ev.sha256, "submission": submission.pk},
            )
        except BaseException:
            ev.file.delete(save=False)  # a failed write leaves no file behind
            raise
    return ev
