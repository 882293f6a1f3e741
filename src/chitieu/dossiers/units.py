"""Receiving units named in an export -> units of the tree, behind ONE function.

:func:`resolve` is the only place the dossier import matches unit names; the shared unit-name
resolver of the obligations issue replaces its body when it lands, with the same contract. It
knows codes, administrative codes, names, short names, abbreviations and aliases (accent- and
case-folded, "UBND"/"Ủy ban nhân dân" in front ignored). A name that several units share is not
guessed: unless exactly one of them is a unit the person may enter data for, it comes back as
ambiguous with its candidates, so that the import asks once (per import, per spelling) and the
person's choice is kept in the mapping profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chitieu.core import vntext
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit

_PREFIX = re.compile(r"^(ubnd|uy ban nhan dan|bo phan mot cua|bo phan tiep nhan va tra ket qua)\s+")


@dataclass
class Match:
    unit_id: int | None = None
    candidates: list[tuple[int, str]] = field(default_factory=list)  # when ambiguous

    @property
    def ambiguous(self) -> bool:
        return self.unit_id is None and len(self.candidates) > 1


def _k(text: str) -> str:
    k = vntext.fold(str(text)).strip(" .")
    return _PREFIX.sub("", k)


def _label(u: Unit, parents: dict[int, str]) -> str:
    parent = parents.get(u.parent_id or 0)
    return f"{u.name} ({u.code}{', thuộc ' + parent if parent else ''})"


def resolve(actor, spellings: list[str], *, allowed: set[int] | None) -> dict[str, Match]:
    """spelling -> :class:`Match` for each distinct spelling of the receiving-unit column.

    ``allowed``: the units ``actor`` may enter data for (None = every unit); it only settles a
    shared name when exactly one of its units is allowed. A spelling matching no unit comes back
    with neither an id nor candidates."""
    keys: dict[str, set[int]] = {}
    rows = list(
        Unit.objects.values_list("id", "code", "admin_code", "name", "short_name", "abbreviation", "aliases")
    )
    for uid, code, admin_code, name, short, abbr, aliases in rows:
        for k in (code, admin_code, name, short, abbr, *(aliases or [])):
            if k:
                keys.setdefault(_k(k), set()).add(uid)
    out: dict[str, Match] = {}
    shared: dict[str, set[int]] = {}
    for s in spellings:
        ids = keys.get(_k(s), set())
        if len(ids) > 1 and allowed is not None and len(ids & allowed) == 1:
            ids = ids & allowed
        if len(ids) == 1:
            out[s] = Match(next(iter(ids)))
        elif ids:
            shared[s] = ids
        else:
            out[s] = Match()
    if shared:
        units = Unit.objects.in_bulk({i for ids in shared.values() for i in ids})
        parents = dict(
            Unit.objects.filter(pk__in={u.parent_id for u in units.values() if u.parent_id}).values_list(
                "id", "name"
            )
        )
        for s, ids in shared.items():
            visible = [units[i] for i in sorted(ids) if permissions.has(actor, permissions.VIEW, units[i])]
            out[s] = Match(
                None, [(u.pk, _label(u, parents)) for u in visible] or [(0, "một đơn vị khác")] * 2
            )
    return out
