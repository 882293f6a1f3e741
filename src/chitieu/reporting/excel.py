"""Excel round trip: a pre-filled template for a unit (or every unit under an aggregator) and a
period; the filled file comes back, every problem is listed with its sheet, cell and reason, and
nothing is written unless the whole file is valid. Re-uploading the same file changes nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from chitieu.core import sheets, vntext
from chitieu.core.numbers import NumberError, parse_number
from chitieu.core.periods import PeriodError
from chitieu.core.periods import parse as parse_period
from chitieu.extraction.errors import ReadError
from chitieu.extraction.readers import check_zip
from chitieu.indicators.models import Indicator, IndicatorKind
from chitieu.orgs.models import Unit
from chitieu.reporting import selectors
from chitieu.reporting.models import DataValue, Submission, ValueSource
from chitieu.reporting.services import ValueRow, values_save_many

SHEET = "Số liệu"
HEADERS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Kỳ",
    "Mã chỉ tiêu",
    "Chỉ tiêu",
    "Loại",
    "Tử số",
    "Mẫu số",
    "Giá trị",
    "Ghi chú",
    "Phiên bản",
]
_COL = {vntext.fold(h): i for i, h in enumerate(HEADERS)}
MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024


def _rows_for(user, unit: Unit, period: str, *, subtree: bool) -> list[tuple[Unit, Indicator]]:
    subs = selectors.visible_submissions(user).filter(period=period)
    subs = subs.filter(unit__path__startswith=unit.path) if subtree else subs.filter(unit=unit)
    seen, out = set(), []
    for s in subs.order_by("unit__path"):
        for t in selectors.submission_targets(s):
            if t.indicator_id and (s.unit_id, t.indicator_id) not in seen:
                seen.add((s.unit_id, t.indicator_id))
                out.append((s.unit, t.indicator))
    return out


def build_template(user, unit: Unit, period: str, *, subtree: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    p = parse_period(period)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DCE6F1")
    values = {(dv.unit_id, dv.indicator_id): dv for dv in DataValue.objects.filter(period=p.id)}
    for u, ind in _rows_for(user, unit, p.id, subtree=subtree):
        dv = values.get((u.pk, ind.pk))
        kind = (
            "tỷ lệ: nhập tử số và mẫu số"
            if ind.kind == IndicatorKind.RATIO
            else f"{ind.get_kind_display().lower()}: nhập giá trị"
        )
        sheets.append_row(
            ws,
            [
                u.code,
                u.name,
                p.id,
                ind.code,
                ind.name,
                kind,
                _num(dv.numerator) if dv else None,
                _num(dv.denominator) if dv else None,
                _num(dv.value) if dv else None,
                dv.comment if dv else "",
                dv.version if dv else 0,
            ],
        )
    widths = [14, 34, 9, 22, 60, 30, 12, 12, 12, 30, 10]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(65 + i)].width = w
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.protection = Protection(locked=c.column not in (7, 8, 9, 10))
            c.alignment = Alignment(wrap_text=c.column in (2, 5))
    dv_rule = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        error="Chỉ nhập số không âm.",
        errorTitle="Số liệu không hợp lệ",
    )
    ws.add_data_validation(dv_rule)
    if ws.max_row >= 2:
        dv_rule.add(f"G2:I{ws.max_row}")
    ws.protection.sheet = True  # unlocked cells: the figures and the comment
    ws.freeze_panes = "G2"
    guide = wb.create_sheet("Hướng dẫn")
    for line in [
        f"Biểu mẫu số liệu {p.label_vi} — chitieu",
        "Chỉ nhập vào các cột Tử số, Mẫu số, Giá trị, Ghi chú; không sửa các cột khác.",
        "Chỉ tiêu tỷ lệ: nhập tử số và mẫu số (ví dụ 56 và 56), hệ thống tự tính tỷ lệ.",
        "Để trống nghĩa là chưa có số liệu; số 0 là số liệu bằng 0.",
        "Số có thể viết 1.108 (một nghìn một trăm lẻ tám) hoặc 37,19.",
        "Tải lên lại: hệ thống kiểm tra toàn bộ tệp; có lỗi ở bất kỳ ô nào thì không ghi dòng nào.",
    ]:
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _num(d: Decimal | None):
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


@dataclass
class ImportReport:
    rows: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell_number(v, ref: str, label: str, errors: list[str]) -> Decimal | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        errors.append(f"Sheet '{SHEET}', ô {ref}: {label} không phải là số.")
        return None
    if isinstance(v, int | float):
        return Decimal(str(v))
    try:
        return parse_number(str(v))
    except NumberError:
        errors.append(f"Sheet '{SHEET}', ô {ref}: {label} '{v}' không phải là số.")
        return None


def import_values(*, actor, data: bytes, file_name: str, dry_run: bool = False) -> ImportReport:
    """Validate and write every row of a filled template, all or nothing."""
    from openpyxl import load_workbook

    rep = ImportReport(dry_run=dry_run)
    if len(data) > MAX_BYTES:
        rep.errors.append(f"{file_name}: tệp quá lớn (tối đa {MAX_BYTES // 1024 // 1024} MB).")
        return rep
    try:
        check_zip(data, file_name)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ReadError as exc:
        rep.errors.append(exc.message)
        return rep
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        rep.errors.append(f"{file_name}: không đọc được tệp Excel ({type(exc).__name__}).")
        return rep
    if SHEET not in wb.sheetnames:
        rep.errors.append(f"{file_name}: không có sheet '{SHEET}' (hãy dùng biểu mẫu tải từ hệ thống).")
        return rep
    ws = wb[SHEET]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    cols = {}
    for i, h in enumerate(header or []):
        key = vntext.fold(str(h or ""))
        if key in _COL:
            cols[HEADERS[_COL[key]]] = i
    missing = [h for h in ("Mã đơn vị", "Kỳ", "Mã chỉ tiêu", "Tử số", "Mẫu số", "Giá trị") if h not in cols]
    if missing:
        rep.errors.append(f"Sheet '{SHEET}', dòng 1: thiếu cột {', '.join(missing)}.")
        return rep
    letter = {h: chr(65 + i) for h, i in cols.items()}
    units = {u.code: u for u in Unit.objects.all().only("pk", "code", "name", "path", "short_name")}
    indicators = {i.code: i for i in Indicator.objects.all()}
    batch: list[ValueRow] = []
    for n, row in enumerate(rows, start=2):
        if n - 1 > MAX_ROWS:
            rep.errors.append(f"Sheet '{SHEET}': quá {MAX_ROWS} dòng.")
            break

        def get(h, _row=row):
            i = cols.get(h)
            return _row[i] if i is not None and i < len(_row) else None

        if all(v in (None, "") for v in row):
            continue
        rep.rows += 1
        errs: list[str] = []
        code = str(get("Mã đơn vị") or "").strip()
        unit = units.get(code)
        if unit is None:
            errs.append(
                f"Sheet '{SHEET}', ô {letter['Mã đơn vị']}{n}: mã đơn vị '{code[:40]}' không có trong hệ thống."
            )
        ind_code = str(get("Mã chỉ tiêu") or "").strip().upper()
        ind = indicators.get(ind_code)
        if ind is None:
            errs.append(
                f"Sheet '{SHEET}', ô {letter['Mã chỉ tiêu']}{n}: mã chỉ tiêu '{ind_code[:40]}' không có trong danh mục."
            )
        try:
            period = parse_period(str(get("Kỳ") or ""))
        except PeriodError:
            errs.append(f"Sheet '{SHEET}', ô {letter['Kỳ']}{n}: kỳ '{str(get('Kỳ'))[:40]}' không hợp lệ.")
            period = None
        num = _cell_number(get("Tử số"), f"{letter['Tử số']}{n}", "tử số", errs)
        den = _cell_number(get("Mẫu số"), f"{letter['Mẫu số']}{n}", "mẫu số", errs)
        val = _cell_number(get("Giá trị"), f"{letter['Giá trị']}{n}", "giá trị", errs)
        comment = str(get("Ghi chú") or "").strip()
        ver = get("Phiên bản")
        if errs:
            rep.errors.extend(errs)
            continue
        batch.append(
            ValueRow(
                indicator=ind,
                unit=unit,
                period=period,
                numerator=num,
                denominator=den,
                value=val,
                comment=comment,
                expected_version=int(ver)
                if isinstance(ver, int | float) and not isinstance(ver, bool)
                else None,
                row=n,
                cells={
                    f: f"{letter[col]}{n}"
                    for f, col in (
                        ("numerator", "Tử số"),
                        ("denominator", "Mẫu số"),
                        ("value", "Giá trị"),
                        ("comment", "Ghi chú"),
                    )
                    if col in letter
                },
            )
        )
    saved = values_save_many(
        actor=actor,
        rows=batch,
        reason=f"nhập từ tệp {file_name}",
        dry_run=dry_run or bool(rep.errors),
        source=ValueSource.IMPORTED,
        import_file=file_name,
        max_rows=MAX_ROWS,
    )
    for p in saved.problems:
        if p.cell:
            rep.errors.append(f"Sheet '{SHEET}', ô {p.cell}: {p.message}")
        elif p.row:
            rep.errors.append(f"Sheet '{SHEET}', dòng {p.row}: {p.message[0].lower()}{p.message[1:]}")
        else:
            rep.errors.append(f"Sheet '{SHEET}': {p.message}")
    rep.warnings = [w.message for w in saved.warnings]
    rep.changed, rep.unchanged = (0, 0) if rep.errors else (saved.changed, saved.unchanged)
    return rep


def submission_for(user, unit: Unit, period: str) -> Submission | None:
    return selectors.visible_submissions(user).filter(unit=unit, period=period).first()
