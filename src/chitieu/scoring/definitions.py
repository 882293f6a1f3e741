"""Framework definitions: reading them (YAML, a spreadsheet, a draft's rows), checking them (pure,
in :mod:`chitieu.core.scoring`), and the definition of a stored framework.

No writes here: :mod:`chitieu.scoring.services` saves what these functions return."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import yaml

from chitieu.core import scoring as core
from chitieu.core.numbers import plain
from chitieu.scoring.errors import ScoringError
from chitieu.scoring.models import Criterion, Framework

SHIPPED = Path(__file__).with_name("data")
TEMPLATES = SHIPPED / "templates"

XLSX_COLUMNS = [
    "Mã",
    "Tên tiêu chí",
    "Điểm tối đa",
    "Cách chấm",
    "Mã chỉ tiêu",
    "Ngưỡng",
    "Các mức",
    "Cần minh chứng",
    "Ghi chú",
    "Điểm trừ mỗi lần",
    "Đơn vị giá trị",
]


def parse_file(file_name: str, data: bytes) -> dict:
    """A framework definition from YAML, or from a spreadsheet (one row per criterion)."""
    name = file_name.lower()
    if name.endswith((".yaml", ".yml")):
        try:
            parsed = yaml.safe_load(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            where = getattr(exc, "problem_mark", None)
            line = f" (dòng {where.line + 1})" if where is not None else ""
            raise ScoringError(f"{file_name}: không đọc được YAML{line}.")
        return parsed
    if name.endswith(".xlsx"):
        return _from_xlsx(file_name, data)
    raise ScoringError(f"{file_name}: chỉ nhận tệp .yaml hoặc .xlsx.")


def _from_xlsx(file_name: str, data: bytes) -> dict:
    """Sheet "Thông tin" (Mã, Tên, Phiên bản, Kỳ) and sheet "Tiêu chí" (one row per criterion; the
    parent of "1.2.3" is "1.2")."""
    from openpyxl import load_workbook

    from chitieu.extraction.readers import ReadError, check_zip

    try:
        check_zip(data, file_name)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ReadError as exc:
        raise ScoringError(str(exc))
    except Exception:
        raise ScoringError(f"{file_name}: không mở được tệp Excel.")
    problems = []
    if "Thông tin" not in wb.sheetnames or "Tiêu chí" not in wb.sheetnames:
        raise ScoringError(f"{file_name}: cần hai sheet 'Thông tin' và 'Tiêu chí'.")
    info = {str(r[0]).strip(): r[1] for r in wb["Thông tin"].iter_rows(values_only=True) if r and r[0]}
    rows = list(wb["Tiêu chí"].iter_rows(values_only=True))
    head = [str(h).strip() if h else "" for h in rows[0]] if rows else []
    missing = [c for c in XLSX_COLUMNS[:4] if c not in head]
    if missing:
        raise ScoringError(f"{file_name}: sheet 'Tiêu chí' thiếu cột {', '.join(missing)}.")
    col = {h: i for i, h in enumerate(head)}
    nodes: dict[str, dict] = {}
    top: list[dict] = []
    for n, r in enumerate(rows[1:], start=2):
        get = lambda k, r=r: r[col[k]] if k in col and col[k] < len(r) else None  # noqa: E731
        code = str(get("Mã") or "").strip()
        if not code and not get("Tên tiêu chí"):
            continue
        d = {
            "code": code,
            "name": get("Tên tiêu chí") or "",
            "max_points": get("Điểm tối đa"),
            "method": get("Cách chấm") or None,
            "indicator": get("Mã chỉ tiêu") or "",
            "threshold": get("Ngưỡng"),
            "bands": get("Các mức") or "",
            "step": get("Điểm trừ mỗi lần"),
            "measure": get("Đơn vị giá trị") or "",
            "evidence_required": str(get("Cần minh chứng") or "").strip().lower() in ("có", "x", "1", "true"),
            "note": get("Ghi chú") or "",
            "criteria": [],
            "_row": n,
        }
        nodes[code] = d
        parent = code.rsplit(".", 1)[0] if "." in code else ""
        if parent and parent in nodes:
            nodes[parent]["criteria"].append(d)
        elif parent:
            problems.append(f"Sheet 'Tiêu chí', dòng {n}: tiêu chí {code} đứng trước tiêu chí cha {parent}.")
        else:
            top.append(d)
    if problems:
        raise ScoringError(f"{file_name}: có {len(problems)} lỗi.", problems)
    for d in nodes.values():
        if not d["criteria"]:
            d.pop("criteria")
        if d["method"] is None:
            d.pop("method")
    return {
        "code": info.get("Mã"),
        "name": info.get("Tên"),
        "version": str(info.get("Phiên bản") or ""),
        "period": str(info.get("Kỳ") or ""),
        "criteria": top,
    }


def build(raw: dict, file_name: str) -> core.FrameworkDef:
    """The checked definition; every problem listed (in Vietnamese, with where it is)."""
    try:
        return core.framework_from_dict(raw)
    except core.DefinitionError as exc:
        raise ScoringError(f"{file_name}: có {len(exc.problems)} lỗi.", exc.problems)


def shipped_files() -> list[Path]:
    return sorted(SHIPPED.glob("*.yaml"))


def template_files() -> list[Path]:
    return sorted(TEMPLATES.glob("*.yaml"))


def template(code: str) -> tuple[Path, dict]:
    """A shipped template (a framework to be filled, such as PAR Index 876/QĐ-BNV) by its code."""
    for path in template_files():
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if str(raw.get("code")) == code:
            return path, raw
    raise ScoringError(f"Không có khung bộ chỉ số mã '{code}'.")


def _criterion_def(r: Criterion) -> core.CriterionDef:
    return core.CriterionDef(
        code=r.code,
        name=r.name,
        max_points=r.max_points,
        method=r.method,
        indicator=r.indicator.code if r.indicator_id else "",
        threshold=r.threshold,
        bands=[(Decimal(str(a)), Decimal(str(b))) for a, b in r.bands],
        step=r.step,
        measure=r.measure,
        multiply_by=r.multiply_by.code if r.multiply_by_id else "",
        evidence_required=r.evidence_required,
        confirmed=r.confirmed,
        formula_published=r.formula_published,
        basis=r.basis,
        components=r.components,
        note=r.note,
        method_text=r.method_text,
        evidence_text=r.evidence_text,
        source_line=r.source_line,
    )


def definition(framework: Framework) -> core.FrameworkDef:
    """The pure definition of a stored framework (for points)."""
    rows = list(framework.criteria.select_related("indicator", "multiply_by").order_by("position"))
    by_id: dict[int, core.CriterionDef] = {}
    top = []
    for r in rows:
        c = _criterion_def(r)
        by_id[r.pk] = c
        (by_id[r.parent_id].children if r.parent_id else top).append(c)
    return core.FrameworkDef(
        framework.code,
        framework.name,
        framework.version,
        framework.max_points,
        top,
        description=framework.description,
        period=framework.period,
        basis=framework.basis,
        successors=list((framework.references or {}).get("successors", [])),
        counts=dict((framework.references or {}).get("counts", {})),
        split={k: Decimal(str(v)) for k, v in (framework.split or {}).items()},
        classes=[(str(a), Decimal(str(b))) for a, b in (framework.classes or [])],
        merge=framework.merge_rule,
        scale=framework.scale,
    )


# --- a draft's flat rows <-> the nested definition --------------------------------------------------
ROW_FIELDS = (
    "code",
    "parent",
    "name",
    "max_points",
    "method",
    "threshold",
    "bands",
    "step",
    "measure",
    "evidence_required",
    "note",
    "method_text",
    "evidence_text",
    "source_line",
    "indicator",
    "formula_published",
    "confirmed",
    "components",
    "basis",
)


def nest(rows: list[dict]) -> tuple[list[dict], list[str]]:
    """The nested ``criteria`` of a definition from a draft's flat rows (each names its parent by
    code). Problems: a parent that does not exist, a parent listed after its child."""
    nodes: dict[str, dict] = {}
    top: list[dict] = []
    problems: list[str] = []
    for i, r in enumerate(rows, 1):
        d = {k: r[k] for k in ROW_FIELDS if k in r and k != "parent" and r[k] not in (None, "", [])}
        d.setdefault("code", "")
        d.setdefault("name", "")
        if "max_points" not in d:
            d["max_points"] = None
        d["criteria"] = []
        parent = r.get("parent") or ""
        where = f"dòng {r['source_line']}" if r.get("source_line") else f"hàng {i}"
        if parent and parent in nodes:
            nodes[parent]["criteria"].append(d)
        elif parent:
            problems.append(f"{where} ({d['code']}): không có tiêu chí cha '{parent}' đứng trước.")
        else:
            top.append(d)
        if d["code"]:
            nodes.setdefault(d["code"], d)
    for d in nodes.values():
        if not d["criteria"]:
            d.pop("criteria")
            if d.get("max_points") is None:
                d.pop("max_points")
        else:
            d["method"] = "sum"
            if d.get("max_points") is None:
                d.pop("max_points")
    return top, problems


def flatten(criteria: list[core.CriterionDef] | list[dict], parent: str = "") -> list[dict]:
    """The flat rows of a nested definition (YAML dicts or :class:`CriterionDef`)."""
    out: list[dict] = []
    for c in criteria:
        if isinstance(c, core.CriterionDef):
            row = {
                "code": c.code,
                "parent": parent,
                "name": c.name,
                "max_points": text_decimal(c.max_points),
                "method": c.method,
                "threshold": text_decimal(c.threshold),
                "bands": [[text_decimal(f), text_decimal(p)] for f, p in c.bands],
                "step": text_decimal(c.step),
                "measure": c.measure,
                "evidence_required": c.evidence_required,
                "note": c.note,
                "method_text": c.method_text,
                "evidence_text": c.evidence_text,
                "source_line": c.source_line,
                "indicator": c.indicator,
                "formula_published": c.formula_published,
                "confirmed": c.confirmed,
                "components": c.components,
                "basis": c.basis,
            }
            out.append(row)
            out += flatten(c.children, c.code)
        else:
            row = {k: c.get(k) for k in ROW_FIELDS if k in c}
            row["parent"] = parent
            row["code"] = str(c.get("code", ""))
            if "max_points" in row and row["max_points"] is not None:
                row["max_points"] = str(row["max_points"])
            kids = c.get("criteria") or c.get("children") or []
            if kids:
                row["method"] = "sum"
            out.append(row)
            out += flatten(kids, row["code"])
    return out


def text_decimal(d) -> str | None:
    """A stored decimal (or its text) in machine form for a draft's row; None stays None."""
    return None if d is None or d == "" else plain(Decimal(str(d)))
