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

import codecs
import csv
import datetime as dt
import hashlib
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from chitieu.audit.services import record
from chitieu.core import vntext
from chitieu.dossiers import store
from chitieu.dossiers.fields import check_mapping, propose_mapping
from chitieu.dossiers.models import DossierImport, ImportStatus, MappingProfile
from chitieu.dossiers.normalize import lit, staging_sql
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit

Progress = Callable[[str, int, int], None]
MAX_ERRORS_KEPT = 200
MAX_UPLOAD_BYTES = 2 * 1024**3


class DossierImportError(ValueError):
    """A file or mapping that cannot be imported; the message names the file and the problem."""


def _noop(phase: str, done: int, total: int) -> None:
    return None


# --- reading the file's shape -------------------------------------------------------------------
def _is_xlsx(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"PK"


def _check_xlsx(path: Path, name: str) -> None:
    """A zip bomb disguised as a spreadsheet is refused before openpyxl opens it."""
    import zipfile

    from chitieu.extraction.readers import MAX_ZIP_ENTRIES, MAX_ZIP_UNCOMPRESSED

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise DossierImportError(f"{name}: tệp Excel hỏng hoặc bị cắt cụt.")
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_ZIP_UNCOMPRESSED * 5:
        raise DossierImportError(f"{name}: dung lượng giải nén quá lớn, nghi là tệp độc hại (zip bomb).")
    if any(i.flag_bits & 0x1 for i in infos):
        raise DossierImportError(f"{name}: tệp có mật khẩu, hãy gỡ mật khẩu rồi tải lên lại.")


def _refuse_non_csv(path: Path, name: str) -> None:
    """Files that are neither CSV nor .xlsx, named for what they are, with what to do instead."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise DossierImportError(
            f"{name}: tệp Excel 97-2003 (.xls) chưa được hỗ trợ; hãy mở bằng Excel và lưu thành .xlsx hoặc CSV."
        )
    if (
        head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")
        .lower()
        .startswith((b"<!doctype", b"<html", b"<table", b"<?xml"))
    ):
        raise DossierImportError(
            f"{name}: tệp là trang HTML/XML mang đuôi bảng tính; hãy mở bằng Excel và lưu thành .xlsx hoặc CSV."
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # Excel's "Unicode text": UTF-16, read below
    if b"\x00" in head.split(b"\n", 1)[0]:
        raise DossierImportError(f"{name}: không phải tệp CSV hay Excel (.xlsx) (nội dung nhị phân).")


def _encoding(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text" (tab separated)
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a character cut at the end of the sample
            return "utf-8"
        return "cp1258"  # Vietnamese Windows code page


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


def read_headers(path: Path, name: str) -> list[str]:
    try:
        if _is_xlsx(path):
            from openpyxl import load_workbook

            _check_xlsx(path, name)
            with open(path, "rb") as fh:  # a file object: the stored copy has no .xlsx suffix
                wb = load_workbook(fh, read_only=True, data_only=True)
                try:
                    ws = wb.worksheets[0]
                    first = next(ws.iter_rows(max_row=1, values_only=True), ())
                finally:
                    wb.close()
            headers = [vntext.nfc(str(c).strip()) if c is not None else "" for c in first]
        else:
            _refuse_non_csv(path, name)
            enc = _encoding(path)
            with open(path, encoding=enc, newline="") as fh:
                line = fh.readline()
            headers = [vntext.nfc(h.strip()) for h in next(csv.reader([line], delimiter=_delimiter(line)))]
    except DossierImportError:
        raise
    except Exception as exc:
        raise DossierImportError(f"{name}: không đọc được dòng tiêu đề ({exc.__class__.__name__}).")
    if not any(headers):
        raise DossierImportError(f"{name}: tệp không có dòng tiêu đề.")
    seen = set()
    for h in headers:
        if h and h in seen:
            raise DossierImportError(f"{name}: cột '{h}' xuất hiện hai lần ở dòng tiêu đề.")
        seen.add(h)
    return headers


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


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
    headers = read_headers(path, file_name)
    if profile is not None:
        mapping = dict(profile.mapping)
    proposed = mapping if mapping is not None else propose_mapping(headers)
    imp = DossierImport(
        file_name=file_name[:255],
        sha256=_sha256(path),
        size=size,
        headers=headers,
        mapping=proposed,
        profile=profile,
        on_error=on_error,
        engine=store.engine_name(),
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
        profile, _ = MappingProfile.objects.update_or_create(
            name=save_as.strip()[:120],
            defaults={
                "mapping": imp.mapping,
                "created_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        imp.profile = profile
    imp.save(update_fields=["mapping", "profile"])
    return imp


# --- 2. check ------------------------------------------------------------------------------------
def _source_path(imp: DossierImport) -> Path:
    if imp.file:
        return Path(imp.file.path)
    return Path(imp.message.removeprefix("Tệp gốc: ").strip())


def _as_utf8_csv(src: Path, name: str, tmpdir: Path, progress: Progress) -> tuple[Path, str]:
    """(a UTF-8 CSV of the data, its delimiter): XLSX converted row by row, other code pages
    transcoded; a UTF-8 CSV is read where it is."""
    if _is_xlsx(src):
        from openpyxl import load_workbook

        out = tmpdir / "data.csv"
        with open(src, "rb") as fin:
            wb = load_workbook(fin, read_only=True, data_only=True)
            try:
                ws = wb.worksheets[0]
                total = ws.max_row or 0
                with open(out, "w", encoding="utf-8", newline="") as fh:
                    w = csv.writer(fh)
                    for i, row in enumerate(ws.iter_rows(values_only=True)):
                        w.writerow([_cell_text(v) for v in row])
                        if i % 20000 == 0:
                            progress("Đọc tệp Excel", i, total)
            finally:
                wb.close()
        return out, ","
    enc = _encoding(src)
    with open(src, encoding=enc, newline="") as fh:
        delim = _delimiter(fh.readline())
    if enc in ("utf-8", "utf-8-sig"):
        return src, delim
    out = tmpdir / "data.csv"
    # Windows-1258 writes tone marks as combining characters: recompose them (NFC), line by line
    with open(src, encoding=enc, newline="") as fin, open(out, "w", encoding="utf-8", newline="") as fout:
        for line in fin:
            fout.write(vntext.nfc(line))
    return out, delim


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _allowed_units(actor) -> set[int] | None:
    """The units whose data ``actor`` may enter (None = every unit)."""
    if permissions.is_global_admin(actor):
        return None
    return set(permissions.units_for(actor, permissions.ENTER).values_list("id", flat=True))


def _unit_keys(actor) -> tuple[dict[str, int], set[int] | None]:
    """Accent-folded codes, administrative codes and names of units -> unit id (a name shared by
    several units resolves to the one the user may enter, else is left out: use the code); and
    the units the user may enter (None = every unit)."""
    allowed = _allowed_units(actor)
    keys: dict[str, set[int]] = {}
    for uid, code, admin_code, name, short, aliases in Unit.objects.values_list(
        "id", "code", "admin_code", "name", "short_name", "aliases"
    ):
        for k in (code, admin_code, name, short, *(aliases or [])):
            if k:
                keys.setdefault(vntext.fold(str(k)), set()).add(uid)
    out = {}
    for k, ids in keys.items():
        if len(ids) > 1 and allowed is not None:
            ids = ids & allowed or ids
        if len(ids) == 1:
            out[k] = next(iter(ids))
    return out, allowed


def _code_tables(con: duckdb.DuckDBPyConnection, csv_rel: str, mapping: dict[str, str], actor) -> None:
    """Read each coded column's distinct spellings once, decide them in Python (:mod:`.codes`),
    and give DuckDB the decisions as small tables to join."""
    import pyarrow as pa

    from chitieu.dossiers.codes import PARSERS
    from chitieu.dossiers.fields import BY_NAME
    from chitieu.dossiers.normalize import code_table, coded_fields, q

    names = coded_fields(mapping)
    lists = (
        con.execute(
            "SELECT "
            + ", ".join(f"list(DISTINCT NULLIF(trim({q(mapping[n])}), ''))" for n in names)
            + f" FROM {csv_rel}"
        ).fetchall()[0]
        if names
        else []
    )
    unit_keys, allowed = _unit_keys(actor)
    for n, values in zip(names, lists, strict=True):
        values = [v for v in (values or []) if v is not None]
        kind = BY_NAME[n].kind
        if kind == "unit":
            vals = [unit_keys.get(vntext.fold(v)) for v in values]
            typ = pa.int64()
        else:
            vals = [PARSERS[kind](v) for v in values]
            typ = pa.bool_() if kind == "bool" else pa.string()
        table = pa.table({"raw": pa.array(values, pa.string()), "val": pa.array(vals, typ)})
        con.register(f"{code_table(n)}_in", table)
        con.execute(f"CREATE TABLE {code_table(n)} AS SELECT * FROM {code_table(n)}_in")
    if "unit" not in names:
        con.execute("CREATE TABLE code_unit (raw VARCHAR, val BIGINT)")
    allowed_table = pa.table(
        {"unit_id": pa.array([None] if allowed is None else sorted(allowed), pa.int64())}
    )
    con.register("allowed_in", allowed_table)
    con.execute("CREATE TABLE allowed_units AS SELECT * FROM allowed_in")


def import_check(*, actor, imp: DossierImport, progress: Progress = _noop) -> DossierImport:
    started = time.perf_counter()
    problems = check_mapping(imp.mapping, imp.headers)
    if problems:
        raise DossierImportError(f"{imp.file_name}: " + " ".join(problems))
    _set(imp, status=ImportStatus.CHECKING, phase="Đọc tệp", progress=5)
    src = _source_path(imp)
    if not src.exists():
        raise DossierImportError(f"{imp.file_name}: không còn tệp gốc để đọc.")
    tmpdir = store.root() / "tmp" / f"import-{imp.pk}"
    tmpdir.mkdir(parents=True, exist_ok=True)
    staged = store.staging_file(imp.pk)
    con = store.duck()
    try:
        data, delim = _as_utf8_csv(src, imp.file_name, tmpdir, progress)
        _set(imp, phase="Kiểm tra từng dòng", progress=30)
        progress("Kiểm tra từng dòng", 0, 0)
        csv_rel = (
            f"read_csv({lit(str(data))}, all_varchar=true, header=true, delim={lit(delim)}, quote='\"', "
            f"escape='\"', null_padding=true, strict_mode=false, names={_names(imp.headers)})"
        )
        _code_tables(con, csv_rel, imp.mapping, actor)
        source = f"(SELECT *, row_number() OVER () AS _row FROM {csv_rel})"
        sql = staging_sql(imp.mapping, source=source, import_id=imp.pk)
        con.execute(f"COPY ({sql}) TO {lit(str(staged))} (FORMAT parquet, COMPRESSION zstd)")
        total, bad = con.execute(
            f"SELECT count(*), count(error) FROM read_parquet({lit(str(staged))})"
        ).fetchall()[0]
        errors = con.execute(
            f"SELECT source_row + 1, error FROM read_parquet({lit(str(staged))}) WHERE error IS NOT NULL "
            f"ORDER BY source_row LIMIT {MAX_ERRORS_KEPT}"
        ).fetchall()
        con.close()
        _set(imp, phase="Đối chiếu với kho hồ sơ", progress=50)
        clash = store.conflicts(staged, engine=imp.engine, allowed=_allowed_units(actor))
    except duckdb.Error as exc:
        _set(imp, status=ImportStatus.FAILED, phase="", message=_duck_message(imp.file_name, exc))
        raise DossierImportError(imp.message)
    finally:
        con.close()
        for f in tmpdir.glob("*"):
            f.unlink()
        tmpdir.rmdir()
    bad = int(bad) + clash.total
    lines = _conflict_lines(actor, clash)
    errors = sorted(
        lines[: MAX_ERRORS_KEPT // 2]
        + [[int(r), str(m)] for r, m in errors][: MAX_ERRORS_KEPT - min(len(lines), MAX_ERRORS_KEPT // 2)]
    )
    _set(
        imp,
        status=ImportStatus.CHECKED,
        phase="Đã kiểm tra",
        progress=60,
        rows_total=int(total),
        rows_bad=bad,
        rows_good=int(total) - bad,
        rows_conflict=clash.total,
        conflicts={"takeovers": clash.takeovers, "moves": clash.moves, "rows": lines},
        errors=errors,
        message=_conflict_message(clash) if imp.file else imp.message,  # else it names the source file
        seconds=time.perf_counter() - started,
    )
    progress("Đã kiểm tra", int(total), int(total))
    return imp


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
        out.append([row + 1, why])
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


def _names(headers: list[str]) -> str:
    # the file's own header row, deduplicated names kept as read (blank headers get a placeholder)
    names = [h or f"_cot_{i + 1}" for i, h in enumerate(headers)]
    return "[" + ", ".join(lit(n) for n in names) + "]"


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
        return imp
    started = time.perf_counter()
    _set(imp, status=ImportStatus.IMPORTING, phase="Ghi vào kho hồ sơ", progress=70)
    progress("Ghi vào kho hồ sơ", 0, imp.rows_good)
    try:
        merged = store.merge(
            staged,
            engine=imp.engine,
            allowed=_allowed_units(actor),
            move=move_units,
            skip_blocked=good_ok,
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
