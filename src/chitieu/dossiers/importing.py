"""Import one-stop-shop dossier exports (CSV or XLSX), millions of rows, in bounded memory.

1. :func:`import_create` keeps the file and proposes a column mapping (or takes a saved profile).
2. :func:`import_check` parses every row in DuckDB (see :mod:`.normalize`) into a staged columnar
   file, counting good and bad rows and keeping the first bad ones with their row number and reason.
3. :func:`import_commit` merges the good rows into the store, unless the user chose "all or nothing"
   and some rows are bad. Re-importing the same or an overlapping file updates (dossier id is the key).

A stored dossier belongs to its unit: a row whose id is already stored under another unit is an
ownership conflict (listed with the bad rows, counted in ``rows_conflict``), never a silent move
nor a takeover; see :mod:`.store`. A person allowed to enter data for both units may ask for the
move at commit (``move_units``), and the change record names how many dossiers moved.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from chitieu.audit.services import record
from chitieu.core.errors import Invalid
from chitieu.dossiers import codes, layout, sources, store, units
from chitieu.dossiers.fields import BY_NAME, check_mapping, propose_mapping
from chitieu.dossiers.models import DossierImport, ImportStatus, MappingProfile
from chitieu.dossiers.normalize import (
    CODED,
    FREE,
    SEP,
    checked_sql,
    coded_fields,
    free_fields,
    lit,
    stage_sql,
    value_table,
)
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit

Progress = Callable[[str, int, int], None]
MAX_ERRORS_KEPT = 200
INLINE_MAX = 64  # a coded column with at most this many spellings is decided inline (no join)
MAX_UPLOAD_BYTES = 2 * 1024**3


class DossierImportError(Invalid):
    """A file or mapping that cannot be imported; the message names the file and the problem."""


def _noop(phase: str, done: int, total: int) -> None:
    return None


def _sha256(path: Path) -> tuple[str, bool]:
    """The file's SHA-256, and whether an empty line sits inside it (one pass over the bytes;
    DuckDB skips empty lines, so such a CSV is rewritten to keep the row numbers)."""
    h = hashlib.sha256()
    empty = False
    tail = b""
    with open(path, "rb") as fh:
        while block := fh.read(1 << 22):
            h.update(block)
            if not empty:
                edge = tail + block[:2]
                if b"\n\n" in block or b"\n\r\n" in block or b"\n\n" in edge or b"\n\r\n" in edge:
                    window = tail + block
                    body = window if fh.peek(1) else window.rstrip(b"\r\n")
                    empty = b"\n\n" in body or b"\n\r\n" in body
            tail = block[-2:]
    return h.hexdigest(), empty


def read_headers(path: Path, name: str) -> list[str]:
    """The column names of the dossier table in the file (title rows, two-row headers ... found)."""
    try:
        return sources.inspect(path, name)["headers"]
    except sources.SourceError as exc:
        raise DossierImportError(str(exc))


# --- 1. create -----------------------------------------------------------------------------------
def import_create(
    *,
    actor,
    path: Path,
    file_name: str,
    keep_copy: bool = True,
    mapping: dict[str, str] | None = None,
    profile: MappingProfile | None = None,
    on_error: str = "skip",
) -> DossierImport:
    if not permissions.units_for(actor, permissions.ENTER).exists():
        raise permissions.NotAllowed("Bạn không có quyền nhập số liệu của đơn vị nào.")
    if on_error not in ("skip", "abort"):
        raise DossierImportError(f"Cách xử lý dòng lỗi '{on_error}' không hợp lệ (skip hoặc abort).")
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise DossierImportError(f"{file_name}: tệp rỗng.")
    if keep_copy and size > MAX_UPLOAD_BYTES:  # a browser upload; the CLI reads files of any size in place
        raise DossierImportError(
            f"{file_name}: tệp quá lớn để tải lên (tối đa 2 GB); hãy chia theo tháng hoặc dùng lệnh chitieu dossiers import."
        )
    try:
        info = sources.inspect(
            path, file_name, profile_headers=list(profile.mapping.values()) if profile is not None else None
        )
    except sources.SourceError as exc:
        raise DossierImportError(str(exc))
    sha, empty_lines = _sha256(path)
    info["empty_lines"] = empty_lines
    headers = info["headers"]
    if profile is not None:
        mapping = {k: v for k, v in profile.mapping.items() if v in headers} or dict(profile.mapping)
    proposed = mapping if mapping is not None else propose_mapping(headers)
    skipped_top = [r for r in info["skipped"] if r[1] != "header"]
    imp = DossierImport(
        file_name=file_name[:255],
        sha256=sha,
        size=size,
        headers=headers,
        layout=info,
        mapping=proposed,
        values=dict(profile.values) if profile is not None else {},
        profile=profile,
        on_error=on_error,
        engine=store.engine_name(),
        rows_layout=len(skipped_top),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if keep_copy:
        with open(path, "rb") as fh:
            imp.file.save("upload", File(fh), save=False)
    else:
        imp.message = f"Tệp gốc: {path}"
    imp.save()
    record(actor=actor, action="create", obj=imp, after={"file": imp.file_name, "sha256": imp.sha256})
    return imp


def import_set_mapping(
    *, actor, imp: DossierImport, mapping: dict[str, str], save_as: str = ""
) -> DossierImport:
    problems = check_mapping(mapping, imp.headers)
    if problems:
        raise DossierImportError(f"{imp.file_name}: " + " ".join(problems))
    imp.mapping = {k: v for k, v in mapping.items() if v}
    if save_as.strip():
        imp.profile = _save_profile(actor, save_as, imp.mapping, imp.values)
    imp.save(update_fields=["mapping", "profile"])
    return imp


def _save_profile(actor, name: str, mapping: dict, values: dict) -> MappingProfile:
    profile, _ = MappingProfile.objects.update_or_create(
        name=name.strip()[:120],
        defaults={
            "mapping": mapping,
            "values": values,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    return profile


def import_set_values(
    *, actor, imp: DossierImport, values: dict[str, dict[str, object]], save_to_profile: bool = True
) -> DossierImport:
    """Say what spellings mean: ``{field: {spelling as written: meaning}}`` (see
    :data:`.codes.MEANINGS`; a unit id for the receiving unit; a date or number, or "" for
    "no value", for a date or number that did not parse). Kept on the import and, unless told
    otherwise, in its mapping profile, so that the next export of the same kind is understood.
    The import must be checked again (the export itself is not read again)."""
    if imp.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED):
        raise DossierImportError(f"{imp.file_name}: lần nhập này đã xong; tải tệp lên lại để sửa.")
    if (
        imp.created_by_id
        and getattr(actor, "pk", None) != imp.created_by_id
        and not permissions.is_global_admin(actor)
    ):
        raise permissions.NotAllowed("Chỉ người tải tệp lên mới sửa được cách hiểu giá trị.")
    merged = {k: dict(v) for k, v in (imp.values or {}).items()}
    for name, choices in values.items():
        f = BY_NAME.get(name)
        if f is None or f.kind not in CODED + FREE:
            raise DossierImportError(f"Trường '{name}' không nhận cách hiểu giá trị.")
        for spelling, choice in choices.items():
            try:
                value = codes.meaning(f.kind, choice)
            except codes.MeaningError as exc:
                raise DossierImportError(f'{f.label}, giá trị "{spelling}": {exc}')
            if f.kind == "unit":
                unit = Unit.objects.filter(pk=value).first()
                if unit is None or not permissions.has(actor, permissions.VIEW, unit):
                    raise DossierImportError(f'{f.label}, giá trị "{spelling}": không có đơn vị #{value}.')
            merged.setdefault(name, {})[codes.key(str(spelling))] = "" if choice is None else str(choice)
    imp.values = merged
    if save_to_profile and imp.profile is not None:
        imp.profile.values = {**(imp.profile.values or {}), **merged}
        imp.profile.save(update_fields=["values", "updated_at"])
    if imp.status == ImportStatus.CHECKED:
        imp.status = ImportStatus.UPLOADED
    imp.save(update_fields=["values", "status"])
    record(actor=actor, action="update", obj=imp, after={"values": merged}, reason="cách hiểu giá trị")
    return imp


# --- 2. check ------------------------------------------------------------------------------------
def _source_path(imp: DossierImport) -> Path:
    if imp.file:
        return Path(imp.file.path)
    return Path(imp.message.removeprefix("Tệp gốc: ").strip())


def _allowed_units(actor) -> set[int] | None:
    """The units whose data ``actor`` may enter (None = every unit)."""
    if permissions.is_global_admin(actor):
        return None
    return set(permissions.units_for(actor, permissions.ENTER).values_list("id", flat=True))


def _stage_key(imp: DossierImport) -> str:
    text = json.dumps(
        [imp.sha256, imp.mapping, {k: v for k, v in imp.layout.items() if k != "staged"}], sort_keys=True
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _stage(con, imp: DossierImport, src: Path, staged: Path, tmpdir: Path, progress: Progress) -> None:
    """The one pass over the export: its data rows -> the staged columnar file."""
    data, delim, skip = sources.materialise(src, imp.layout, imp.file_name, tmpdir, progress)
    names = [h or f"_cot_{i + 1}" for i, h in enumerate(imp.headers)]
    csv_rel = (
        f"read_csv({lit(str(data))}, all_varchar=true, header=false, skip={int(skip)}, delim={lit(delim)}, "
        f"quote='\"', escape='\"', null_padding=true, strict_mode=false, "
        f"names=[{', '.join(lit(n) for n in names)}])"
    )
    mapping = {k: names[imp.headers.index(v)] for k, v in imp.mapping.items() if v in imp.headers}
    sql = stage_sql(mapping, source=csv_rel, headers=names)
    con.execute(f"COPY ({sql}) TO {lit(str(staged))} (FORMAT parquet, COMPRESSION snappy)")


def _decide(con, imp: DossierImport, staged_rel: str, actor, allowed: set[int] | None) -> dict:
    """One small table per coded or free column: each distinct spelling, decided once (the
    person's choice first, then the rule book of :mod:`.codes`, then the unit resolver)."""
    import pyarrow as pa

    coded, free = coded_fields(imp.mapping), free_fields(imp.mapping)
    exprs = [f"list(DISTINCT {n})" for n in coded] + [f"list(DISTINCT {n}__raw)" for n in free]
    lists = con.execute(f"SELECT {', '.join(exprs)} FROM {staged_rel}").fetchall()[0] if exprs else []
    chosen = imp.values or {}
    inline: dict[str, list[tuple]] = {}
    for n, values in zip(coded + free, lists, strict=True):
        values = sorted(v for v in (values or []) if v is not None)
        kind = BY_NAME[n].kind
        mine = chosen.get(n, {})
        vals, known = [], []
        lvl = []
        if kind == "unit":
            matches = units.resolve(actor, [v for v in values if codes.key(v) not in mine], allowed=allowed)
            cands = []
            for v in values:
                if codes.key(v) in mine:
                    vals.append(int(mine[codes.key(v)]))
                    known.append(True)
                    cands.append(None)
                    continue
                m = matches[v]
                vals.append(m.unit_id)
                known.append(m.unit_id is not None)
                cands.append("; ".join(label for _, label in m.candidates) if m.ambiguous else None)
            table = pa.table(
                {
                    "raw": pa.array(values, pa.string()),
                    "val": pa.array(vals, pa.int64()),
                    "known": pa.array(known, pa.bool_()),
                    "ambiguous": pa.array([c is not None for c in cands], pa.bool_()),
                    "candidates": pa.array(cands, pa.string()),
                }
            )
        else:
            for v in values:
                k = codes.key(v)
                if k in mine:
                    decided = codes.meaning(kind, mine[k])
                    ok = True
                elif kind in FREE:
                    decided, ok = None, False
                else:
                    decided = codes.PARSERS[kind](v)
                    ok = decided is not None
                if kind == "bool" and decided is None:
                    ok = False
                vals.append(decided)
                known.append(ok)
                lvl.append(codes.level_of_channel(v) if kind == "channel" else None)
            typ = {
                "bool": pa.bool_(),
                "datetime": pa.timestamp("us"),
                "int": pa.int32(),
                "number": pa.decimal128(18, 2),
            }.get(kind, pa.string())
            if kind not in FREE and len(values) <= INLINE_MAX:
                inline[n] = list(zip(values, vals, known, lvl, strict=True))
                continue
            cols = {
                "raw": pa.array(values, pa.string()),
                "val": pa.array(vals, typ),
                "known": pa.array(known, pa.bool_()),
            }
            if kind == "channel":
                cols["lvl"] = pa.array(lvl, pa.string())
            if kind in FREE:  # only the spellings the person has decided
                keep = [i for i, ok in enumerate(known) if ok]
                cols = {c: a.take(pa.array(keep, pa.int64())) for c, a in cols.items()}
            table = pa.table(cols)
        con.register(f"{value_table(n)}_in", table)
        con.execute(f"CREATE OR REPLACE TABLE {value_table(n)} AS SELECT * FROM {value_table(n)}_in")
        con.unregister(f"{value_table(n)}_in")
    con.execute(
        f"CREATE OR REPLACE TABLE repeats AS SELECT code, min(file_row_number) AS first_idx FROM {staged_rel} "
        "WHERE code IS NOT NULL AND layout IS NULL GROUP BY code HAVING count(*) > 1"
    )
    return inline


def _checked(imp: DossierImport, staged: Path, allowed: set[int] | None, inline: dict) -> str:
    rel = f"read_parquet({lit(str(staged))}, file_row_number=true)"
    return checked_sql(
        imp.mapping,
        staged=rel,
        import_id=imp.pk,
        first_row=int(imp.layout.get("first_row", 2)),
        may_enter=store.may_sql(allowed, "u.val"),
        inline=inline,
    )


def import_check(*, actor, imp: DossierImport, progress: Progress = _noop) -> DossierImport:
    started = time.perf_counter()
    problems = check_mapping(imp.mapping, imp.headers)
    if problems:
        raise DossierImportError(f"{imp.file_name}: " + " ".join(problems))
    _set(imp, status=ImportStatus.CHECKING, phase="Đọc tệp", progress=5)
    src = _source_path(imp)
    tmpdir = store.root() / "tmp" / f"import-{imp.pk}"
    tmpdir.mkdir(parents=True, exist_ok=True)
    staged = store.staging_file(imp.pk)
    allowed = _allowed_units(actor)
    key = _stage_key(imp)
    con = store.duck()
    try:
        if not (staged.exists() and imp.layout.get("staged") == key):
            if not src.exists():
                raise DossierImportError(f"{imp.file_name}: không còn tệp gốc để đọc.")
            _set(imp, phase="Kiểm tra từng dòng", progress=20)
            progress("Kiểm tra từng dòng", 0, 0)
            staged.unlink(missing_ok=True)
            _stage(con, imp, src, staged, tmpdir, progress)
            imp.layout = {**imp.layout, "staged": key}
            DossierImport.objects.filter(pk=imp.pk).update(layout=imp.layout)
        _set(imp, phase="Đối chiếu giá trị và đơn vị", progress=45)
        staged_rel = f"read_parquet({lit(str(staged))}, file_row_number=true)"
        inline = _decide(con, imp, staged_rel, actor, allowed)
        checked_path = store.checked_file(imp.pk)
        con.execute(
            f"COPY ({_checked(imp, staged, allowed, inline)}) TO {lit(str(checked_path))} "
            "(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ROW_GROUP_SIZE 500000)"
        )
        checked = f"read_parquet({lit(str(checked_path))})"
        total, bad = con.execute(f"SELECT count(*), count(error) FROM {checked}").fetchall()[0]
        groups = con.execute(
            f"SELECT coalesce(error_key, error) AS k, count(*), min(source_row), min(error) FROM {checked} "
            f"WHERE error IS NOT NULL GROUP BY k ORDER BY min(source_row) LIMIT {MAX_ERRORS_KEPT}"
        ).fetchall()
        first_row = int(imp.layout.get("first_row", 2))
        body_layout = con.execute(
            f"SELECT file_row_number + {first_row}, layout, layout_text FROM {staged_rel} "
            f"WHERE layout IS NOT NULL ORDER BY 1 LIMIT {MAX_ERRORS_KEPT}"
        ).fetchall()
        body_layout_n = con.execute(f"SELECT count(*) FROM {staged_rel} WHERE layout IS NOT NULL").fetchall()[
            0
        ][0]
        con.close()
        clash = store.Conflicts()
        if total - bad and store.has_rows(imp.engine):
            _set(imp, phase="Đối chiếu với kho hồ sơ", progress=55)
            clash = store.conflicts(checked_path, engine=imp.engine, allowed=allowed, where="error IS NULL")
    except duckdb.Error as exc:
        _set(imp, status=ImportStatus.FAILED, phase="", message=_duck_message(imp.file_name, exc))
        raise DossierImportError(imp.message)
    except (sources.SourceError, codes.MeaningError) as exc:
        _set(imp, status=ImportStatus.FAILED, phase="", message=str(exc))
        raise DossierImportError(imp.message)
    finally:
        con.close()
        for f in tmpdir.glob("*"):
            f.unlink()
        tmpdir.rmdir()
    report = _report(imp, groups, body_layout, int(body_layout_n))
    bad = int(bad) + clash.total
    lines = _conflict_lines(actor, clash)
    errors = [[int(r), _group_line(m, int(n), int(r))] for _, n, r, m in groups]
    errors = sorted(
        lines[: MAX_ERRORS_KEPT // 2] + errors[: MAX_ERRORS_KEPT - min(len(lines), MAX_ERRORS_KEPT // 2)]
    )
    top = [r for r in imp.layout.get("skipped", []) if r[1] != "header"]
    _set(
        imp,
        status=ImportStatus.CHECKED,
        phase="Đã kiểm tra",
        progress=60,
        rows_total=int(total),
        rows_bad=bad,
        rows_good=int(total) - bad,
        rows_conflict=clash.total,
        rows_layout=len(top) + int(body_layout_n),
        conflicts={"takeovers": clash.takeovers, "moves": clash.moves, "rows": lines},
        report=report,
        errors=errors,
        message=_conflict_message(clash) if imp.file else imp.message,  # else it names the source file
        seconds=time.perf_counter() - started,
    )
    progress("Đã kiểm tra", int(total), int(total))
    return imp


def _group_line(message: str, n: int, row: int) -> str:
    dots = lambda x: f"{x:,}".replace(",", ".")  # noqa: E731
    return message if n == 1 else f"{message} ({dots(n)} dòng, dòng đầu {dots(row)})"


def _report(imp: DossierImport, groups, body_layout, body_layout_n: int) -> dict:
    """What the person needs to see before anything is written: the rows skipped as layout and
    why, each unknown spelling once (value, column, rows), each shared unit name with its
    candidates."""
    skipped = [
        [int(row), reason, layout.REASONS.get(reason, reason), ""]
        for row, reason in imp.layout.get("skipped", [])
    ]
    skipped += [
        [int(row), reason, layout.REASONS.get(reason, reason), text or ""]
        for row, reason, text in body_layout
    ]
    unknown, ambiguous = [], []
    for k, n, row, message in groups:
        parts = str(k).split(SEP)
        if parts[0] == "v" and len(parts) == 3:
            f = BY_NAME[parts[1]]
            unknown.append(
                {
                    "field": f.name,
                    "label": f.label,
                    "column": imp.mapping.get(f.name, ""),
                    "value": parts[2],
                    "rows": int(n),
                    "first_row": int(row),
                    "kind": f.kind,
                    "choices": codes.MEANINGS.get(f.kind, {}),
                }
            )
        elif parts[0] == "a" and len(parts) == 2:
            ambiguous.append(
                {
                    "value": parts[1],
                    "column": imp.mapping.get("unit", ""),
                    "rows": int(n),
                    "first_row": int(row),
                    "message": message,
                }
            )
    return {
        "sheet": imp.layout.get("sheet_name", ""),
        "header_rows": imp.layout.get("header_rows", []),
        "layout_rows": skipped,
        "layout_rows_total": len([s for s in imp.layout.get("skipped", []) if s[1] != "header"])
        + body_layout_n,
        "unknown": unknown,
        "ambiguous": ambiguous,
    }


def _conflict_lines(actor, clash: store.Conflicts) -> list[list]:
    """[row, reason] per conflicting row, naming the stored unit only to someone who may see it."""
    ids = {u for _, _, stored, given, _ in clash.rows for u in (stored, given)}
    units = Unit.objects.in_bulk(ids)

    def name(uid: int) -> str:
        u = units.get(uid)
        if u is None or not permissions.has(actor, permissions.VIEW, u):
            return "một đơn vị khác"
        return f'"{u.display_name}"'

    out = []
    for row, code, stored, given, kind in clash.rows:
        if kind == "takeover":
            why = (
                f'mã hồ sơ "{code}" đã có trong kho, thuộc {name(stored)}: '
                "bạn không có quyền sửa hồ sơ của đơn vị đó"
            )
        else:
            why = (
                f'mã hồ sơ "{code}" đang thuộc {name(stored)}, tệp ghi {name(given)}: '
                "chỉ chuyển đơn vị khi bạn xác nhận chuyển"
            )
        out.append([row, why])
    return out


def _conflict_message(clash: store.Conflicts) -> str:
    parts = []
    if clash.takeovers:
        parts.append(
            f"{clash.takeovers} hồ sơ đã có trong kho thuộc đơn vị mà bạn không có quyền nhập: không nhập các dòng này"
        )
    if clash.moves:
        parts.append(
            f"{clash.moves} hồ sơ đã có trong kho thuộc đơn vị khác với đơn vị ghi trong tệp: "
            "không chuyển đơn vị nếu bạn không xác nhận chuyển"
        )
    return ("Xung đột đơn vị: " + "; ".join(parts) + ".") if parts else ""


def _duck_message(name: str, exc: Exception) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return f"{name}: không đọc được tệp CSV ({first[:200]})."


def _set(imp: DossierImport, **fields) -> None:
    for k, v in fields.items():
        setattr(imp, k, v)
    DossierImport.objects.filter(pk=imp.pk).update(**fields)


# --- 3. commit -----------------------------------------------------------------------------------
def import_commit(
    *,
    actor,
    imp: DossierImport,
    import_good: bool | None = None,
    move_units: bool = False,
    progress: Progress = _noop,
) -> DossierImport:
    """Write the good rows; with bad rows, only when ``import_good`` (or ``on_error == "skip"``).

    Rows whose dossier is stored under another unit are never written, except, with
    ``move_units``, those whose stored unit the person may also enter (the dossier moves)."""
    if imp.status != ImportStatus.CHECKED:
        raise DossierImportError(f"{imp.file_name}: chưa kiểm tra xong, chưa nhập được.")
    if (
        imp.created_by_id
        and getattr(actor, "pk", None) != imp.created_by_id
        and not permissions.is_global_admin(actor)
    ):
        raise permissions.NotAllowed("Chỉ người tải tệp lên mới quyết định nhập.")
    good_ok = import_good if import_good is not None else imp.on_error == "skip"
    staged = store.staging_file(imp.pk)
    moves = int((imp.conflicts or {}).get("moves", 0)) if move_units else 0
    if imp.rows_bad - moves and not good_ok:
        _set(
            imp,
            status=ImportStatus.CANCELLED,
            phase="",
            progress=100,
            finished_at=timezone.now(),
            message=f"Không nhập: {imp.rows_bad} dòng lỗi và đã chọn 'tất cả hoặc không'.",
        )
        staged.unlink(missing_ok=True)
        store.checked_file(imp.pk).unlink(missing_ok=True)
        return imp
    started = time.perf_counter()
    _set(imp, status=ImportStatus.IMPORTING, phase="Ghi vào kho hồ sơ", progress=70)
    progress("Ghi vào kho hồ sơ", 0, imp.rows_good)
    allowed = _allowed_units(actor)
    checked = store.checked_file(imp.pk)
    if not checked.exists():
        _set(
            imp,
            status=ImportStatus.FAILED,
            phase="",
            message=f"{imp.file_name}: kết quả kiểm tra không còn; hãy kiểm tra lại.",
        )
        raise DossierImportError(imp.message)
    try:
        merged = store.merge(
            checked,
            engine=imp.engine,
            allowed=allowed,
            move=move_units,
            skip_blocked=good_ok,
            where="error IS NULL",
        )
    except store.StoreConflict as exc:
        _set(
            imp,
            status=ImportStatus.FAILED,
            phase="",
            message=(
                f"{imp.file_name}: {exc.blocked} hồ sơ vừa được ghi cho đơn vị khác sau khi kiểm tra; "
                "không nhập gì. Hãy kiểm tra lại tệp."
            ),
        )
        raise DossierImportError(imp.message)
    except Exception as exc:
        _set(
            imp,
            status=ImportStatus.FAILED,
            message=f"{imp.file_name}: ghi kho hồ sơ không thành công ({exc.__class__.__name__}).",
        )
        raise DossierImportError(imp.message)
    with transaction.atomic():
        _set(
            imp,
            status=ImportStatus.DONE,
            phase="Xong",
            progress=100,
            rows_written=merged.written,
            finished_at=timezone.now(),
            seconds=imp.seconds + time.perf_counter() - started,
            message=_done_message(merged),
        )
        after = {"status": "done", "rows_written": merged.written, "rows_bad": imp.rows_bad}
        if merged.blocked:
            after["conflicts_skipped"] = merged.blocked
        if merged.moved:
            after["moved_between_units"] = merged.moved
        record(actor=actor, action="update", obj=imp, after=after, reason="nhập hồ sơ")
    staged.unlink(missing_ok=True)
    checked.unlink(missing_ok=True)
    progress("Xong", merged.written, merged.written)
    return imp


def _done_message(m: store.Merged) -> str:
    text = f"Đã nhập {m.written} hồ sơ"
    if m.moved:
        text += f", trong đó {m.moved} hồ sơ chuyển sang đơn vị ghi trong tệp theo xác nhận"
    if m.blocked:
        text += f"; bỏ qua {m.blocked} hồ sơ thuộc đơn vị khác (xung đột đơn vị)"
    return text + f"; kho có {m.store_rows} hồ sơ."


def import_run(
    *, actor, imp: DossierImport, move_units: bool = False, progress: Progress = _noop
) -> DossierImport:
    """Check, then commit according to ``imp.on_error`` (the CLI and the background task)."""
    import_check(actor=actor, imp=imp, progress=progress)
    return import_commit(actor=actor, imp=imp, move_units=move_units, progress=progress)
