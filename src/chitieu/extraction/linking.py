"""Linking target phrases to catalog indicators: normalised, abbreviation-expanded text and fuzzy
similarity over each indicator's name and aliases. Candidates come with scores for a person to confirm."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from chitieu.core import vntext

CATALOG_YAML = Path(__file__).resolve().parent.parent / "indicators" / "data" / "catalog.yaml"
AUTO_LINK = 82.0  # score at which a link is made without asking
SUGGEST = 60.0


@dataclass(frozen=True)
class Entry:
    code: str
    names: tuple[str, ...]
    keys: tuple[str, ...]


def make_entries(items: Iterable[tuple[str, list[str]]]) -> list[Entry]:
    out = []
    for code, names in items:
        names = tuple(n for n in names if n)
        out.append(Entry(code, names, tuple(_key(n) for n in names)))
    return out


_STOP = {
    "ty",
    "le",
    "so",
    "cac",
    "duoc",
    "tren",
    "cua",
    "va",
    "dat",
    "tong",
    "tai",
    "trong",
    "ve",
    "voi",
    "cho",
    "la",
}


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    words = [w for w in vntext.match_key(text).split() if w not in _STOP and not w.isdigit()]
    return " ".join(words)


@lru_cache(maxsize=1)
def shipped_catalog() -> tuple[Entry, ...]:
    import yaml

    data = yaml.safe_load(CATALOG_YAML.read_text(encoding="utf-8")) or []
    return tuple(make_entries((d["code"], [d["name"], *(d.get("aliases") or [])]) for d in data))


def score(text: str, entry: Entry) -> float:
    k = _key(text)
    if not k:
        return 0.0
    best = 0.0
    for ek in entry.keys:
        if not ek:
            continue
        s = 0.6 * fuzz.token_set_ratio(k, ek) + 0.4 * fuzz.token_sort_ratio(k, ek)
        best = max(best, s)
    return best


def candidates(text: str, catalog: Iterable[Entry] | None = None, limit: int = 3) -> list[tuple[str, float]]:
    cat = list(catalog) if catalog is not None else list(shipped_catalog())
    scored = sorted(((e.code, round(score(text, e), 1)) for e in cat), key=lambda x: -x[1])
    return [(c, s) for c, s in scored[:limit] if s >= SUGGEST]


def best(text: str, catalog: Iterable[Entry] | None = None) -> str | None:
    cands = candidates(text, catalog, limit=2)
    if not cands or cands[0][1] < AUTO_LINK:
        return None
    if len(cands) > 1 and cands[1][1] >= cands[0][1] - 2:
        return None  # too close to call: leave it to a person
    return cands[0][0]
