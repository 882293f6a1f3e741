"""The DuckDB SQL that turns an export's text columns into the canonical dossier record.

Vectorised: one query parses every row (dates in the usual Vietnamese and ISO forms, "Có"/"x"/"1",
"Trực tuyến"/"2", "Toàn trình"/"Mức độ 4", numbers with thousand dots), resolves the receiving
unit, and names the first problem of each bad row in Vietnamese. No Python loop over rows.
"""

from __future__ import annotations

from chitieu.dossiers.fields import BY_NAME, FIELDS

DATE_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%H:%M %d/%m/%Y",
    "%H:%M:%S %d/%m/%Y",
]
# the staged (canonical) columns and their DuckDB types
SCHEMA = [
    ("code", "VARCHAR"),
    ("procedure_code", "VARCHAR"),
    ("procedure_name", "VARCHAR"),
    ("online_level", "VARCHAR"),
    ("paper_result", "BOOLEAN"),
    ("has_fee", "BOOLEAN"),
    ("unit_id", "BIGINT"),
    ("channel", "VARCHAR"),
    ("received_at", "TIMESTAMP"),
    ("due_at", "TIMESTAMP"),
    ("finished_at", "TIMESTAMP"),
    ("returned_at", "TIMESTAMP"),
    ("status", "VARCHAR"),
    ("supplement_count", "INTEGER"),
    ("supplement_days", "INTEGER"),
    ("digitised", "BOOLEAN"),
    ("result_digitised", "BOOLEAN"),
    ("e_result", "BOOLEAN"),
    ("fee_amount", "DECIMAL(18,2)"),
    ("paid_online", "BOOLEAN"),
    ("data_reuse", "BOOLEAN"),
    ("rating", "VARCHAR"),
    ("complaint", "BOOLEAN"),
    ("synced", "BOOLEAN"),
    ("import_id", "BIGINT"),
    ("source_row", "BIGINT"),
]
COLUMNS = [c for c, _ in SCHEMA]


def q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def fold_sql(expr: str) -> str:
    """Accent- and case-folded text, as :func:`chitieu.core.vntext.fold` gives it."""
    return (
        f"trim(regexp_replace(lower(strip_accents(replace(replace(coalesce({expr}, ''), 'Đ', 'D'), 'đ', 'd'))), "
        r"'\s+', ' ', 'g'))"
    )


def _raw(mapping: dict[str, str], name: str) -> str:
    h = mapping.get(name)
    return f"NULLIF(trim({q(h)}), '')" if h else "NULL"


CODED = ("bool", "channel", "level", "rating", "unit")  # decided per distinct spelling (see .codes)


def coded_fields(mapping: dict[str, str]) -> list[str]:
    return [f.name for f in FIELDS if f.kind in CODED and mapping.get(f.name)]


def code_table(name: str) -> str:
    return f"code_{name}"


def _parsed(mapping: dict[str, str], name: str) -> str:
    kind = BY_NAME[name].kind
    raw = f"{name}_raw"
    fmts = "[" + ", ".join(lit(f) for f in DATE_FORMATS) + "]"
    match kind:
        case "text":
            return raw
        case "datetime":
            # the commonest forms first, one at a time: COALESCE only tries the next on the rows left
            return (
                f"coalesce(try_strptime({raw}, '%d/%m/%Y %H:%M'), try_strptime({raw}, '%Y-%m-%d %H:%M:%S'), "
                f"try_strptime({raw}, {fmts}), TRY_CAST({raw} AS TIMESTAMP))"
            )
        case "bool" | "channel" | "level" | "rating":
            # joined from the table of decided spellings (see staging_sql)
            return f"m_{name}.val"
        case "int":
            return f"TRY_CAST(replace({raw}, ',', '.') AS DOUBLE)::INTEGER"
        case "number":
            return (
                f"CASE WHEN regexp_full_match({raw}, '\\d{{1,3}}(\\.\\d{{3}})+(,\\d+)?') "
                f"THEN TRY_CAST(replace(replace({raw}, '.', ''), ',', '.') AS DECIMAL(18,2)) "
                f"ELSE TRY_CAST(replace({raw}, ',', '.') AS DECIMAL(18,2)) END"
            )
        case "unit":
            return raw
    raise ValueError(kind)


def staging_sql(mapping: dict[str, str], *, source: str, import_id: int) -> str:
    """SELECT over ``source`` (a relation with the export's columns as VARCHAR and ``_row``) that
    gives the canonical columns plus ``error`` (NULL for a good row). Expects a table
    ``code_<field>(raw, val)`` per coded field of the mapping (the decided spellings, see
    :mod:`.codes`; ``code_unit`` gives unit ids) and ``allowed_units(unit_id)`` (NULL = every unit)."""
    parsed = {f.name: _parsed(mapping, f.name) for f in FIELDS}

    checks = []  # (condition, message expression), first match wins

    def label(name: str) -> str:
        return lit(BY_NAME[name].label)

    for name in ("code", "procedure_code", "unit", "received_at"):
        checks.append((f"p.{name}_raw IS NULL", f"'thiếu ' || {label(name)}"))
    for f in FIELDS:
        if f.kind in ("datetime", "bool", "int", "number", "channel", "rating") and mapping.get(f.name):
            if f.kind == "rating":
                continue  # an unknown rating is "no rating", not an error
            checks.append(
                (
                    f"p.{f.name}_raw IS NOT NULL AND p.{f.name} IS NULL",
                    f"{label(f.name)} || ' không hiểu được: \"' || p.{f.name}_raw || '\"'",
                )
            )
    checks += [
        (
            "u.unit_id IS NULL",
            f"{label('unit')} || ' \"' || p.unit_raw || '\" không có trong danh mục đơn vị'",
        ),
        (
            "NOT e.everyone AND a.unit_id IS NULL",
            "'không có quyền nhập hồ sơ của đơn vị \"' || p.unit_raw || '\"'",
        ),
        ("p.due_at IS NOT NULL AND p.due_at < p.received_at", "'hạn xử lý trước ngày tiếp nhận'"),
        (
            "p.finished_at IS NOT NULL AND p.finished_at < p.received_at",
            "'ngày có kết quả trước ngày tiếp nhận'",
        ),
        ("p.dup > 1", "'mã hồ sơ \"' || p.code || '\" đã có ở dòng ' || (p.first_row + 1)"),
    ]
    error = "CASE " + " ".join(f"WHEN {c} THEN {m}" for c, m in checks) + " END"
    raw_cols = ", ".join(f"{_raw(mapping, f.name)} AS {f.name}_raw" for f in FIELDS)
    coded = coded_fields(mapping)
    from chitieu.dossiers.codes import DEFAULTS

    coded_kinds = ("bool", "channel", "level", "rating")

    def coded_expr(f) -> str:
        default = DEFAULTS[f.kind]
        lit_default = "NULL" if default is None else ("FALSE" if default is False else lit(str(default)))
        if f.name not in coded:
            return lit_default
        return f"CASE WHEN r.{f.name}_raw IS NULL THEN {lit_default} ELSE {parsed[f.name]} END"

    parsed_cols = ", ".join(
        f"{coded_expr(f) if f.kind in coded_kinds else parsed[f.name]} AS {f.name}"
        for f in FIELDS
        if f.name != "unit"
    )
    code_joins = " ".join(f"LEFT JOIN {code_table(n)} m_{n} ON m_{n}.raw = r.{n}_raw" for n in coded)
    select = ", ".join(
        [
            "p.code",
            "p.procedure_code",
            "p.procedure_name",
            "p.online_level",
            "coalesce(p.paper_result, FALSE) AS paper_result",
            "coalesce(p.has_fee, FALSE) AS has_fee",
            "u.unit_id",
            "p.channel",
            "p.received_at",
            "p.due_at",
            "p.finished_at",
            "p.returned_at",
            "p.status",
            "p.supplement_count",
            "p.supplement_days",
            *[f"coalesce(p.{b}, FALSE) AS {b}" for b in ("digitised", "result_digitised", "e_result")],
            "p.fee_amount",
            *[f"coalesce(p.{b}, FALSE) AS {b}" for b in ("paid_online", "data_reuse")],
            "p.rating",
            "coalesce(p.complaint, FALSE) AS complaint",
            "coalesce(p.synced, FALSE) AS synced",
            f"{int(import_id)}::BIGINT AS import_id",
            "p._row AS source_row",
            f"{error} AS error",
        ]
    )
    return f"""
        WITH r AS (SELECT _row, {raw_cols} FROM {source}),
        p0 AS (SELECT r.*, {parsed_cols} FROM r {code_joins}),
        repeats AS (  -- ids written more than once: a narrow aggregate, not a window over wide rows
            SELECT code_raw AS code, min(_row) AS first_row FROM r
            WHERE code_raw IS NOT NULL GROUP BY code_raw HAVING count(*) > 1
        ),
        p AS (
            SELECT p0.*, rp.first_row,
                   CASE WHEN rp.first_row IS NOT NULL AND p0._row > rp.first_row THEN 2 ELSE 1 END AS dup
            FROM p0 LEFT JOIN repeats rp ON rp.code = p0.code
        )
        SELECT {select}
        FROM p LEFT JOIN (SELECT raw, val AS unit_id FROM code_unit) u ON u.raw = p.unit_raw
        LEFT JOIN (SELECT DISTINCT unit_id FROM allowed_units WHERE unit_id IS NOT NULL) a ON a.unit_id = u.unit_id
        CROSS JOIN (SELECT coalesce(bool_or(unit_id IS NULL), FALSE) AS everyone FROM allowed_units) e
    """
