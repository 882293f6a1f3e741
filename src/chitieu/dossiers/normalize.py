"""The DuckDB SQL that turns an export's text columns into the canonical dossier record.

Two statements, both vectorised (no Python loop over rows):

* :func:`stage_sql` reads the export once (the only pass over the CSV) and writes the staged
  columns: text trimmed, dates parsed (dd/mm/yyyy with or without time, ISO, the sync record's
  yyyyMMddHHmmss, Excel serial numbers, "SA"/"CH"), numbers and fees parsed ("200.000",
  "200,000 đ"), coded columns kept as written, and for each row that is not a dossier the
  reason it is layout (blank, "Tổng cộng", a repeated header, a row of sums, a signature);
* :func:`checked_sql` reads the staged file and joins the decided spellings (one small table
  per coded column, see :mod:`.codes`, and the person's choices from the mapping profile), the
  receiving units, the repeated ids; it gives the canonical columns and names the first problem
  of each bad row, with a key that groups one problem for every row that has it (an unknown
  spelling is one line: value, column, how many rows).

The check runs the first and summarises the second; the commit writes the second's good rows.
A fix of the value mapping is checked again from the staged file, without reading the export.
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
    "%Y%m%d%H%M%S",
    "%Y%m%d",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%H:%M %d/%m/%Y",
    "%H:%M:%S %d/%m/%Y",
    "%d/%m/%Y %I:%M:%S %p",
    "%d/%m/%Y %I:%M %p",
    "%Y-%m-%dT%H:%M:%S.%f",
]
# the store's (canonical) columns and their DuckDB types
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
TYPES = dict(SCHEMA)
CODED = ("bool", "channel", "level", "rating", "state", "unit")  # decided per distinct spelling
FREE = ("datetime", "int", "number")  # parsed in SQL; what does not parse may be mapped by hand
SEP = "\x1f"  # inside grouping keys


def q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def fold_sql(expr: str) -> str:
    """Accent- and case-folded text, as :func:`chitieu.core.vntext.fold` gives it."""
    return f"lower(strip_accents(replace(replace(coalesce({expr}, ''), 'Đ', 'D'), 'đ', 'd')))"


def coded_fields(mapping: dict[str, str]) -> list[str]:
    return [f.name for f in FIELDS if f.kind in CODED and mapping.get(f.name)]


def free_fields(mapping: dict[str, str]) -> list[str]:
    return [f.name for f in FIELDS if f.kind in FREE and mapping.get(f.name)]


def value_table(name: str) -> str:
    return f"v_{name}"


def _trim(header: str) -> str:
    return f"NULLIF(trim({q(header)}), '')"


def _date(raw: str) -> str:
    fmts = "[" + ", ".join(lit(f) for f in DATE_FORMATS) + "]"
    ampm = (
        f"replace(replace(replace(replace({raw}, ' SA', ' AM'), ' CH', ' PM'), ' sa', ' AM'), ' ch', ' PM')"
    )
    serial = (
        f"CASE WHEN regexp_full_match({raw}, '[1-9][0-9]{{4}}([.,][0-9]+)?') THEN TIMESTAMP '1899-12-30 00:00:00' "
        f"+ to_microseconds(CAST(round(TRY_CAST(replace({raw}, ',', '.') AS DOUBLE) * 86400000000) AS BIGINT)) END"
    )
    # the commonest forms first, one at a time: COALESCE only tries the next on the rows left
    return (
        f"coalesce(try_strptime({raw}, '%d/%m/%Y %H:%M'), try_strptime({raw}, '%Y-%m-%d %H:%M:%S'), "
        f"try_strptime({raw}, {fmts}), {serial}, try_strptime({ampm}, {fmts}), "
        f"TRY_CAST(TRY_CAST({raw} AS TIMESTAMPTZ) AS TIMESTAMP))"
    )


def _number(raw: str, kind: str) -> str:
    """Plain digits first (the common case); then the written forms: "200.000", "200,000 đ",
    "1.500.000,50", "200 000 VNĐ"."""
    bare = f"regexp_replace(regexp_replace(lower({raw}), '\\s*(vn[dđ]|đồng|dong|đ|d)\\.?\\s*$', ''), '[\\s\u00a0]', '', 'g')"
    written = (
        f"CASE WHEN regexp_full_match({bare}, '[0-9]{{1,3}}([.,][0-9]{{3}})+') "
        f"THEN TRY_CAST(regexp_replace({bare}, '[.,]', '', 'g') AS DECIMAL(18,2)) "
        f"WHEN regexp_full_match({bare}, '[0-9]{{1,3}}(\\.[0-9]{{3}})+,[0-9]+') "
        f"THEN TRY_CAST(replace(replace({bare}, '.', ''), ',', '.') AS DECIMAL(18,2)) "
        f"WHEN regexp_full_match({bare}, '[0-9]+([.,][0-9]+)?') THEN TRY_CAST(replace({bare}, ',', '.') AS DECIMAL(18,2)) END"
    )
    plain = f"CASE WHEN NOT contains({raw}, '.') AND NOT contains({raw}, ',') THEN TRY_CAST({raw} AS DECIMAL(18,2)) END"
    number = f"coalesce({plain}, {written})"
    if kind == "int":
        return f"CAST(CASE WHEN {number} = round({number}) AND abs({number}) < 1000000 THEN {number} END AS INTEGER)"
    return number


def stage_sql(mapping: dict[str, str], *, source: str, headers: list[str]) -> str:
    """SELECT over ``source`` (the export's columns, all VARCHAR, named by ``headers``) giving the
    staged columns: for each mapped field ``<name>`` (and ``<name>__raw``, the text of a date or
    number that did not parse), ``layout`` (why a row is not a dossier, or NULL) and
    ``layout_text`` (what such a row says). Each cell is trimmed and parsed once (three nested
    projections, no expression evaluated twice)."""
    mapped = [f for f in FIELDS if mapping.get(f.name)]
    cells = [h for h in headers if h]
    inner = [f"{_trim(mapping[f.name])} AS r_{f.name}" for f in mapped]
    inner += [f"{q(h)} AS c_{i}" for i, h in enumerate(cells)]
    middle = ["t.*"]
    for f in mapped:
        raw = f"r_{f.name}"
        if f.kind in FREE:
            middle.append(f"{_date(raw) if f.kind == 'datetime' else _number(raw, f.kind)} AS p_{f.name}")
    code = "r_code" if mapping.get("code") else "NULL"
    received = "r_received_at" if mapping.get("received_at") else "NULL"
    middle.append(f"({code} IS NOT NULL AND regexp_matches({code}, '[0-9]')) AS has_id")
    outer = []
    for f in mapped:
        if f.kind in FREE:
            outer.append(f"p_{f.name} AS {f.name}")
            outer.append(f"CASE WHEN p_{f.name} IS NULL THEN r_{f.name} END AS {f.name}__raw")
        else:
            outer.append(f"r_{f.name} AS {f.name}")
    trimmed = [f"NULLIF(trim(c_{i}), '')" for i in range(len(cells))]
    joined = f"concat_ws({lit(SEP)}, {', '.join(trimmed)})"
    header_of_code = fold_sql(lit(mapping.get("code", "")))
    layout = f"""CASE WHEN has_id THEN NULL ELSE (
            CASE WHEN {joined} = '' THEN 'blank'
                 WHEN regexp_matches({fold_sql(joined)}, '(^|{SEP})\\s*(tong|cong)(\\s|:|$|{SEP})') THEN 'total'
                 WHEN {fold_sql(code)} = {header_of_code} THEN 'repeat'
                 WHEN {code} IS NOT NULL OR {received} IS NOT NULL THEN NULL
                 WHEN regexp_full_match(replace({joined}, {lit(SEP)}, ''), '[0-9 .,]+') THEN 'numbers'
                 ELSE 'note' END) END"""
    outer.append(f"{layout} AS layout")
    outer.append(
        f"CASE WHEN NOT has_id THEN left(replace({joined}, {lit(SEP)}, ' | '), 160) END AS layout_text"
    )
    return (
        f"SELECT {', '.join(outer)} FROM (SELECT {', '.join(middle)} FROM "
        f"(SELECT {', '.join(inner)} FROM {source}) AS t) AS m"
    )


def checked_sql(
    mapping: dict[str, str],
    *,
    staged: str,
    import_id: int,
    first_row: int,
    may_enter: str,
    inline: dict[str, list[tuple]] | None = None,
) -> str:
    """SELECT over the staged file (``staged``, a read_parquet with file_row_number) giving the
    canonical columns plus ``error`` (NULL for a good row) and ``error_key`` (rows with the same
    problem share it). Expects ``v_<field>(raw, val, known)`` for each coded and free field of
    the mapping (``v_channel`` also has ``lvl``; ``v_unit`` has ``ambiguous`` and
    ``candidates``) and ``repeats(code, first_idx)``. ``may_enter``: SQL truth of "the person
    may enter data for unit ``u.val``"."""
    mapped = {f.name for f in FIELDS if mapping.get(f.name)}
    coded = [n for n in coded_fields(mapping) if n != "unit"]
    free = free_fields(mapping)

    def col(name: str) -> str:
        return f"s.{name}" if name in mapped else "NULL"

    inline = inline or {}

    def sql_value(v) -> str:
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        return lit(str(v))

    def mval(n: str) -> str:  # the decided meaning of the row's spelling
        if n not in inline:
            return f"m_{n}.val"
        whens = " ".join(
            f"WHEN {lit(raw)} THEN {sql_value(val)}" for raw, val, _, _ in inline[n] if val is not None
        )
        return f"(CASE s.{n} {whens} END)" if whens else "NULL"

    def mknown(n: str) -> str:
        if n not in inline:
            return f"coalesce(m_{n}.known, FALSE)"
        known = [lit(raw) for raw, _, ok, _ in inline[n] if ok]
        return f"(s.{n} IN ({', '.join(known)}))" if known else "FALSE"

    def mlvl() -> str:
        if "channel" not in inline:
            return "m_channel.lvl"
        whens = " ".join(f"WHEN {lit(raw)} THEN {lit(lv)}" for raw, _, _, lv in inline["channel"] if lv)
        return f"(CASE s.channel {whens} END)" if whens else "NULL"

    # a column with a handful of spellings is decided by a CASE on the row (no join); one with
    # many (or the units) joins its small table
    joins = [f"LEFT JOIN {value_table(n)} m_{n} ON m_{n}.raw = s.{n}" for n in coded if n not in inline]
    joins += [f"LEFT JOIN {value_table(n)} f_{n} ON f_{n}.raw = s.{n}__raw" for n in free]  # few rows
    if "unit" in mapped:
        joins.append("LEFT JOIN v_unit u ON u.raw = s.unit")
    joins.append("LEFT JOIN repeats rp ON rp.code = s.code")

    from chitieu.dossiers.codes import DEFAULTS

    def coded_value(name: str) -> str:
        default = DEFAULTS[BY_NAME[name].kind]
        d = "NULL" if default is None else ("FALSE" if default is False else lit(str(default)))
        if name not in coded:
            return d
        return f"CASE WHEN s.{name} IS NULL THEN {d} ELSE {mval(name)} END"

    def free_value(name: str) -> str:
        if name not in free:
            return f"CAST(NULL AS {TYPES[name]})"
        return f"coalesce(s.{name}, f_{name}.val)"

    level = coded_value("online_level")
    if "channel" in coded:
        given = "s.online_level IS NOT NULL" if "online_level" in coded else "FALSE"
        level = f"CASE WHEN {given} THEN {level} ELSE coalesce({mlvl()}, 'none') END"
    values = {
        "code": col("code"),
        "procedure_code": col("procedure_code"),
        "procedure_name": col("procedure_name"),
        "online_level": level,
        "unit_id": "u.val" if "unit" in mapped else "CAST(NULL AS BIGINT)",
        "import_id": f"CAST({int(import_id)} AS BIGINT)",
        "source_row": f"CAST(s.file_row_number + {int(first_row)} AS BIGINT)",
    }
    for f in FIELDS:
        if f.name in values or f.name == "unit":
            continue
        if f.kind in FREE:
            values[f.name] = free_value(f.name)
        elif f.kind in CODED:
            v = coded_value(f.name)
            values[f.name] = v
        else:
            values[f.name] = col(f.name)

    def label(name: str) -> str:
        return lit(BY_NAME[name].label)

    checks: list[tuple[str, str, str]] = []  # (condition, message, grouping key)
    for name in ("code", "procedure_code", "unit", "received_at"):
        raw = f"{col(name)} IS NULL" + (f" AND s.{name}__raw IS NULL" if name in free else "")
        checks.append((raw, f"'thiếu ' || {label(name)}", lit(f"missing{SEP}{name}")))
    for n in coded:
        if BY_NAME[n].kind == "rating":
            continue  # an unknown rating is "no rating", not an error
        checks.append(
            (
                f"s.{n} IS NOT NULL AND NOT {mknown(n)}",
                f"{label(n)} || ' không hiểu được: \"' || s.{n} || '\"'",
                f"{lit('v' + SEP + n + SEP)} || s.{n}",
            )
        )
    for n in free:
        checks.append(
            (
                f"s.{n}__raw IS NOT NULL AND f_{n}.raw IS NULL",
                f"{label(n)} || ' không hiểu được: \"' || s.{n}__raw || '\"'",
                f"{lit('v' + SEP + n + SEP)} || s.{n}__raw",
            )
        )
    if "unit" in mapped:
        checks += [
            (
                "u.ambiguous",
                f"{label('unit')} || ' \"' || s.unit || '\" trùng tên nhiều đơn vị: ' || u.candidates || '; hãy chọn đơn vị'",
                f"{lit('a' + SEP)} || s.unit",
            ),
            (
                "u.val IS NULL",
                f"{label('unit')} || ' \"' || s.unit || '\" không có trong danh mục đơn vị'",
                f"{lit('v' + SEP + 'unit' + SEP)} || s.unit",
            ),
            (
                f"NOT ({may_enter})",
                "'không có quyền nhập hồ sơ của đơn vị \"' || s.unit || '\"'",
                f"{lit('p' + SEP)} || s.unit",
            ),
        ]
    received, due, finished = values["received_at"], values["due_at"], values["finished_at"]
    checks += [
        (f"{due} IS NOT NULL AND {due} < {received}", "'hạn xử lý trước ngày tiếp nhận'", lit("order-due")),
        (
            f"{finished} IS NOT NULL AND {finished} < {received}",
            "'ngày có kết quả trước ngày tiếp nhận'",
            lit("order-finished"),
        ),
        (
            "rp.first_idx IS NOT NULL AND s.file_row_number > rp.first_idx",
            f"'mã hồ sơ \"' || s.code || '\" đã có ở dòng ' || (rp.first_idx + {int(first_row)})",
            "NULL",
        ),
    ]
    if "status" in coded:
        checks.insert(
            len(checks) - 1,
            (
                f"{values['status']} IN ('done', 'withdrawn') AND {finished} IS NULL AND {values['returned_at']} IS NULL",
                f"{label('status')} || ' \"' || s.status || '\" (đã kết thúc) nhưng không có ngày có kết quả hay ngày trả kết quả'",
                f"{lit('end' + SEP)} || s.status",
            ),
        )
    error = "CASE " + " ".join(f"WHEN {c} THEN {m}" for c, m, _ in checks) + " END"
    error_key = "CASE " + " ".join(f"WHEN {c} THEN {k}" for c, _, k in checks) + " END"
    select = [f"{values[c]} AS {c}" for c in COLUMNS] + [f"{error} AS error", f"{error_key} AS error_key"]
    return f"SELECT {', '.join(select)} FROM {staged} AS s {' '.join(joins)} WHERE s.layout IS NULL"
