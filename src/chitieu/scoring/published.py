"""The official published results of a year (unit × field or main index, and the total), imported
from a table so that self-assessed, appraised and published scores can be read side by side.

The table names each unit by its code or name and each column by a criterion's code or name
("1", "Công tác chỉ đạo, điều hành", "1. Công tác chỉ đạo ..."), plus a total column ("Tổng điểm",
"Chỉ số"). Values are points, percentages of each maximum, or ratios 0-1 (DTI 2024 publishes
0-1). All or nothing: every problem is listed with its row and column, and nothing is written."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction

from chitieu.audit.services import record
from chitieu.core import vntext
from chitieu.core.numbers import NumberError, decimal_text, parse_number
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.orgs.selectors import find_by_name
from chitieu.scoring.errors import ScoringError
from chitieu.scoring.models import Framework, PublishedScore
from chitieu.scoring.tables import MAX_TABLE_BYTES, cell, read_table

MAX_BYTES = MAX_TABLE_BYTES

SCALES = {"points": "điểm", "percent": "tỷ lệ % của điểm tối đa", "ratio": "giá trị 0-1"}
_UNIT_HEADS = {
    "ma don vi",
    "don vi",
    "ten don vi",
    "co quan",
    "co quan, don vi",
    "dia phuong",
    "tinh, thanh pho",
    "tinh thanh pho",
    "tinh",
    "ma",
}
_TOTAL_HEADS = re.compile(
    r"^(tong( diem| cong| so diem)?|diem tong|chi so( chung)?|ket qua|dti|par index|chi so cchc|diem)\b"
)
_SKIP_HEADS = re.compile(r"^(stt|tt|xep hang|thu hang|hang|ghi chu|xep loai|loai)\b")


def _match_column(head: str, criteria: dict[str, tuple[str, Decimal]]) -> str | None:
    """The criterion code a column header names, "" for the total, None if it names nothing."""
    h = " ".join(str(head or "").split())
    f = vntext.fold(h)
    if not f or f in _UNIT_HEADS or _SKIP_HEADS.match(f):
        return None
    if h in criteria:
        return h
    m = re.match(r"^([0-9IVX]+(?:\.[0-9a-z]+)*)[.)]?\s+(.+)$", h)
    if m and m.group(1) in criteria:
        return m.group(1)
    for code, (name, _) in criteria.items():
        if vntext.fold(name) == f:
            return code
    if _TOTAL_HEADS.match(f):
        return ""
    return None


def _value(raw) -> Decimal | None:
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    text = str(raw or "").strip().replace("%", "")
    if not text:
        return None
    try:
        return parse_number(text)
    except (NumberError, InvalidOperation):
        return None


@transaction.atomic
def published_import(
    *, actor, framework: Framework, file_name: str, data: bytes, scale: str | None = None
) -> int:
    """Import the published results; returns the number of figures written."""
    permissions.require(actor, permissions.MANAGE, framework.owner)
    scale = scale or ("ratio" if framework.scale == "ratio" else "points")
    if scale not in SCALES:
        raise ScoringError(f"Dạng giá trị '{scale}' không có (dùng: {', '.join(SCALES)}).")
    rows = read_table(file_name, data)
    if not rows:
        raise ScoringError(f"{file_name}: tệp trống.")
    criteria = {c.code: (c.name, c.max_points) for c in framework.criteria.all()}
    head_n, head = rows[0]
    unit_col = next((i for i, h in enumerate(head) if vntext.fold(str(h or "")) in _UNIT_HEADS), None)
    if unit_col is None:
        raise ScoringError(f"{file_name}: dòng {head_n} thiếu cột đơn vị (Mã đơn vị hoặc Đơn vị).")
    columns = {
        i: code
        for i, h in enumerate(head)
        if i != unit_col and (code := _match_column(h, criteria)) is not None
    }
    if not columns:
        raise ScoringError(
            f"{file_name}: dòng {head_n} không có cột nào là tiêu chí hay tổng điểm của bộ chỉ số "
            f"(ví dụ '1', '{next(iter(criteria.values()))[0]}', 'Tổng điểm')."
        )
    within = Unit.objects.all()
    problems: list[str] = []
    parsed: dict[tuple[int, str], tuple[Unit, str, Decimal, str, int]] = {}
    for n, r in rows[1:]:
        key = cell(r, unit_col)
        if not key:
            problems.append(f"dòng {n}, cột {head[unit_col]}: thiếu đơn vị.")
            continue
        unit = Unit.objects.filter(code=key).first()
        if unit is None:
            found = find_by_name(key, within=within)
            unit = found[0] if len(found) == 1 else None
            if unit is None:
                why = "trùng tên nhiều đơn vị" if len(found) > 1 else "không có đơn vị này"
                problems.append(f"dòng {n}, cột {head[unit_col]}: '{key}' {why}.")
                continue
        for i, code in columns.items():
            raw = r[i] if i < len(r) else None
            if raw in (None, ""):
                continue
            v = _value(raw)
            mx = criteria[code][1] if code else framework.max_points
            label = f"dòng {n}, cột {head[i]}"
            if v is None:
                problems.append(f"{label}: '{raw}' không phải là số.")
                continue
            limit = {"points": mx, "percent": Decimal(100), "ratio": Decimal(1)}[scale]
            if not (0 <= v <= limit):
                problems.append(f"{label}: {raw} ngoài khoảng 0 - {decimal_text(limit)} ({SCALES[scale]}).")
                continue
            points = v if scale == "points" else (v / 100 * mx if scale == "percent" else v * mx)
            if (unit.pk, code) in parsed:
                problems.append(f"{label}: {unit.code} đã có ở dòng {parsed[(unit.pk, code)][4]}.")
                continue
            parsed[(unit.pk, code)] = (unit, code, points.quantize(Decimal("0.0001")), str(raw)[:40], n)
    if problems:
        raise ScoringError(f"{file_name}: có {len(problems)} lỗi, chưa nhập gì.", problems)
    written = 0
    for unit, code, points, raw, n in parsed.values():
        source = f"{file_name}, dòng {n}"[:255]
        old = PublishedScore.objects.filter(framework=framework, unit=unit, code=code).first()
        if old is not None and old.points == points:
            continue
        PublishedScore.objects.update_or_create(
            framework=framework,
            unit=unit,
            code=code,
            defaults={"points": points, "raw": raw, "source": source},
        )
        record(
            actor=actor,
            action="update" if old else "create",
            object_type="scoring.publishedscore",
            object_id=f"{framework.pk}/{unit.pk}/{code or 'tong'}",
            before={"points": str(old.points)} if old else None,
            after={"points": str(points), "raw": raw, "source": source},
            reason="nhập kết quả công bố",
        )
        written += 1
    return written
