"""The dossier sync record of provincial one-stop-shop systems (pure Python, no Django).

Provinces' one-stop-shop systems send each dossier to the national public-service portal as one
JSON record; the same records come back in exports and archives, as a JSON array, an envelope
(``{"error_code": "0", "data": [...]}``) or JSON Lines (one record per line). The shape accepted
here is written down in ``docs/dossiers.md``; in short, one record per dossier::

    {"MaHoSo": "000.00.12.H12-240105-0001", "MaTTHC": "1.004227", "TenTTHC": "...",
     "KenhThucHien": "2", "MucDo": "4", "DonViXuLy": "UBND xã An Bình", "MaDonVi": "...",
     "NgayTiepNhan": "20240105080000", "NgayHenTra": "20240115170000",
     "NgayKetThucXuLy": "20240110100000", "NgayTra": "...", "TrangThaiHoSo": "10",
     "DuocThanhToanTrucTuyen": "1", "HoSoCoThanhPhanSoHoa": "1",
     "TaiLieuNop": [{"TenTepDinhKem": "...", "DuocSoHoa": "1", "DuocTaiSuDung": "0", "IsDeleted": "0"}],
     "DanhSachLePhi": [{"TenPhiLePhi": "...", "Gia": "50000", "HinhThucThu": "..."}],
     "DanhSachHoSoBoSung": [{"NgayBoSung": "...", "NgayTiepNhanBoSung": "...",
                             "NgayHenTraTruoc": "...", "NgayHenTraMoi": "..."}],
     "DanhSachGiayToKetQua": [{"TenGiayTo": "...", "DuongDanTepTinKetQua": "..."}],
     "QuaTrinhXuLy": [{"TrangThai": "9", "ThoiDiemXuLy": "20240110100000"}]}

A record may also be wrapped as ``{"hoSo": {...}, "tienTrinhDongBo": [...]}`` (the record and
its processing history side by side). Keys are matched without regard to case (``maHoSo``).

:func:`flatten` turns each record into one row of :data:`COLUMNS` (a CSV the import then reads
like any export, with the same mapping profiles):

* digitised: every attached document (``TaiLieuNop``, deleted ones left out) is digitised
  (``DuocSoHoa``); with no document list, ``HoSoCoThanhPhanSoHoa``;
* data reuse: at least one document re-uses digitised data (``DuocTaiSuDung`` 1 or 2, or taken
  from the national document store, ``DuocLayTuKhoDMQG``);
* electronic result: a result document with a file (``DanhSachGiayToKetQua``);
* fees: the sum of ``Gia`` over ``DanhSachLePhi``; a fee is due when that sum is above 0;
* supplement requests (``DanhSachHoSoBoSung``): their number, and the days they extend the due
  date (``NgayHenTraMoi - NgayHenTraTruoc``, else ``NgayTiepNhanBoSung - NgayBoSung``); the due
  date is the one first given (``NgayHenTraTruoc`` of the first request, else ``NgayHenTra``);
* end of processing: ``NgayKetThucXuLy``, else the first history step "Đã xử lý xong" (9), else
  "Đã trả kết quả" (10), else "Dừng xử lý" (8), "Không được tiếp nhận" (3) or "Rút hồ sơ" (7);
  the state, when absent, is the last step's;
* synced: a sync record is synced unless it says otherwise (``TrangThaiDongBoDVC`` 0).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

MAX_DOCUMENT_BYTES = 256 * 1024 * 1024  # an envelope or a single document is read whole
ENVELOPE_KEYS = ("data", "hoso", "danhsachhoso", "items", "records", "result", "ketqua")

COLUMNS = [
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "MucDo",
    "KenhThucHien",
    "DonViXuLy",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "TrangThaiHoSo",
    "Số lần bổ sung",
    "Số ngày bổ sung",
    "Số hóa hồ sơ",
    "Tái sử dụng dữ liệu",
    "Kết quả điện tử",
    "Số hóa kết quả",
    "Có phí, lệ phí",
    "Phí, lệ phí",
    "DuocThanhToanTrucTuyen",
    "Đồng bộ DVCQG",
]


class SyncError(ValueError):
    pass


def looks_like_json(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"[", b"{")


def _lower(d: dict) -> dict:
    return {str(k).lower(): v for k, v in d.items()}


def _truthy(v) -> bool:
    return str(v).strip().lower() in ("1", "2", "true", "yes", "co", "có", "x")


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    return str(v).strip()


def _date(v) -> dt.datetime | None:
    s = _text(v)
    if not s:
        return None
    for fmt in ("%Y%m%d%H%M%S", "%Y%m%d", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(s, fmt)
        except ValueError:
            pass
    try:
        d = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
        return d.replace(tzinfo=None)
    except ValueError:
        return None


def _money(v) -> Decimal | None:
    s = _text(v).replace(" ", "").replace("đ", "").replace("VNĐ", "").replace("VND", "")
    if not s:
        return None
    if s.count(".") > 1 or (s.count(".") == 1 and len(s.split(".")[1]) == 3 and "," not in s):
        s = s.replace(".", "")
    s = s.replace(",", ".") if s.count(",") == 1 and len(s.split(",")[1]) != 3 else s.replace(",", "")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def _list(rec: dict, *names: str) -> list[dict] | None:
    for n in names:
        v = rec.get(n.lower())
        if isinstance(v, dict):  # {"TaiLieuNop": [...]} wrappers of the XML-born shape
            inner = [x for x in v.values() if isinstance(x, list)]
            v = inner[0] if inner else [v]
        if isinstance(v, list):
            return [_lower(x) for x in v if isinstance(x, dict)]
    return None


def flatten_record(raw: dict) -> list[str]:
    """One sync record -> one row of :data:`COLUMNS`."""
    rec = _lower(raw)
    history = _list(rec, "tienTrinhDongBo", "QuaTrinhXuLy", "QuaTrinhXuLyHoSos", "TienTrinhXuLy")
    if isinstance(rec.get("hoso"), dict):
        rec = _lower(rec["hoso"])
        history = history or _list(rec, "QuaTrinhXuLy", "QuaTrinhXuLyHoSos", "TienTrinhXuLy")
    g = lambda *names: next((_text(rec[n.lower()]) for n in names if _text(rec.get(n.lower()))), "")  # noqa: E731

    docs = [d for d in (_list(rec, "TaiLieuNop") or []) if not _truthy(d.get("isdeleted", "0"))]
    if docs:
        digitised = "1" if all(_truthy(d.get("duocsohoa")) for d in docs) else "0"
    else:
        digitised = "1" if _truthy(g("HoSoCoThanhPhanSoHoa")) else ("0" if g("HoSoCoThanhPhanSoHoa") else "")
    reuse = (
        "1"
        if any(_truthy(d.get("duoctaisudung")) or _truthy(d.get("duoclaytukhodmqg")) for d in docs)
        else "0"
    )

    results = _list(rec, "DanhSachGiayToKetQua", "GiayToKetQua") or []
    e_result = "1" if any(_text(r.get("duongdanteptinketqua")) for r in results) else "0"

    fees = _list(rec, "DanhSachLePhi", "LePhi")
    if fees is None:
        fee_amount, has_fee = "", ""
    else:
        total = sum((_money(f.get("gia")) or Decimal(0)) for f in fees)
        whole = total == total.to_integral_value()
        fee_amount = str(int(total)) if whole else format(total, "f")
        has_fee = "1" if total > 0 else "0"

    due = g("NgayHenTra")
    supp = _list(rec, "DanhSachHoSoBoSung", "HoSoBoSung") or []
    days = 0
    for i, s in enumerate(supp):
        before, after = _date(s.get("ngayhentratruoc")), _date(s.get("ngayhentramoi"))
        if i == 0 and _text(s.get("ngayhentratruoc")):
            due = _text(s.get("ngayhentratruoc"))
        if before and after:
            days += max((after.date() - before.date()).days, 0)
        else:
            asked, back = _date(s.get("ngaybosung")), _date(s.get("ngaytiepnhanbosung"))
            if asked and back:
                days += max((back.date() - asked.date()).days, 0)

    finished, returned, state = g("NgayKetThucXuLy"), g("NgayTra"), g("TrangThaiHoSo")
    if history:
        steps = [(_text(h.get("trangthai")), _text(h.get("thoidiemxuly"))) for h in history]
        if not finished:
            for code in ("9", "10", "8", "3", "7"):
                at = next((t for c, t in steps if c == code and t), "")
                if at:
                    finished = at
                    break
        if not returned:
            returned = next((t for c, t in steps if c == "10" and t), "")
        if not state and steps:
            state = steps[-1][0]
    sync_flag = g("TrangThaiDongBoDVC", "DaDongBo")
    synced = "0" if sync_flag in ("0", "false", "False") else "1"
    return [
        g("MaHoSo", "SoHoSo"),
        g("MaTTHC", "MaThuTuc"),
        g("TenTTHC", "TenThuTuc"),
        g("MucDo", "MucDoDVC"),
        g("KenhThucHien", "HinhThuc"),
        g("MaDonVi", "MaCoQuan", "MaDonViXuLy", "DonViXuLy", "TenDonVi"),
        g("NgayTiepNhan", "NgayNopHoSo"),
        due,
        finished,
        returned,
        state,
        str(len(supp)) if supp else "0",
        str(days),
        digitised,
        reuse,
        e_result,
        e_result,
        has_fee,
        fee_amount,
        "1" if g("DuocThanhToanTrucTuyen").lower() in ("1", "true") else "0",  # 1 = paid online
        synced,
    ]


def _records_from_array(path: Path) -> Iterator[object]:
    """The elements of a top-level JSON array, decoded one at a time (bounded memory)."""
    dec = json.JSONDecoder()
    with open(path, encoding="utf-8-sig") as fh:
        buf = fh.read(1 << 20).lstrip()
        if not buf.startswith("["):
            raise SyncError("không phải mảng JSON")
        pos, eof = 1, False
        while True:
            while True:
                while pos < len(buf) and buf[pos] in " \t\r\n,":
                    pos += 1
                if pos < len(buf) or eof:
                    break
                more = fh.read(1 << 20)
                eof = not more
                buf, pos = buf[pos:] + more, 0
            if pos >= len(buf):
                raise SyncError("mảng JSON không kết thúc")
            if buf[pos] == "]":
                return
            try:
                obj, end = dec.raw_decode(buf, pos)
            except json.JSONDecodeError:
                if eof:
                    raise
                more = fh.read(1 << 20)
                eof = not more
                buf, pos = buf[pos:] + more, 0
                continue
            yield obj
            pos = end


def records(path: Path) -> Iterator[object]:
    """Every record of a JSON array, an envelope, a single record or JSON Lines."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 16).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] == b"[":
        yield from _records_from_array(path)
        return
    first_line = head.split(b"\n", 1)[0].strip()
    try:
        json.loads(first_line)
        is_lines = b"\n" in head.strip()
    except ValueError:
        is_lines = False
    if is_lines:
        with open(path, encoding="utf-8-sig") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)
        return
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise SyncError("tệp JSON một khối quá lớn (tối đa 256 MB); hãy xuất dạng mảng hoặc JSON Lines")
    with open(path, encoding="utf-8-sig") as fh:
        doc = json.load(fh)
    if isinstance(doc, dict):
        low = _lower(doc)
        for k in ENVELOPE_KEYS:
            if isinstance(low.get(k), list):
                yield from low[k]
                return
        yield doc
        return
    raise SyncError("JSON không chứa bản ghi hồ sơ nào")


def flatten(path: Path, out: Path, name: str) -> int:
    """Write the records of ``path`` as a CSV of :data:`COLUMNS`; returns how many."""
    n = 0
    try:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(COLUMNS)
            for n, rec in enumerate(records(path), start=1):
                if not isinstance(rec, dict):
                    raise SyncError(f"bản ghi {n} không phải một đối tượng JSON")
                w.writerow(flatten_record(rec))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SyncError(f"{name}: JSON không hợp lệ sau bản ghi {n} ({str(exc)[:120]}).") from None
    except SyncError as exc:
        raise SyncError(f"{name}: {exc}.") from None
    except RecursionError:
        raise SyncError(f"{name}: JSON lồng quá sâu.") from None
    if n == 0:
        raise SyncError(f"{name}: JSON không có bản ghi hồ sơ nào.")
    return n


def probe(path: Path, name: str) -> None:
    """A cheap check at upload: the first record decodes and looks like a dossier."""
    try:
        first = next(iter(records(path)), None)
    except (ValueError, SyncError) as exc:
        raise SyncError(f"{name}: JSON không hợp lệ ({str(exc)[:120]}).") from None
    if not isinstance(first, dict):
        raise SyncError(f"{name}: JSON không có bản ghi hồ sơ nào.")
    rec = _lower(first)
    if isinstance(rec.get("hoso"), dict):
        rec = _lower(rec["hoso"])
    if not any(k in rec for k in ("mahoso", "sohoso")):
        raise SyncError(
            f"{name}: bản ghi JSON đầu tiên không có trường MaHoSo; cần bản ghi đồng bộ hồ sơ "
            "(MaHoSo, MaTTHC, NgayTiepNhan, NgayHenTra, TrangThaiHoSo, DonViXuLy ...)."
        )
