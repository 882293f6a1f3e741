"""An office's own unit tree from a spreadsheet (CSV or XLSX): departments with their divisions, former
districts and wards with their successors, the names people use for them.

Columns (header names as written in Vietnamese or English; order free):
``mã`` (code), ``tên`` (name), ``loại`` (kind), ``cấp trên`` (parent code), ``tên ngắn``, ``viết tắt``,
``tên gọi khác`` (aliases, separated by ";"), ``hiệu lực từ``, ``hiệu lực đến`` (dates), ``kế thừa bởi``
(the successor's code), ``mã hành chính``.

All or nothing: a cycle, a duplicate code, an unknown parent or successor, a successor that ends
before its predecessor does, an unknown kind or a bad date is refused with the row named, and nothing
is written. A code that exists already is updated (a new name is a rename, kept in the change log).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction

from chitieu.audit.services import record
from chitieu.core import vntext
from chitieu.core.errors import Invalid, Problem
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit, UnitKind, UnitSuccession

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

COLUMNS = {
    "code": ("ma", "ma don vi", "code"),
    "name": ("ten", "ten don vi", "ten day du", "name"),
    "kind": ("loai", "loai don vi", "kind"),
    "parent": ("cap tren", "ma cap tren", "don vi cap tren", "parent"),
    "short_name": ("ten ngan", "short name"),
    "abbreviation": ("viet tat", "ten viet tat", "abbreviation"),
    "aliases": ("ten goi khac", "ten khac", "aliases"),
    "valid_from": ("hieu luc tu", "tu ngay", "valid from"),
    "valid_to": ("hieu luc den", "den ngay", "valid to"),
    "successor": ("ke thua boi", "don vi ke thua", "successor"),
    "admin_code": ("ma hanh chinh", "admin code"),
}
KINDS = {
    **{k.value: k.value for k in UnitKind},
    **{vntext.fold(str(label)): value for value, label in UnitKind.choices},
    "tinh": "province",
    "thanh pho truc thuoc trung uong": "province",
    "huyen": "district",
    "thi xa": "district",
    "xa": "commune",
    "phuong": "commune",
    "thi tran": "commune",
    "so": "department",
    "ban chi dao": "board",
    "phong": "office",
    "van phong": "office",
    "don vi su nghiep": "service",
    "trung tam": "service",
    "khac": "other",
}


@dataclass
class TreeRow:
    row: int
    code: str
    name: str
    kind: str
    parent: str = ""
    short_name: str = ""
    abbreviation: str = ""
    aliases: list[str] = field(default_factory=list)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successor: str = ""
    admin_code: str = ""


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return vntext.nfc(str(v)).strip()


def read_rows(data: bytes, file_name: str) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column: text}) from a CSV or XLSX file; Invalid naming the file otherwise."""
    if len(data) > MAX_BYTES:
        raise Invalid(f"{file_name}: tệp quá lớn (tối đa {MAX_BYTES // 1024 // 1024} MB).", file=file_name)
    if data[:2] == b"PK":
        from openpyxl import load_workbook

        from chitieu.extraction.errors import ReadError
        from chitieu.extraction.readers import check_zip

        try:
            check_zip(data, file_name)
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except ReadError as exc:
            raise Invalid(exc.message, file=file_name)
        except Exception as exc:  # a damaged or foreign file
            raise Invalid(f"{file_name}: không đọc được tệp Excel ({type(exc).__name__}).", file=file_name)
        table = [[_cell(c) for c in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid(f"{file_name}: tệp không phải CSV mã UTF-8 hay Excel (.xlsx).", file=file_name)
        if "\x00" in text:
            raise Invalid(f"{file_name}: tệp chứa ký tự NUL, không phải CSV.", file=file_name)
        sample = text[:4096]
        delim = max((",", ";", "\t"), key=sample.count)
        table = [[_cell(c) for c in r] for r in csv.reader(io.StringIO(text), delimiter=delim)]
    table = [r for r in table]
    if not table:
        raise Invalid(f"{file_name}: tệp rỗng.", file=file_name)
    header = [vntext.fold(h).strip(" *:") for h in table[0]]
    where: dict[str, int] = {}
    for col, names in COLUMNS.items():
        for i, h in enumerate(header):
            if h in names:
                where[col] = i
                break
    missing = [c for c in ("code", "name", "kind") if c not in where]
    if missing:
        labels = {"code": "Mã", "name": "Tên", "kind": "Loại"}
        raise Invalid(
            f"{file_name}, dòng 1: thiếu cột {', '.join(labels[c] for c in missing)}.", row=1, file=file_name
        )
    if len(table) - 1 > MAX_ROWS:
        raise Invalid(f"{file_name}: quá {MAX_ROWS} dòng.", file=file_name)
    out = []
    for n, r in enumerate(table[1:], start=2):
        if not any(c.strip() for c in r):
            continue
        out.append((n, {col: (r[i] if i < len(r) else "") for col, i in where.items()}))
    return out


def _date(text: str, label: str, n: int, problems: list[Problem]) -> dt.date | None:
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    problems.append(
        Problem(f"Dòng {n}: {label} '{text[:20]}' không phải ngày (dd/mm/yyyy).", row=n, field=label)
    )
    return None


def parse(rows: list[tuple[int, dict[str, str]]]) -> tuple[list[TreeRow], list[Problem]]:
    """Every row checked on its own and against the others (the tree as a whole)."""
    problems: list[Problem] = []
    out: list[TreeRow] = []
    seen: dict[str, int] = {}
    for n, r in rows:
        code = r.get("code", "").strip()
        name = r.get("name", "").strip()
        kind = KINDS.get(vntext.fold(r.get("kind", "")).strip())
        if not code:
            problems.append(Problem(f"Dòng {n}: thiếu mã đơn vị.", row=n, field="code"))
            continue
        if len(code) > 40 or any(ch in code for ch in " \t/\\"):
            problems.append(
                Problem(
                    f"Dòng {n}: mã '{code[:40]}' không hợp lệ (tối đa 40 ký tự, không dấu cách).",
                    row=n,
                    field="code",
                )
            )
            continue
        if code in seen:
            problems.append(
                Problem(f"Dòng {n}: mã '{code}' trùng với dòng {seen[code]}.", row=n, field="code")
            )
            continue
        seen[code] = n
        if not name or len(name) > 255:
            problems.append(
                Problem(f"Dòng {n}: tên đơn vị trống hoặc dài quá 255 ký tự.", row=n, field="name")
            )
        if kind is None:
            problems.append(
                Problem(
                    f"Dòng {n}: loại đơn vị '{r.get('kind', '')[:30]}' không hợp lệ.", row=n, field="kind"
                )
            )
        vf = _date(r.get("valid_from", ""), "hiệu lực từ", n, problems)
        vt = _date(r.get("valid_to", ""), "hiệu lực đến", n, problems)
        if vf and vt and vt < vf:
            problems.append(
                Problem(f"Dòng {n}: hiệu lực đến {vt:%d/%m/%Y} trước hiệu lực từ {vf:%d/%m/%Y}.", row=n)
            )
        out.append(
            TreeRow(
                row=n,
                code=code,
                name=name[:255],
                kind=kind or "",
                parent=r.get("parent", "").strip(),
                short_name=r.get("short_name", "").strip()[:120],
                abbreviation=r.get("abbreviation", "").strip()[:40],
                aliases=[a.strip() for a in r.get("aliases", "").split(";") if a.strip()][:20],
                valid_from=vf,
                valid_to=vt,
                successor=r.get("successor", "").strip(),
                admin_code=r.get("admin_code", "").strip()[:20],
            )
        )
    by_code = {t.code: t for t in out}
    known = set(
        Unit.objects.filter(code__in={t.parent for t in out} | {t.successor for t in out}).values_list(
            "code", flat=True
        )
    )
    for t in out:
        if t.parent and t.parent not in by_code and t.parent not in known:
            problems.append(
                Problem(
                    f"Dòng {t.row}: đơn vị cấp trên '{t.parent}' không có trong tệp hay trong hệ thống.",
                    row=t.row,
                    field="parent",
                )
            )
        if t.successor:
            succ = by_code.get(t.successor)
            if succ is None and t.successor not in known:
                problems.append(
                    Problem(
                        f"Dòng {t.row}: đơn vị kế thừa '{t.successor}' không có trong tệp hay trong hệ thống.",
                        row=t.row,
                        field="successor",
                    )
                )
            if t.successor == t.code:
                problems.append(
                    Problem(
                        f"Dòng {t.row}: một đơn vị không thể kế thừa chính nó.", row=t.row, field="successor"
                    )
                )
            elif succ is not None and t.valid_to and succ.valid_to and succ.valid_to <= t.valid_to:
                problems.append(
                    Problem(
                        f"Dòng {t.row}: đơn vị kế thừa '{succ.code}' hết hiệu lực ({succ.valid_to:%d/%m/%Y}) "
                        f"trước khi '{t.code}' kết thúc ({t.valid_to:%d/%m/%Y}).",
                        row=t.row,
                        field="successor",
                    )
                )
    for t in out:  # a parent chain that comes back to itself
        chain, cur = [t.code], by_code.get(t.parent)
        while cur is not None:
            if cur.code in chain:
                problems.append(
                    Problem(
                        f"Dòng {t.row}: cấp trên tạo vòng lặp ({' → '.join([*chain, cur.code])}).",
                        row=t.row,
                        field="parent",
                    )
                )
                break
            chain.append(cur.code)
            cur = by_code.get(cur.parent)
    return out, problems


@dataclass
class TreeImport:
    created: int = 0
    updated: int = 0
    successions: int = 0


@transaction.atomic
def unit_tree_import(*, actor, data: bytes, file_name: str, dry_run: bool = False) -> TreeImport:
    """Create or update the units of a tree file, parents first, then the successions; all or nothing."""
    from chitieu.orgs import services

    rows, problems = parse(read_rows(data, file_name))
    if problems:
        raise Invalid(f"{file_name}: không nhập được cây đơn vị.", problems=problems, file=file_name)
    by_code = {t.code: t for t in rows}
    order: list = []
    placed: set[str] = set()

    def place(t):
        if t.code in placed:
            return
        if t.parent in by_code:
            place(by_code[t.parent])
        placed.add(t.code)
        order.append(t)

    for t in rows:
        place(t)
    result = TreeImport()
    units: dict[str, Unit] = {}
    for t in order:
        parent = units.get(t.parent) or (Unit.objects.filter(code=t.parent).first() if t.parent else None)
        if not permissions.has(actor, permissions.MANAGE, parent) and not permissions.is_global_admin(actor):
            raise permissions.NotAllowed(
                f"{file_name}, dòng {t.row}: bạn không có quyền quản trị đơn vị dưới "
                f"'{parent.name if parent else 'gốc của cây'}'.",
                row=t.row,
                file=file_name,
            )
        existing = Unit.objects.filter(code=t.code).first()
        fields = {
            "name": t.name,
            "kind": t.kind,
            "short_name": t.short_name,
            "abbreviation": t.abbreviation,
            "aliases": t.aliases,
            "valid_from": t.valid_from,
            "valid_to": t.valid_to,
            "admin_code": t.admin_code,
        }
        if existing is None:
            units[t.code] = services.unit_create(
                actor=None, code=t.code, parent=parent, audit=False, **fields
            )
            record(
                actor=actor,
                action="create",
                obj=units[t.code],
                after={"code": t.code, **fields},
                reason=f"nhập cây đơn vị từ {file_name}",
            )
            result.created += 1
        else:
            changes = {k: v for k, v in fields.items() if getattr(existing, k) != v}
            if existing.parent_id != (parent.pk if parent else None):
                changes["parent"] = parent
            if changes:
                services.unit_update(
                    actor=actor, unit=existing, reason=f"nhập cây đơn vị từ {file_name}", **changes
                )
                result.updated += 1
            units[t.code] = existing
    for t in rows:
        if not t.successor:
            continue
        succ = units.get(t.successor) or Unit.objects.get(code=t.successor)
        effective = (
            (t.valid_to + dt.timedelta(days=1)) if t.valid_to else (succ.valid_from or dt.date.today())
        )
        if not UnitSuccession.objects.filter(predecessor=units[t.code], successor=succ).exists():
            services.unit_succeed(
                actor=None,
                predecessors=[units[t.code]],
                successor=succ,
                effective=effective,
                note="nhập cây đơn vị",
            )
            result.successions += 1
    if dry_run:
        transaction.set_rollback(True)
    return result


HEADER = [
    "Mã",
    "Tên",
    "Loại",
    "Cấp trên",
    "Tên ngắn",
    "Viết tắt",
    "Tên gọi khác",
    "Hiệu lực từ",
    "Hiệu lực đến",
    "Kế thừa bởi",
    "Mã hành chính",
]


def tree_export(*, actor, root: Unit | None, out) -> int:
    """The units the person sees (under ``root``) as a tree file that :func:`unit_tree_import` reads
    back: export, edit in Excel, import."""
    from chitieu.core.sheets import csv_row
    from chitieu.orgs.models import UnitSuccession

    qs = permissions.units_for(actor, permissions.VIEW)
    if root is not None:
        if not qs.filter(pk=root.pk).exists():
            raise permissions.NotAllowed(f"Bạn không có quyền xem {root.name}.")
        qs = qs.filter(path__startswith=root.path)
    succ = dict(
        UnitSuccession.objects.filter(primary=True, predecessor__in=qs).values_list(
            "predecessor_id", "successor__code"
        )
    )
    codes = dict(Unit.objects.values_list("id", "code"))
    writer = csv.writer(out)
    writer.writerow(HEADER)
    n = 0
    for u in qs.order_by("path").iterator():
        writer.writerow(
            csv_row(
                [
                    u.code,
                    u.name,
                    u.kind,
                    codes.get(u.parent_id, ""),
                    u.short_name,
                    u.abbreviation,
                    "; ".join(u.aliases or []),
                    u.valid_from.strftime("%d/%m/%Y") if u.valid_from else "",
                    u.valid_to.strftime("%d/%m/%Y") if u.valid_to else "",
                    succ.get(u.pk, ""),
                    u.admin_code,
                ]
            )
        )
        n += 1
    return n
