"""A framework prepared before use: read from a province's decision, or copied from a shipped
template (PAR Index 876/QĐ-BNV), reviewed row by row beside its source, checked (children add up to
their parent, the groups to the stated total), then activated as a framework version.

Every write checks permission (managing the owner unit), runs in one transaction and is recorded
with the row before and after, so the review keeps its history."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

import yaml
from django.core.files.base import ContentFile
from django.db import transaction

from chitieu.audit.services import record
from chitieu.core import scoring as core
from chitieu.core import vntext
from chitieu.core.numbers import NumberError, decimal_text, parse_number, plain
from chitieu.extraction.criteria import read_decision
from chitieu.extraction.errors import ReadError
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.scoring.definitions import ROW_FIELDS, flatten, nest, template
from chitieu.scoring.errors import ScoringConflict, ScoringError
from chitieu.scoring.models import DraftKind, DraftStatus, Framework, FrameworkDraft

MAX_UPLOAD = 20 * 1024 * 1024
ALLOWED_SUFFIXES = (".docx", ".doc", ".pdf", ".txt", ".md")
META_KEYS = ("basis", "description", "successors", "counts", "split", "classes", "merge", "scale")


class DuplicateDraft(ScoringConflict):
    def __init__(self, draft: FrameworkDraft):
        self.draft = draft
        super().__init__(
            f'Tệp này đã được tải lên (bộ chỉ số "{draft.name[:80]}", lúc {draft.created_at:%d/%m/%Y %H:%M}).'
        )


def _require(actor, owner: Unit | None) -> None:
    permissions.require(actor, permissions.MANAGE, owner)


def _proposed_name(title: str | None, fallback: str) -> str:
    t = " ".join((title or "").split())
    t = re.sub(r"^(?:v/v|về việc)?\s*(?:ban hành|phê duyệt)\s+", "", t, flags=re.I)
    t = re.sub(r"^(?:quy định|quy định về)\s+(?=bộ|chỉ số|tiêu chí)", "", t, flags=re.I)
    return (t[:1].upper() + t[1:])[:300] if t else fallback[:300]


def _year(*texts: str | None) -> str:
    for t in texts:
        m = re.search(r"\bnăm\s+(\d{4})\b", t or "", re.I)
        if m:
            return m.group(1)
    return ""


@transaction.atomic
def draft_from_document(
    *, actor, owner: Unit, file_name: str, data: bytes, table: int | None = None
) -> FrameworkDraft:
    """Read a province's index decision (Word, PDF, text) into a draft to review. The same file
    twice is refused with the first draft named; an unreadable file is refused, naming it."""
    _require(actor, owner)
    if not data:
        raise ScoringError(f"{file_name}: tệp rỗng.")
    if len(data) > MAX_UPLOAD:
        raise ScoringError(f"{file_name}: tệp quá lớn (tối đa {MAX_UPLOAD // 1024 // 1024} MB).")
    if not file_name.lower().endswith(ALLOWED_SUFFIXES):
        raise ScoringError(f"{file_name}: chỉ nhận tệp {', '.join(ALLOWED_SUFFIXES)}.")
    digest = hashlib.sha256(data).hexdigest()
    existing = (
        FrameworkDraft.objects.filter(source_sha256=digest, owner=owner)
        .exclude(status=DraftStatus.DISCARDED)
        .first()
    )
    if existing is not None:
        raise DuplicateDraft(existing)
    try:
        tree = read_decision(data, file_name, table=table)
    except ReadError as exc:
        raise ScoringError(exc.message)
    year = _year(tree.title) or (tree.date or "")[:4]
    basis = " ".join(
        x
        for x in (
            f"Quyết định {tree.number_symbol}" if tree.number_symbol else "",
            f"ngày {tree.date[8:10]}/{tree.date[5:7]}/{tree.date[:4]}"
            if tree.date and len(tree.date) == 10
            else "",
            f"của {tree.issuer}" if tree.issuer else "",
        )
        if x
    )
    d = FrameworkDraft.objects.create(
        owner=owner,
        kind=DraftKind.DOCUMENT,
        code=(tree.number_symbol or re.sub(r"\.\w+$", "", file_name))[:40],
        name=vntext.nfc(_proposed_name(tree.title, file_name)),
        version=year or "1",
        period=year,
        source_name=file_name[:255],
        source_sha256=digest,
        source_text="\n".join(f"{n}\t{text}" for n, text in tree.lines),
        meta={
            "number_symbol": tree.number_symbol,
            "date": tree.date,
            "issuer": tree.issuer,
            "title": tree.title,
            "layout": tree.layout,
            "format": tree.fmt,
            "tables": [{"title": t.title, "line": t.source, "rows": t.rows} for t in tree.tables],
            "table": table or 0,
            "total_line": tree.total_source,
            "basis": basis,
        },
        rows=[r.as_dict() for r in tree.rows],
        stated_total=tree.stated_total,
        findings=tree.findings,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    d.source_file.save(
        f"{digest[:16]}-{vntext.fold(file_name).replace(' ', '-')[:80]}", ContentFile(data), save=True
    )
    record(
        actor=actor,
        action="create",
        obj=d,
        after={"source": file_name, "rows": len(d.rows), "total": str(d.stated_total)},
        reason="đọc bộ chỉ số từ quyết định",
    )
    return d


@transaction.atomic
def draft_from_template(*, actor, owner: Unit | None, code: str) -> FrameworkDraft:
    """A copy of a shipped template (a framework to be filled, such as PAR Index 876/QĐ-BNV)."""
    _require(actor, owner)
    path, raw = template(code)
    d = FrameworkDraft.objects.create(
        owner=owner,
        kind=DraftKind.TEMPLATE,
        code=str(raw["code"])[:40],
        name=str(raw["name"])[:300],
        version=str(raw["version"])[:40],
        period=str(raw.get("period") or ""),
        source_name=path.name,
        source_text="\n".join(
            f"{i}\t{line}" for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        ),
        meta={k: raw[k] for k in META_KEYS if k in raw},
        rows=flatten(raw.get("criteria") or []),
        stated_total=Decimal(str(raw["max_points"])) if raw.get("max_points") is not None else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(
        actor=actor,
        action="create",
        obj=d,
        after={"template": code, "rows": len(d.rows)},
        reason="tạo từ khung",
    )
    return d


def _editable(actor, draft: FrameworkDraft, expected_version: int | None) -> FrameworkDraft:
    d = FrameworkDraft.objects.select_for_update().get(pk=draft.pk)
    _require(actor, d.owner)
    if d.status != DraftStatus.REVIEW:
        raise ScoringConflict("Bộ chỉ số này đã kích hoạt hoặc đã hủy, không sửa được nữa.")
    if expected_version is not None and expected_version != d.version_no:
        raise ScoringConflict("Bản rà soát vừa được người khác sửa; hãy tải lại trang rồi sửa tiếp.")
    return d


@transaction.atomic
def draft_update(
    *, actor, draft: FrameworkDraft, expected_version: int | None = None, **fields
) -> FrameworkDraft:
    """Change the draft's code, name, version, period or stated total."""
    d = _editable(actor, draft, expected_version)
    problems = []
    before = {k: str(getattr(d, k)) for k in fields}
    for k, v in fields.items():
        if k not in ("code", "name", "version", "period", "stated_total"):
            problems.append(f"Không sửa được mục '{k}'.")
            continue
        v = (v or "").strip() if isinstance(v, str) else v
        if k == "stated_total":
            try:
                v = parse_number(str(v)) if v not in (None, "") else None
            except NumberError:
                problems.append(f"Tổng điểm '{v}' không phải là số.")
                continue
        elif k in ("code", "name", "version") and not v:
            problems.append(
                f"Cần ghi {'mã' if k == 'code' else 'tên' if k == 'name' else 'phiên bản'} của bộ chỉ số."
            )
            continue
        elif k == "period" and v and not re.fullmatch(r"\d{4}(?:Q[1-4]|H[12]|M\d{2})?", v):
            problems.append(f"Kỳ đánh giá '{v}' không hợp lệ (ví dụ 2026).")
            continue
        setattr(d, k, v)
    if problems:
        raise ScoringError(problems[0], problems)
    d.version_no += 1
    d.save()
    record(actor=actor, action="update", obj=d, before=before, after={k: str(getattr(d, k)) for k in fields})
    return d


def _clean_row(row: dict, rows: list[dict], index: int | None) -> tuple[dict, list[str]]:
    """A row as typed on the review page, checked: code unique, parent before it, numbers."""
    problems: list[str] = []
    out = {k: row.get(k) for k in ROW_FIELDS if k in row}
    code = str(out.get("code") or "").strip()
    out["code"] = code
    out["parent"] = str(out.get("parent") or "").strip()
    out["name"] = " ".join(str(out.get("name") or "").split())
    where = f"Tiêu chí {code or '(chưa có mã)'}"
    if not code:
        problems.append("Cần ghi mã tiêu chí.")
    if not out["name"]:
        problems.append(f"{where}: cần ghi tên tiêu chí.")
    others = [r for i, r in enumerate(rows) if i != index]
    if code and any(r.get("code") == code for r in others):
        problems.append(f"{where}: mã đã có.")
    if out["parent"]:
        if out["parent"] == code:
            problems.append(f"{where}: không là tiêu chí cha của chính nó.")
        elif not any(r.get("code") == out["parent"] for r in others):
            problems.append(f"{where}: không có tiêu chí cha '{out['parent']}'.")
    method = str(out.get("method") or "manual").strip()
    if method not in core.METHODS:
        problems.append(f"{where}: cách chấm '{method}' không có.")
    out["method"] = method
    for key, label in (("max_points", "điểm tối đa"), ("threshold", "ngưỡng"), ("step", "điểm trừ mỗi lần")):
        v = out.get(key)
        if v in (None, ""):
            out[key] = None
            continue
        try:
            n = parse_number(str(v))
        except NumberError:
            problems.append(f"{where}: {label} '{v}' không phải là số.")
            continue
        if n < 0:
            problems.append(f"{where}: {label} không được âm.")
        out[key] = plain(n)
    bands = out.get("bands")
    if isinstance(bands, str):
        bp: list[str] = []
        parsed = core.parse_bands(bands.replace(",", "."), f"{where}: các mức", bp)
        problems += bp
        out["bands"] = [[plain(a), plain(b)] for a, b in parsed]
    out["evidence_required"] = bool(out.get("evidence_required"))
    return out, problems


def _insert_at(rows: list[dict], parent: str) -> int:
    """After the parent's last descendant (or at the end)."""
    if not parent:
        return len(rows)
    idx = next((i for i, r in enumerate(rows) if r.get("code") == parent), None)
    if idx is None:
        return len(rows)
    family = {parent}
    end = idx + 1
    while end < len(rows) and rows[end].get("parent") in family:
        family.add(rows[end].get("code"))
        end += 1
    return end


@transaction.atomic
def draft_row_save(
    *,
    actor,
    draft: FrameworkDraft,
    row: dict,
    code: str | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> FrameworkDraft:
    """Change the row ``code`` (or add ``row`` when ``code`` is None). Children follow a renamed code."""
    d = _editable(actor, draft, expected_version)
    rows = list(d.rows)
    index = next((i for i, r in enumerate(rows) if r.get("code") == code), None) if code is not None else None
    if code is not None and index is None:
        raise ScoringError(f"Không có tiêu chí '{code}' trong bản rà soát.")
    before = dict(rows[index]) if index is not None else None
    merged = {**(before or {}), **row}
    clean, problems = _clean_row(merged, rows, index)
    if problems:
        raise ScoringError(problems[0], problems, rows=[code or clean["code"]])
    if index is None:
        rows.insert(_insert_at(rows, clean["parent"]), clean)
    else:
        if before.get("parent", "") != clean["parent"]:
            raise ScoringError("Không chuyển tiêu chí sang tiêu chí cha khác; hãy xóa rồi thêm lại.")
        rows[index] = {**before, **clean}
        if clean["code"] != before["code"]:
            for r in rows:
                if r.get("parent") == before["code"]:
                    r["parent"] = clean["code"]
    d.rows = rows
    d.version_no += 1
    d.save(update_fields=["rows", "version_no", "updated_at"])
    record(
        actor=actor,
        action="update" if before else "create",
        obj=d,
        before={"row": before} if before else None,
        after={"row": clean},
        reason=reason or ("sửa tiêu chí" if before else "thêm tiêu chí"),
    )
    return d


@transaction.atomic
def draft_row_delete(
    *, actor, draft: FrameworkDraft, code: str, reason: str = "", expected_version: int | None = None
) -> FrameworkDraft:
    d = _editable(actor, draft, expected_version)
    rows = list(d.rows)
    index = next((i for i, r in enumerate(rows) if r.get("code") == code), None)
    if index is None:
        raise ScoringError(f"Không có tiêu chí '{code}' trong bản rà soát.")
    if any(r.get("parent") == code for r in rows):
        raise ScoringError(f"Tiêu chí {code} còn tiêu chí con; hãy xóa các tiêu chí con trước.")
    removed = rows.pop(index)
    d.rows = rows
    d.version_no += 1
    d.save(update_fields=["rows", "version_no", "updated_at"])
    record(actor=actor, action="delete", obj=d, before={"row": removed}, reason=reason or "xóa tiêu chí")
    return d


# --- checks ---------------------------------------------------------------------------------------
@dataclass
class DraftCheck:
    problems: list[str] = field(default_factory=list)  # every reason activation is refused
    disagreements: list[core.Disagreement] = field(default_factory=list)
    row_problems: dict[str, list[str]] = field(default_factory=dict)  # code -> what is wrong with it
    leaves_total: Decimal = Decimal(0)
    groups_total: Decimal = Decimal(0)

    @property
    def ok(self) -> bool:
        return not self.problems


def definition_dict(d: FrameworkDraft) -> dict:
    """The draft as a framework definition (the YAML form)."""
    criteria, _ = nest(d.rows)
    out = {
        "code": d.code,
        "name": d.name,
        "version": d.version,
        "period": d.period,
        "criteria": criteria,
    }
    if d.stated_total is not None:
        out["max_points"] = plain(d.stated_total)
    for k in META_KEYS:
        if (d.meta or {}).get(k) not in (None, "", [], {}):
            out[k] = d.meta[k]
    return out


def _lenient(rows: list[dict]) -> list[core.CriterionDef]:
    criteria, _ = nest(rows)
    scratch: list[str] = []
    out = []
    for i, c in enumerate(criteria, 1):
        out.append(core.criterion_from_dict(c, f"tiêu chí {i}", scratch))
    return out


def draft_check(d: FrameworkDraft) -> DraftCheck:
    """What stands between the draft and activation, and which rows it concerns."""
    check = DraftCheck()
    _, nest_problems = nest(d.rows)
    try:
        core.framework_from_dict(definition_dict(d))
    except core.DefinitionError as exc:
        check.problems = list(exc.problems)
    check.problems = nest_problems + check.problems
    criteria = _lenient(d.rows)
    check.disagreements = core.disagreements(criteria, d.stated_total)
    for dis in check.disagreements:
        check.row_problems.setdefault(dis.code, []).append(
            f"điểm tối đa {decimal_text(dis.stated)} khác tổng tiêu chí con {decimal_text(dis.children)}"
            if dis.code
            else dis.message()
        )
    for top in criteria:
        for c in top.walk():
            if c.is_leaf and not any(r.get("code") == c.code and r.get("max_points") for r in d.rows):
                check.row_problems.setdefault(c.code, []).append("chưa có điểm tối đa")
            if c.is_leaf and c.method == "banded" and not c.bands:
                check.row_problems.setdefault(c.code, []).append("cách chấm theo mức cần các mức")
            if c.is_leaf and c.method == "deduction" and not c.step:
                check.row_problems.setdefault(c.code, []).append("cần số điểm trừ mỗi lần")
    check.leaves_total = sum((c.max_points for top in criteria for c in top.walk() if c.is_leaf), Decimal(0))
    check.groups_total = sum((c.max_points for c in criteria), Decimal(0))
    if d.stated_total is None:
        check.problems.append("Chưa có tổng điểm tối đa của bộ chỉ số (ghi ở dòng tổng hoặc trong văn bản).")
    return check


@transaction.atomic
def draft_activate(*, actor, draft: FrameworkDraft, expected_version: int | None = None) -> Framework:
    """The reviewed draft becomes a framework version. Refused, naming every problem and the rows
    that disagree, while the points do not add up or anything else is wrong."""
    from chitieu.scoring.services import framework_save

    d = _editable(actor, draft, expected_version)
    check = draft_check(d)
    if not check.ok:
        raise ScoringError(
            f"Chưa kích hoạt được: có {len(check.problems)} lỗi.",
            check.problems,
            rows=[c for c in check.row_problems if c],
        )
    raw = definition_dict(d)
    fdef = core.framework_from_dict(raw)
    if not fdef.basis:
        fdef.basis = (d.meta or {}).get("basis", "")
    source = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    f = framework_save(
        actor=actor,
        owner=d.owner,
        fdef=fdef,
        period=d.period,
        source=source,
        file_name=d.source_name or d.name,
    )
    d.status, d.framework = DraftStatus.ACTIVATED, f
    d.save(update_fields=["status", "framework", "updated_at"])
    record(
        actor=actor,
        action="update",
        obj=d,
        after={"status": "activated", "framework": f.pk},
        reason="kích hoạt",
    )
    return f


@transaction.atomic
def draft_discard(*, actor, draft: FrameworkDraft, reason: str = "") -> FrameworkDraft:
    d = _editable(actor, draft, None)
    d.status = DraftStatus.DISCARDED
    d.save(update_fields=["status", "updated_at"])
    record(
        actor=actor, action="update", obj=d, after={"status": "discarded"}, reason=reason or "hủy bản rà soát"
    )
    return d
