"""Load the 34 provinces and 3,321 communes (after 1 July 2025) from ``vietnam-provinces``,
plus the 63 provinces before the reorganisation with their successor links, so that data
reported by a merged province still rolls up into today's province."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from chitieu.audit.services import record
from chitieu.core import vntext
from chitieu.orgs.models import Unit, UnitKind, UnitSuccession

REORG_DAY = dt.date(2025, 7, 1)
NATION_CODE = "VN"


def _key(*names: str) -> str:
    return " | ".join(vntext.fold(n) for n in names if n)[:255]


def _short(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh ", "Xã ", "Phường ", "Thị trấn ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


@transaction.atomic
def load_vietnam_units(
    *,
    actor=None,
    legacy: bool = True,
    provinces: set[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Create or update the national tree. Idempotent: codes are stable (P24, W25123, L24)."""
    import vietnam_provinces as vp

    nation, _ = Unit.objects.update_or_create(
        code=NATION_CODE,
        defaults={"name": "Việt Nam", "short_name": "Việt Nam", "kind": UnitKind.NATION, "parent": None},
    )
    nation.path, nation.depth, nation.search_key = f"/{nation.pk}/", 0, _key("Việt Nam")
    nation.save(update_fields=["path", "depth", "search_key"])

    new_provinces = [p for p in vp.Province.iter_all() if provinces is None or int(p.code) in provinces]
    wards = [w for w in vp.Ward.iter_all() if provinces is None or int(w.province_code) in provinces]
    total = len(new_provinces) + len(wards)
    done = 0
    existing = {u.code: u for u in Unit.objects.filter(code__regex=r"^[PWL]\d+$")}

    prov_units: dict[int, Unit] = {}
    for p in new_provinces:
        code = f"P{int(p.code):02d}"
        u = existing.get(code) or Unit(code=code)
        u.name, u.short_name, u.kind, u.parent = p.name, _short(p.name), UnitKind.PROVINCE, nation
        u.admin_code, u.valid_from, u.valid_to = str(int(p.code)), REORG_DAY, None
        u.search_key = _key(u.name, u.short_name)
        u.save()
        u.path, u.depth = f"{nation.path}{u.pk}/", 1
        u.save(update_fields=["path", "depth"])
        prov_units[int(p.code)] = u
        done += 1
    if progress:
        progress(done, total)

    to_create, to_update = [], []
    for w in wards:
        code = f"W{int(w.code):05d}"
        parent = prov_units[int(w.province_code)]
        u = existing.get(code)
        fields = {
            "name": w.name,
            "short_name": _short(w.name),
            "kind": UnitKind.COMMUNE,
            "parent": parent,
            "admin_code": str(int(w.code)),
            "valid_from": REORG_DAY,
            "depth": 2,
            "search_key": _key(w.name, _short(w.name)),
        }
        if u is None:
            to_create.append(Unit(code=code, **fields))
        else:
            for k, v in fields.items():
                setattr(u, k, v)
            to_update.append(u)
    Unit.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Unit.objects.bulk_update(
            to_update,
            ["name", "short_name", "kind", "parent", "admin_code", "valid_from", "depth", "search_key"],
            batch_size=500,
        )
    created = Unit.objects.filter(code__in=[f"W{int(w.code):05d}" for w in wards]).only("pk", "parent_id")
    path_of = {u.pk: u.path for u in prov_units.values()}
    fix = []
    for u in created:
        u.path = f"{path_of[u.parent_id]}{u.pk}/"
        fix.append(u)
    Unit.objects.bulk_update(fix, ["path"], batch_size=1000)
    done += len(wards)
    if progress:
        progress(done, total)

    n_legacy = 0
    if legacy:
        n_legacy = _load_legacy_provinces(nation, prov_units, provinces)
    record(
        actor=actor,
        action="import",
        object_type="orgs.unit",
        object_id="vietnam-provinces",
        after={"provinces": len(new_provinces), "communes": len(wards), "legacy_provinces": n_legacy},
        reason=f"vietnam-provinces {vp.__version__}",
    )
    return {"provinces": len(new_provinces), "communes": len(wards), "legacy_provinces": n_legacy}


def _load_legacy_provinces(nation: Unit, prov_units: dict[int, Unit], only: set[int] | None) -> int:
    from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW
    from vietnam_provinces.legacy.base import Province as LegacyProvince

    n = 0
    for lp in LegacyProvince.iter_all():
        entry = OLD_TO_NEW.get(int(lp.code))
        targets = [r.code for r in entry.new_provinces] if entry else []
        if only is not None and not any(t in only for t in targets):
            continue
        code = f"L{int(lp.code):02d}"
        u, _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": lp.name,
                "short_name": _short(lp.name),
                "kind": UnitKind.PROVINCE,
                "parent": nation,
                "admin_code": str(int(lp.code)),
                "valid_to": REORG_DAY - dt.timedelta(days=1),
                "search_key": _key(lp.name, _short(lp.name)),
            },
        )
        u.path, u.depth = f"{nation.path}{u.pk}/", 1
        u.save(update_fields=["path", "depth"])
        for i, t in enumerate(targets):
            if t in prov_units:
                UnitSuccession.objects.update_or_create(
                    predecessor=u,
                    successor=prov_units[t],
                    defaults={
                        "kind": UnitSuccession.Kind.MERGE if len(targets) == 1 else UnitSuccession.Kind.SPLIT,
                        "effective": REORG_DAY,
                        "primary": i == 0,
                        "note": "Sắp xếp đơn vị hành chính 2025",
                    },
                )
        n += 1
    return n


@transaction.atomic
def load_legacy_districts(*, provinces: set[int], actor=None) -> dict[str, int]:
    """The districts and communes before 1 July 2025 of today's ``provinces`` (under the old
    provinces they belonged to), each old commune linked to the ward(s) that took it over, so that a
    plan of 2024 that says "UBND các huyện" names the districts that existed then, and data reported by
    an old commune counts for its ward. Idempotent; the old provinces must be loaded."""
    from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW as PROVINCES
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARDS
    from vietnam_provinces.legacy.base import District, Ward

    old_provinces = {
        old for old, entry in PROVINCES.items() if any(int(r.code) in provinces for r in entry.new_provinces)
    }
    parents = {
        int(u.admin_code): u for u in Unit.objects.filter(code__in=[f"L{p:02d}" for p in old_provinces])
    }
    end = REORG_DAY - dt.timedelta(days=1)
    districts = [d for d in District.iter_all() if int(d.province_code) in parents]
    by_district: dict[int, Unit] = {}
    for d in districts:
        parent = parents[int(d.province_code)]
        u, _ = Unit.objects.update_or_create(
            code=f"LD{int(d.code):03d}",
            defaults={
                "name": d.name,
                "short_name": _short_district(d.name),
                "kind": UnitKind.DISTRICT,
                "parent": parent,
                "admin_code": str(int(d.code)),
                "valid_to": end,
                "search_key": _key(d.name, _short_district(d.name)),
            },
        )
        u.path, u.depth = f"{parent.path}{u.pk}/", parent.depth + 1
        u.save(update_fields=["path", "depth"])
        by_district[int(d.code)] = u
    wards = [w for w in Ward.iter_all() if int(w.district_code) in by_district]
    existing = {u.code: u for u in Unit.objects.filter(code__in=[f"LW{int(w.code):05d}" for w in wards])}
    new = []
    for w in wards:
        code = f"LW{int(w.code):05d}"
        if code in existing:
            continue
        parent = by_district[int(w.district_code)]
        new.append(
            Unit(
                code=code,
                name=w.name,
                short_name=_short(w.name),
                kind=UnitKind.COMMUNE,
                parent=parent,
                admin_code=str(int(w.code)),
                valid_to=end,
                depth=parent.depth + 1,
                search_key=_key(w.name, _short(w.name)),
            )
        )
    Unit.objects.bulk_create(new, batch_size=500)
    made = list(Unit.objects.filter(code__in=[u.code for u in new]).select_related("parent"))
    for u in made:
        u.path = f"{u.parent.path}{u.pk}/"
    Unit.objects.bulk_update(made, ["path"], batch_size=1000)
    old_units = {
        int(u.admin_code): u
        for u in Unit.objects.filter(code__startswith="LW", parent__in=by_district.values())
    }
    new_units = {
        int(u.admin_code): u
        for u in Unit.objects.filter(
            code__regex=r"^W\d+$", parent__admin_code__in=[str(p) for p in provinces]
        )
    }
    links = []
    have = set(
        UnitSuccession.objects.filter(predecessor__in=old_units.values()).values_list(
            "predecessor_id", "successor_id"
        )
    )
    for code, old in old_units.items():
        entry = WARDS.get(code)
        if entry is None:
            continue
        targets = [new_units[int(r.code)] for r in entry.new_wards if int(r.code) in new_units]
        split = entry.old_ward.is_partly_merged or len(targets) > 1
        for i, t in enumerate(targets):
            if (old.pk, t.pk) in have:
                continue
            links.append(
                UnitSuccession(
                    predecessor=old,
                    successor=t,
                    kind=UnitSuccession.Kind.SPLIT if split else UnitSuccession.Kind.MERGE,
                    effective=REORG_DAY,
                    primary=i == 0,
                    note="Sắp xếp đơn vị hành chính cấp xã 2025",
                )
            )
    UnitSuccession.objects.bulk_create(links, batch_size=1000)
    record(
        actor=actor,
        action="import",
        object_type="orgs.unit",
        object_id="vietnam-provinces-legacy",
        after={"districts": len(by_district), "communes": len(old_units), "successions": len(links)},
        reason="đơn vị cấp huyện, cấp xã trước 01/07/2025",
    )
    return {"districts": len(by_district), "communes": len(old_units), "successions": len(links)}


def _short_district(name: str) -> str:
    for prefix in ("Thành phố ", "Thị xã ", "Huyện ", "Quận "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
