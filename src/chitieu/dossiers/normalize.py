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
_TRUE = [
    "1",
    "x",
    "co",
    "true",
    "yes",
    "y",
    "da",
    "dung",
    "co so hoa",
    "da so hoa",
    "da thanh toan",
    "da dong bo",
]
_TRUE_VI = ["có", "đã", "đúng", "có số hóa", "đã số hóa", "đã thanh toán", "đã đồng bộ"]
_FALSE = [
    "0",
    "khong",
    "false",
    "no",
    "n",
    "chua",
    "-",
    "sai",
    "chua so hoa",
    "chua thanh toan",
    "chua dong bo",
]
_FALSE_VI = ["không", "chưa", "chưa số hóa", "chưa thanh toán", "chưa đồng bộ"]
TRUE_WORDS = _TRUE + _TRUE_VI + [w.upper() for w in ("x", "y")]
FALSE_WORDS = _FALSE + _FALSE_VI

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


def _in(expr: str, words: list[str]) -> str:
    # a CASE, not IN: DuckDB turns long IN lists into a join, one per column (slow)
    whens = " ".join(f"WHEN {lit(w)} THEN TRUE" for w in words)
    return f"(CASE {expr} {whens} ELSE FALSE END)"


def _raw(mapping: dict[str, str], name: str) -> str:
    h = mapping.get(name)
    return f"NULLIF(trim({q(h)}), '')" if h else "NULL"


_KEYED = ("bool", "channel", "level", "rating")


def _key_col(mapping: dict[str, str], name: str) -> str:
    """The folded text of a coded field, computed once per row in the first CTE (yes/no fields
    are only lower-cased: their word lists carry both the accented and the plain spelling)."""
    raw = _raw(mapping, name)
    if BY_NAME[name].kind == "bool":
        return f"lower(nfc_normalize(coalesce({raw}, '')))"
    return f"trim(lower(strip_accents(replace(replace(coalesce({raw}, ''), 'Đ', 'D'), 'đ', 'd'))))"


def _parsed(mapping: dict[str, str], name: str) -> str:
    kind = BY_NAME[name].kind
    raw = f"{name}_raw"
    k = f"{name}_k"
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
        case "bool":
            return f"CASE WHEN {raw} IS NULL THEN FALSE WHEN {_in(k, TRUE_WORDS)} THEN TRUE WHEN {_in(k, FALSE_WORDS)} THEN FALSE END"
        case "int":
            return f"TRY_CAST(replace({raw}, ',', '.') AS DOUBLE)::INTEGER"
        case "number":
            return (
                f"CASE WHEN regexp_full_match({raw}, '\\d{{1,3}}(\\.\\d{{3}})+(,\\d+)?') "
                f"THEN TRY_CAST(replace(replace({raw}, '.', ''), ',', '.') AS DECIMAL(18,2)) "
                f"ELSE TRY_CAST(replace({raw}, ',', '.') AS DECIMAL(18,2)) END"
            )
        case "channel":
            return (
                f"CASE WHEN {raw} IS NULL THEN 'in_person' "
                f"WHEN {k} LIKE '%truc tuyen%' OR {_in(k, ['2', 'online', 'qua mang', 'dvc truc tuyen', 'mang'])} THEN 'online' "
                f"WHEN {k} LIKE '%buu chinh%' OR {_in(k, ['3', 'buu dien', 'qua buu dien'])} THEN 'postal' "
                f"WHEN {k} LIKE '%truc tiep%' OR {_in(k, ['1', 'tai quay', 'mot cua', 'bo phan mot cua'])} THEN 'in_person' END"
            )
        case "level":
            return (
                f"CASE WHEN {k} LIKE '%toan trinh%' OR {_in(k, ['4', 'muc do 4', 'md4', 'muc 4'])} THEN 'full' "
                f"WHEN {k} LIKE '%mot phan%' OR {_in(k, ['3', 'muc do 3', 'md3', 'muc 3'])} THEN 'partial' "
                "ELSE 'none' END"
            )
        case "rating":
            return (
                f"CASE WHEN {k} LIKE '%khong hai long%' OR {k} LIKE '%chua hai long%' OR {_in(k, ['0', 'khong'])} THEN 'dissatisfied' "
                f"WHEN {k} LIKE '%hai long%' OR {_in(k, ['1', 'tot', 'rat tot'])} THEN 'satisfied' END"
            )
        case "unit":
            return raw
    raise ValueError(kind)


def staging_sql(mapping: dict[str, str], *, source: str, import_id: int) -> str:
    """SELECT over ``source`` (a relation with the export's columns as VARCHAR and ``_row``) that
    gives the canonical columns plus ``error`` (NULL for a good row). Expects the tables
    ``unit_keys(key, unit_id)`` and ``allowed_units(unit_id)`` (NULL unit_id = every unit)."""
    parsed = {f.name: _parsed(mapping, f.name) for f in FIELDS}
    unit_key = fold_sql(_raw(mapping, "unit"))
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
    raw_cols += "".join(f", {_key_col(mapping, f.name)} AS {f.name}_k" for f in FIELDS if f.kind in _KEYED)
    parsed_cols = ", ".join(f"{parsed[f.name]} AS {f.name}" for f in FIELDS if f.name != "unit")
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
        WITH r AS (SELECT *, {raw_cols}, {unit_key} AS unit_key FROM {source}),
        p0 AS (SELECT r.*, {parsed_cols} FROM r),
        p AS (
            SELECT p0.*,
                   count(*) OVER (PARTITION BY p0.code ORDER BY p0._row ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS dup,
                   min(p0._row) OVER (PARTITION BY p0.code) AS first_row
            FROM p0
        )
        SELECT {select}
        FROM p LEFT JOIN unit_keys u ON u.key = p.unit_key
        LEFT JOIN (SELECT DISTINCT unit_id FROM allowed_units WHERE unit_id IS NOT NULL) a ON a.unit_id = u.unit_id
        CROSS JOIN (SELECT coalesce(bool_or(unit_id IS NULL), FALSE) AS everyone FROM allowed_units) e
    """
