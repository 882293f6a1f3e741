"""Ranking units by the (weighted) share of their targets met, with ties explained.

Pure Python. Standard competition ranking ("1, 2, 2, 4"): units with exactly the same share
(compared as exact fractions, never as rounded percentages) share a rank, and each tied unit
carries a Vietnamese sentence naming the others and the figures that make them equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from chitieu.core.numbers import format_vi


@dataclass(frozen=True)
class Entry:
    """One unit's tally: how many targets it has, how many are met, and their weights."""

    key: int | str
    name: str
    met: int
    total: int
    met_weight: Decimal = Decimal(0)
    total_weight: Decimal = Decimal(0)

    @property
    def share(self) -> Fraction | None:
        if self.total_weight <= 0:
            return None
        return Fraction(self.met_weight) / Fraction(self.total_weight)


@dataclass
class Ranked:
    entry: Entry
    rank: int | None
    tied_with: list[str] = field(default_factory=list)
    explanation: str = ""

    @property
    def percent(self) -> Fraction | None:
        s = self.entry.share
        return None if s is None else s * 100


def _pct(share: Fraction) -> str:
    return format_vi(share * 100, 1) + "%"


def rank(entries: Iterable[Entry], *, weighted: bool = False) -> list[Ranked]:
    """Rank entries by share met, best first. Entries without targets come last, unranked."""
    items = list(entries)
    scored = sorted((e for e in items if e.share is not None), key=lambda e: (-e.share, -e.total, e.name))
    unscored = sorted((e for e in items if e.share is None), key=lambda e: e.name)
    out: list[Ranked] = []
    position = 0
    i = 0
    while i < len(scored):
        j = i
        while j < len(scored) and scored[j].share == scored[i].share:
            j += 1
        group = scored[i:j]
        rank_no = position + 1
        for e in group:
            others = [g.name for g in group if g is not e]
            tally = f"{e.met}/{e.total} chỉ tiêu đạt"
            if weighted:
                tally += f", {format_vi(e.met_weight, 2)}/{format_vi(e.total_weight, 2)} điểm trọng số"
            if others:
                shares = {(g.met, g.total) for g in group}
                same = "cùng số chỉ tiêu đạt" if len(shares) == 1 else "khác số chỉ tiêu nhưng cùng tỷ lệ"
                named = ", ".join(others[:3]) + (
                    f" và {len(others) - 3} đơn vị khác" if len(others) > 3 else ""
                )
                text = (
                    f"Đồng hạng {rank_no} với {named}: {same}, "
                    f"tỷ lệ đạt bằng nhau ({_pct(e.share)}; {tally})."
                )
            else:
                text = f"Hạng {rank_no}: {_pct(e.share)} ({tally})."
            out.append(Ranked(e, rank_no, others, text))
        position += len(group)
        i = j
    for e in unscored:
        out.append(Ranked(e, None, [], "Không xếp hạng: chưa được giao chỉ tiêu nào có thể đánh giá."))
    return out


@dataclass
class PointsRanked:
    key: int | str
    name: str
    points: Fraction
    rank: int
    tied_with: list[str]
    explanation: str


def rank_by_points(
    entries: Iterable[tuple[int | str, str, Fraction]], *, unit: str = "điểm"
) -> list[PointsRanked]:
    """Competition ranking by points (highest first); equal points (exactly) share a rank."""
    items = sorted(entries, key=lambda e: (-e[2], e[1]))
    out: list[PointsRanked] = []
    i = 0
    while i < len(items):
        j = i
        while j < len(items) and items[j][2] == items[i][2]:
            j += 1
        group = items[i:j]
        for key, name, pts in group:
            others = [g[1] for g in group if g[0] != key]
            shown = format_vi(pts, 2)
            if others:
                named = ", ".join(others[:3]) + (
                    f" và {len(others) - 3} đơn vị khác" if len(others) > 3 else ""
                )
                text = f"Đồng hạng {i + 1} với {named}: cùng {shown} {unit}."
            else:
                text = f"Hạng {i + 1}: {shown} {unit}."
            out.append(PointsRanked(key, name, pts, i + 1, others, text))
        i = j
    return out
