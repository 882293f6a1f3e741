"""Which unit a document means: "P. CDS", "Văn phòng Sở", "Trưởng phòng Giáo dục và Đào tạo",
"Chánh Văn phòng HĐND-UBND TP", "Các phòng, đơn vị thuộc Sở", "UBND các phường, xã".

Pure Python. The caller gives the units a document can mean (:class:`UnitRecord`: the issuer's
province or district with its subtree, and the bodies above) and the issuer; :func:`resolve` answers
one phrase with a :class:`Resolution`: one unit, a group of units, a name that is ambiguous (ranked
candidates for a person to choose from), a doer outside the government tree (enterprises, banks), or
nothing found. Names are read the way offices write them:

* abbreviations of unit types and fields ("P.", "VP", "TT.", "Sở TT&TT", "VH-XH"), and initials of a
  unit's own name ("P. CDS" is the Phòng Chuyển đổi số, "TT TGPL" the Trung tâm Trợ giúp pháp lý);
* titles of the unit's head ("Trưởng phòng X" is Phòng X, "Chánh Văn phòng" the Văn phòng, "Giám đốc
  Sở" the Sở, "Chủ tịch UBND các xã" the communes);
* names relative to the issuer: "Văn phòng Sở" in a department's plan is that department's office,
  never another's — the search starts in the issuer's subtree and widens only when nothing matches;
* collective phrases become groups of the issuer's units (data in ``core/data/unit_names.json``);
* names a person chose before (learned aliases) come first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz

from chitieu.core import vntext

# -- the language data -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(resources.files("chitieu.core").joinpath("data/unit_names.json").read_text("utf-8"))


@dataclass(frozen=True)
class UnitRecord:
    id: int
    name: str
    kind: str  # province, district, commune, department, board, office, service, nation, other
    parent: int | None = None
    path: tuple[int, ...] = ()  # ids from the root down to this unit (itself included)
    short_name: str = ""
    abbreviation: str = ""
    aliases: tuple[str, ...] = ()
    active: bool = True


@dataclass
class Resolution:
    phrase: str
    status: str  # unit | group | ambiguous | outside | none | empty
    units: list[int] = field(default_factory=list)
    candidates: list[tuple[int, float]] = field(default_factory=list)
    how: str = ""

    @property
    def resolved(self) -> bool:
        return self.status in ("unit", "group", "outside", "empty")


TERRITORIAL = {"nation", "province", "district", "commune"}
_STOP = {"va", "cua", "voi", "cac", "cho"}


def key(text: str) -> str:
    """Accent-folded words, punctuation and connectors gone, abbreviations expanded:
    "Phòng VH-XH" and "Phòng Văn hóa - Xã hội" give the same key."""
    t = vntext.fold(vntext.canonical_tones(vntext.nfc(text or "")))
    t = t.replace("–", "-").replace("—", "-")
    t = re.sub(r"\b(p|ph|tt|vp|s)\.(?=\w)", r"\1. ", t)  # "P.CDS", "TT.CNTT"
    words = []
    fields = _data()["fields"]
    types = _data()["type_words"]
    for i, w in enumerate(re.split(r"\s+", t.strip())):
        if not w:
            continue
        bare = w.strip(",;:()\"'")
        if bare in fields:
            words.extend(fields[bare].split())
            continue
        if bare in types and (i == 0 or bare in ("ubnd", "hdnd", "bcd")):
            words.extend(types[bare].split())
            continue
        words.append(bare)
    out = re.sub(r"[^\w\s]", " ", " ".join(words).replace("&", " va "))
    return " ".join(w for w in out.split() if w not in _STOP)


def initials(words: str) -> str:
    return "".join(w[0] for w in words.split() if w)


_TYPE_HEADS = (
    "ban quan ly",
    "ban chi dao",
    "van phong",
    "trung tam",
    "thanh tra",
    "chi cuc",
    "cong an",
    "uy ban nhan dan",
    "phong",
    "so",
    "ban",
    "cuc",
    "doan",
    "hoi",
    "bo phan",
    "to",
)


def _split_type(k: str) -> tuple[str, str]:
    for head in _TYPE_HEADS:
        if k == head or k.startswith(head + " "):
            return head, k[len(head) :].strip()
    return "", k


# -- the units' own names ------------------------------------------------------------------------
_PLACE_HEAD = re.compile(r"^(?:tinh|thanh pho|huyen|thi xa|quan|xa|phuong|thi tran|dac khu)\s+(?=\S)")
_PLACE_TAIL = re.compile(r"\s+(?:tinh|thanh pho|huyen|thi xa|quan|xa|phuong|thi tran|dac khu)\s+\S.*$")


@dataclass
class _Known:
    rec: UnitRecord
    keys: set[str]
    heads: set[tuple[str, str]]  # (type word, rest) of each key, for initials


def _variants(u: UnitRecord, by_id: dict[int, UnitRecord]) -> _Known:
    names = [u.name, u.short_name, u.abbreviation, *u.aliases]
    keys: set[str] = set()
    ancestors = [by_id[a] for a in u.path[:-1] if a in by_id]
    for n in filter(None, names):
        k = key(n)
        if not k:
            continue
        keys.add(k)
        local = k
        for a in reversed(
            ancestors
        ):  # "Phòng CCVC - Sở Nội vụ tỉnh Bắc Giang" -> "phong cong chuc vien chuc"
            for an in filter(None, (a.name, a.short_name)):
                ak = key(an)
                # "Thành đoàn Bắc Giang" under Thành phố Bắc Giang: the place written without its word
                for form in dict.fromkeys((ak, _PLACE_HEAD.sub("", ak))):
                    if form and local.endswith(" " + form) and local != form:
                        local = local[: -len(form)].strip()
                        break
        local = _PLACE_TAIL.sub("", local).strip()
        if local:
            keys.add(local)
            if local.endswith(" so") and u.kind != "department":  # "Văn phòng Sở", "Thanh tra Sở"
                keys.add(local[:-3].strip())
    heads = {_split_type(k) for k in keys}
    return _Known(u, keys, heads)


# -- reading a phrase -----------------------------------------------------------------------------
def split_names(text: str) -> list[str]:
    """Several units in one cell or line: "Văn phòng Sở; phòng CCVC Sở" is two; a lead phrase with
    "phối hợp" keeps what comes before it ("Phòng CCHC phối hợp với các phòng ..." is Phòng CCHC)."""
    text = vntext.nfc(text or "").strip()
    folded = vntext.fold(text)
    m = re.search(r"\s(?:phoi hop|cung phoi hop|chu tri,? phoi hop)\b", folded)
    if m and m.start() > 0:
        text = text[: m.start()]
    text = re.sub(r"(?i)\s+chủ trì\s*[,;.]?\s*$", "", text.strip())
    # "Văn phòng HĐND và UBND xã là cơ quan thường trực ...": the name ends where the sentence goes on
    text = re.split(r"(?i)\s+(?:là|có trách nhiệm|chịu trách nhiệm|làm đầu mối)\s+", text, maxsplit=1)[0]
    parts = [p.strip(" .,:()") for p in re.split(r";|\n", text)]
    out: list[str] = []
    for p in parts:  # "Các sở, ban, ngành và UBND các huyện": two groups ("HĐND và UBND" is one name)
        pieces = re.split(_AND_UNIT, p)
        merged = [pieces[0]]
        for piece in pieces[1:]:
            if re.search(r"(?:hdnd|hoi dong nhan dan)$", vntext.fold(merged[-1]).strip()):
                merged[-1] = f"{merged[-1]} và {piece}"
            else:
                merged.append(piece)
        out.extend(m.strip(" .,:()") for m in merged)
    return [p for p in out if p and vntext.fold(p) not in ("", "khong", "-")]


_AND_UNIT = re.compile(
    r"\s+và\s+(?=(?:các\s+)?(?:UBND|Ủy ban|Uỷ ban|Sở|Phòng|Ban|Văn phòng|Trung tâm|Chủ tịch|Công an|Chi cục|"
    r"Thanh tra|Đoàn|Thủ trưởng|Trưởng)\b)"
)


def _strip_title(k: str) -> tuple[str, bool]:
    """A head's title dropped: ("truong phong giao duc ...", ) -> "phong giao duc ..."."""
    for pattern, replacement in _data()["titles"]:
        m = re.match(rf"^{pattern}\s+(.*)$", k)
        if m:
            rest = m.group(1)
            return ((replacement + " " + rest).strip() if replacement else rest), True
    return k, False


def _leader_of_issuer(k: str) -> bool:
    """ "Ban Giám đốc Sở", "Lãnh đạo Sở", "Giám đốc Sở": the issuer itself."""
    for w in _data()["leader_words"]:
        if k == w or k in (w + " so", w + " uy ban nhan dan", w + " ubnd"):
            return True
    return False


def _is_outside(k: str) -> bool:
    return any(re.search(rf"(?:^| ){re.escape(w)}(?: |$)", k) for w in _data()["outside"])


def _relative_core(k: str) -> str:
    """Words that only point at the issuer's own level dropped: "van phong so" -> "van phong",
    "van phong hoi dong nhan dan va uy ban nhan dan thanh pho" -> "... uy ban nhan dan"."""
    for w in sorted(_data()["relative_words"], key=len, reverse=True):
        wk = key(w)
        if k.endswith(" " + wk) and len(k) > len(wk) + 1:
            return k[: -len(wk)].strip()
    return k


class Resolver:
    """Resolve phrases against a fixed set of units, for one issuer."""

    def __init__(
        self,
        units: list[UnitRecord],
        issuer: int | None,
        *,
        learned: dict[str, list[int]] | None = None,
        groups: dict[str, list[int]] | None = None,
    ):
        self.by_id = {u.id: u for u in units}
        self.known = [_variants(u, self.by_id) for u in units if u.active]
        self.issuer = self.by_id.get(issuer) if issuer is not None else None
        self.learned = {key(k): v for k, v in (learned or {}).items()}
        for k, v in list(self.learned.items()):  # "Bí thư Thành đoàn" learned: "Thành đoàn" is the same body
            core, titled = _strip_title(k)
            if titled and core and core not in self.learned:
                self.learned[core] = v
        self.groups = {key(k): v for k, v in (groups or {}).items()}
        self._children: dict[int, list[UnitRecord]] = {}
        for u in units:
            if u.parent is not None and u.active:
                self._children.setdefault(u.parent, []).append(u)

    # -- where to look, nearest first
    def _territory(self) -> UnitRecord | None:
        u = self.issuer
        while u is not None and u.kind not in TERRITORIAL:
            u = self.by_id.get(u.parent) if u.parent is not None else None
        return u

    def _tiers(self) -> list[tuple[int, ...] | None]:
        tiers: list[tuple[int, ...] | None] = []
        u = self.issuer
        seen = set()
        while u is not None:
            if u.id not in seen:
                tiers.append(u.path or (u.id,))
                seen.add(u.id)
            if u.kind in ("province", "nation"):
                break
            u = self.by_id.get(u.parent) if u.parent is not None else None
        tiers.append(None)  # anywhere
        return tiers

    def _within(self, k: _Known, prefix: tuple[int, ...] | None) -> bool:
        return prefix is None or k.rec.path[: len(prefix)] == prefix

    def _descendants(self, root: UnitRecord, kinds: set[str]) -> list[int]:
        out = []
        stack = list(self._children.get(root.id, []))
        while stack:
            u = stack.pop()
            if u.kind in kinds:
                out.append(u.id)
            stack.extend(self._children.get(u.id, []))
        return sorted(out)

    # -- one phrase
    def resolve(self, phrase: str) -> Resolution:
        phrase = vntext.nfc(phrase or "").strip(" .,;:")
        if not phrase:
            return Resolution(phrase, "empty")
        k = key(phrase)
        if k in self.learned:
            return Resolution(
                phrase, "group" if len(self.learned[k]) > 1 else "unit", list(self.learned[k]), how="learned"
            )
        for gk, ids in self.groups.items():  # a group the document itself lists ("các đơn vị thí điểm")
            if gk == k or re.search(rf"(?:^| ){re.escape(gk)}(?: |$)", k):
                return Resolution(phrase, "group", list(ids), how="named group")
        if _is_outside(k):
            return Resolution(phrase, "outside", how="outside the government tree")
        core, titled = _strip_title(k)
        if core in self.learned:
            return Resolution(
                phrase,
                "group" if len(self.learned[core]) > 1 else "unit",
                list(self.learned[core]),
                how="learned",
            )
        if self.issuer is not None and (
            _leader_of_issuer(k) or _leader_of_issuer(core) or core in ("so", "")
        ):
            return Resolution(phrase, "unit", [self.issuer.id], how="the issuer's leadership")
        group = self._collective(core)
        if group is not None:
            return group if group.phrase else Resolution(phrase, group.status, group.units, how=group.how)
        res = self._by_name(core)
        if titled and not res.resolved:  # "Trường ..." may be a school, not a head's title
            plain = self._by_name(k)
            if plain.resolved:
                res, titled = plain, False
        if (
            not res.resolved
            and self.issuer is not None
            and any(core == w or core.startswith(w + " ") for w in _data()["staff_words"])
        ):  # "Công chức Văn phòng - Thống kê": a post of the issuer's own staff, so the issuer
            return Resolution(phrase, "unit", [self.issuer.id], res.candidates, how="the issuer's own staff")
        if not res.resolved and "," in phrase:  # a list written with commas: each part a unit
            parts = [p for p in re.split(r",\s*", phrase) if p.strip()]
            singles = [self.resolve(p) for p in parts]
            if len(parts) > 1 and all(s.status == "unit" for s in singles):
                ids = sorted({i for s in singles for i in s.units})
                return Resolution(phrase, "group", ids, how="list")
        res.phrase = phrase
        if titled and not res.how.startswith("title"):
            res.how = f"title + {res.how}"
        return res

    def _collective(self, core: str) -> Resolution | None:
        territory = self._territory()
        for rule in _data()["collectives"]:
            if not re.match(rule["pattern"], core):
                continue
            kinds = set(rule["kinds"])
            if rule["group"] == "children" and self.issuer is not None:
                # a board's plan speaks for its government: "các phòng" are the government's offices
                root = self.issuer if self.issuer.kind != "board" else (territory or self.issuer)
                ids = [u.id for u in self._children.get(root.id, []) if u.kind in kinds]
                return (
                    Resolution("", "group", sorted(ids), how=f"collective: {rule['group']}") if ids else None
                )
            if rule["group"] in ("territory", "territory_offices") and territory is not None:
                ids = self._descendants(territory, kinds)
                if rule["group"] == "territory_offices":  # the territory's own offices, not theirs
                    ids = [i for i in ids if self.by_id[i].parent == territory.id]
                return Resolution("", "group", ids, how=f"collective: {rule['kinds'][0]}") if ids else None
        return None

    def _by_name(self, core: str) -> Resolution:
        rel = _relative_core(core)
        wanted = {core, rel}
        head, rest = _split_type(rel)
        if head and not rest:  # "Văn phòng", "Thanh tra": the one unit of that type nearest the issuer
            only = self._only_of_type(head)
            if only is not None:
                return Resolution(core, "unit", [only], [(only, 100.0)], how="the issuer's own")
        for prefix in self._tiers():
            exact = [k for k in self.known if self._within(k, prefix) and wanted & k.keys]
            if exact:
                return self._pick(core, exact, "name")
            if head and rest and " " not in rest and len(rest) >= 2:  # "phong cds": initials of the name
                ini = [
                    k
                    for k in self.known
                    if self._within(k, prefix)
                    and any(h == head and r and _initials_match(rest, initials(r)) for h, r in k.heads)
                ]
                if ini:
                    return self._pick(core, ini, "initials")
        # nothing exact: ranked candidates by similarity, nearest first
        scored: list[tuple[float, int]] = []
        near = self._tiers()[0]
        for k in self.known:
            s = max(fuzz.token_set_ratio(rel, v) * 0.6 + fuzz.ratio(rel, v) * 0.4 for v in k.keys)
            if head and rest and " " not in rest:
                for h, r in k.heads:
                    if h == head and r and _subsequence(rest, initials(r)):
                        s = max(s, 80.0)
            if near is not None and self._within(k, near):
                s += 3
            if s >= 60:
                scored.append((s, k.rec.id))
        scored.sort(reverse=True)
        cands = [(i, round(min(s, 100.0), 1)) for s, i in scored[:6]]
        if cands and cands[0][1] >= 93 and (len(cands) == 1 or cands[0][1] - cands[1][1] >= 8):
            return Resolution(core, "unit", [cands[0][0]], cands, how="close spelling")
        return Resolution(core, "ambiguous" if cands else "none", [], cands, how="candidates")

    def _only_of_type(self, head: str) -> int | None:
        roots = [self.issuer, self._territory()] if self.issuer is not None else []
        for root in filter(None, roots):
            ids = {
                k.rec.id for k in self.known if k.rec.parent == root.id and any(h == head for h, _ in k.heads)
            }
            if len(ids) == 1:
                return ids.pop()
            if ids:
                return None
        return None

    def _pick(self, core: str, found: list[_Known], how: str) -> Resolution:
        ids = sorted({k.rec.id for k in found})
        if len(ids) == 1:
            return Resolution(core, "unit", ids, [(ids[0], 100.0)], how=how)
        # the same name twice in reach: the one nearest the issuer, when it is clearly nearer
        if self.issuer is not None:
            depth = {i: _distance(self.by_id[i].path, self.issuer.path) for i in ids}
            best = min(depth.values())
            nearest = [i for i in ids if depth[i] == best]
            if len(nearest) == 1:
                return Resolution(core, "unit", nearest, [(i, 100.0) for i in ids], how=f"{how}, nearest")
        return Resolution(core, "ambiguous", [], [(i, 100.0) for i in ids], how=f"{how}, several")


def _initials_match(written: str, name_initials: str) -> bool:
    """ "cds" for Chuyển đổi số; "tgpl" for Trợ giúp pháp lý nhà nước (the leading words' initials)."""
    return written == name_initials or (len(written) >= 3 and name_initials.startswith(written))


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _distance(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return (len(a) - common) + (len(b) - common)


def resolve_all(resolver: Resolver, text: str | None) -> list[Resolution]:
    """Every unit a cell or line names (see :func:`split_names`), each resolved."""
    return [resolver.resolve(p) for p in split_names(text or "")]
