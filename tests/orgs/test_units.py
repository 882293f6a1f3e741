import datetime as dt

import pytest
from django.db import IntegrityError

from chitieu.audit.models import ChangeRecord
from chitieu.orgs import permissions, selectors, services
from chitieu.orgs.models import Unit, UnitKind, UnitSuccession


def test_tree_paths_and_subtree(tree):
    prov, dept, office = tree["prov"], tree["dept"], tree["office"]
    assert office.path == f"/{prov.pk}/{dept.pk}/{office.pk}/"
    assert office.depth == 2
    assert set(selectors.subtree(prov).values_list("code", flat=True)) == {
        "T1",
        "T1-SNV",
        "T1-SNV-VP",
        "T1-XA",
        "T1-XB",
    }
    assert office.is_descendant_of(prov) and not prov.is_descendant_of(office)


def test_moving_a_unit_moves_its_subtree(tree, people):
    services.unit_update(actor=people["root"], unit=tree["dept"], parent=tree["other"], reason="điều chuyển")
    office = Unit.objects.get(code="T1-SNV-VP")
    assert office.path.startswith(tree["other"].path)
    assert ChangeRecord.objects.filter(
        object_type="orgs.unit", object_id=str(tree["dept"].pk), action="update"
    ).exists()
    with pytest.raises(services.UnitError):
        services.unit_update(
            actor=people["root"], unit=tree["other"], parent=Unit.objects.get(code="T1-SNV-VP")
        )


def test_codes_are_unique(tree):
    with pytest.raises(services.UnitError):
        services.unit_create(actor=None, code="T1", name="Trùng mã", kind=UnitKind.OTHER)


def test_validity_range_constraint(db):
    with pytest.raises(IntegrityError):
        Unit.objects.create(
            code="X", name="X", kind="other", valid_from=dt.date(2025, 7, 1), valid_to=dt.date(2025, 1, 1)
        )


def test_merger_keeps_history_and_successor_map(tree, people):
    a, b = tree["xa_a"], tree["xa_b"]
    merged = services.unit_create(
        actor=None,
        code="T1-XM",
        name="Xã An Bình mới",
        kind=UnitKind.COMMUNE,
        parent=tree["prov"],
        valid_from=dt.date(2025, 7, 1),
    )
    services.unit_succeed(
        actor=people["root"], predecessors=[a, b], successor=merged, effective=dt.date(2025, 7, 1)
    )
    a.refresh_from_db()
    assert a.valid_to == dt.date(2025, 6, 30)
    assert a.is_valid_on(dt.date(2025, 6, 30)) and not a.is_valid_on(dt.date(2025, 7, 1))
    assert selectors.current_successor(a) == merged
    assert selectors.successor_map() == {a.pk: merged.pk, b.pk: merged.pk}
    assert set(
        selectors.valid_on(selectors.subtree(tree["prov"]), dt.date(2025, 8, 1)).values_list(
            "code", flat=True
        )
    ) == {"T1", "T1-SNV", "T1-SNV-VP", "T1-XM"}
    with pytest.raises(IntegrityError):
        UnitSuccession.objects.create(predecessor=merged, successor=merged, effective=dt.date(2025, 7, 1))


def test_succession_chains_are_followed(tree, people):
    x = services.unit_create(actor=None, code="X1", name="X1", kind="other", parent=tree["prov"])
    y = services.unit_create(actor=None, code="X2", name="X2", kind="other", parent=tree["prov"])
    z = services.unit_create(actor=None, code="X3", name="X3", kind="other", parent=tree["prov"])
    services.unit_succeed(actor=None, predecessors=[x], successor=y, effective=dt.date(2024, 1, 1))
    services.unit_succeed(actor=None, predecessors=[y], successor=z, effective=dt.date(2025, 1, 1))
    assert selectors.current_successor(x) == z
    assert selectors.current_successor(x, on=dt.date(2024, 6, 1)) == y
    assert selectors.successor_map()[x.pk] == z.pk


def test_find_by_name_is_accent_insensitive(tree):
    assert selectors.find_by_name("sở nội vụ") == [tree["dept"]]
    assert selectors.find_by_name("SNV") == [tree["dept"]]
    assert selectors.find_by_name("So Noi Vu") == [tree["dept"]]
    assert selectors.find_by_name("Sở Tài chính") == []


def test_only_admins_manage_units(tree, people):
    with pytest.raises(permissions.NotAllowed):
        services.unit_create(
            actor=people["reporter"], code="NEW", name="Mới", kind="office", parent=tree["dept"]
        )
    assert not Unit.objects.filter(code="NEW").exists()
    services.unit_create(actor=people["admin"], code="NEW", name="Mới", kind="office", parent=tree["dept"])
    with pytest.raises(permissions.NotAllowed):
        services.unit_create(
            actor=people["admin"], code="NEW2", name="Mới", kind="office", parent=tree["other"]
        )


def test_load_vietnam_units(db):
    from chitieu.orgs.loaders import load_vietnam_units

    counts = load_vietnam_units()
    assert counts == {"provinces": 34, "communes": 3321, "legacy_provinces": 63}
    assert Unit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True).count() == 34
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == 3321
    # every commune sits under its province and the paths are right
    w = Unit.objects.filter(kind=UnitKind.COMMUNE).select_related("parent").first()
    assert w.path == f"{w.parent.path}{w.pk}/" and w.depth == 2
    # Bắc Giang (before 1/7/2025) continues in today's Bắc Ninh
    bac_giang = Unit.objects.get(code="L24")
    assert bac_giang.valid_to == dt.date(2025, 6, 30)
    assert selectors.current_successor(bac_giang).code == "P24"
    # idempotent
    assert load_vietnam_units() == counts
    assert Unit.objects.filter(kind=UnitKind.COMMUNE).count() == 3321


def test_load_legacy_districts_of_a_province(db):
    """Bắc Ninh today = Bắc Giang + Bắc Ninh before 1/7/2025: 18 districts and their 316 communes,
    every old commune continuing in the ward that took it over."""
    from chitieu.orgs.loaders import load_legacy_districts, load_vietnam_units

    load_vietnam_units(provinces={24})
    counts = load_legacy_districts(provinces={24})
    assert (counts["districts"], counts["communes"]) == (18, 316)
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW

    orphans = Unit.objects.filter(code__startswith="LW", successions_out__isnull=True)
    assert orphans.count() < 10  # only communes the conversion table does not list
    assert all(int(u.admin_code) not in OLD_TO_NEW for u in orphans)
    tp = Unit.objects.get(code="LD213")
    assert (tp.name, tp.kind, tp.parent.code, tp.valid_to) == (
        "Thành phố Bắc Giang",
        UnitKind.DISTRICT,
        "L24",
        dt.date(2025, 6, 30),
    )
    tho_xuong = Unit.objects.get(code="LW07201")
    assert tho_xuong.parent == tp and tho_xuong.path == f"{tp.path}{tho_xuong.pk}/"
    assert selectors.current_successor(tho_xuong).name == "Phường Bắc Giang"
    # an old commune split between wards: one carries its history, the others are linked too
    split = UnitSuccession.objects.filter(kind=UnitSuccession.Kind.SPLIT, predecessor__code__startswith="LW")
    assert split.filter(primary=True).count() == split.values("predecessor").distinct().count()
    assert load_legacy_districts(provinces={24})["successions"] == 0  # idempotent
    assert Unit.objects.filter(code__startswith="LW").count() == 316
