"""Input of the dossier pages, parsed into typed arguments before any service sees it."""

from __future__ import annotations

from chitieu.core.errors import Invalid
from chitieu.dossiers.codes import MEANINGS

MAX_CHOICES = 200  # one import's preview lists at most this many spellings


def value_choices(report: dict, data) -> tuple[dict[str, dict[str, str]], bool]:
    """The person's choices on the preview: ``{field: {spelling: meaning}}`` and whether to keep
    them in the mapping profile. Fields are ``val_<n>`` (the n-th unknown spelling of the report)
    and ``unit_<n>`` (the n-th shared unit name); an empty choice is no choice."""
    values: dict[str, dict[str, str]] = {}
    unknown = (report or {}).get("unknown", [])[:MAX_CHOICES]
    for i, u in enumerate(unknown):
        choice = str(data.get(f"val_{i}", "")).strip()[:40]
        if not choice:
            continue
        if choice == "-":  # "no value" (a date or number left empty)
            choice = ""
        kind = u.get("kind")
        if kind in MEANINGS and choice not in MEANINGS[kind]:
            raise Invalid(
                f"Lựa chọn '{choice}' không hợp lệ cho giá trị \"{u.get('value')}\".", field=f"val_{i}"
            )
        values.setdefault(u["field"], {})[u["value"]] = choice
    for i, a in enumerate((report or {}).get("ambiguous", [])[:MAX_CHOICES]):
        choice = str(data.get(f"unit_{i}", "")).strip()
        if not choice:
            continue
        if not (choice.isascii() and choice.isdigit() and len(choice) < 12):
            raise Invalid(f'Đơn vị đã chọn cho "{a.get("value")}" không hợp lệ.', field=f"unit_{i}")
        values.setdefault("unit", {})[a["value"]] = choice
    return values, str(data.get("save_to_profile", "")) in ("1", "on", "true")
