import datetime as dt

import pytest

from chitieu.orgs.permissions import NotAllowed
from chitieu.plans import selectors, services
from chitieu.plans.models import Plan


@pytest.mark.parametrize(
    ("text", "iso", "full"),
    [
        ("2024", "2024", None),
        ("2024-02", "2024-02", None),
        ("2024-02-29", "2024-02-29", dt.date(2024, 2, 29)),
        ("", "", None),
    ],
)
def test_partial_dates(text, iso, full):
    assert services.parse_partial_date(text) == (iso, full)


@pytest.mark.parametrize("bad", ["2023-02-29", "2024-13", "02/2024", "24"])
def test_bad_partial_dates(bad):
    with pytest.raises(services.PlanError):
        services.parse_partial_date(bad)


def test_plan_lifecycle_and_draft_number(tree, people, indicators):
    admin = people["admin"]
    plan = services.plan_create(
        actor=admin, issuer=tree["dept"], title="Kế hoạch thử", number_symbol="/KH-SNV", date_text="2024-02"
    )
    assert plan.number_symbol == "/KH-SNV" and plan.year == 2024 and plan.issued_on is None
    with pytest.raises(services.PlanError):
        services.plan_activate(actor=admin, plan=plan)  # nothing to track yet
    services.target_create(
        actor=admin,
        plan=plan,
        text="Tỷ lệ hồ sơ trực tuyến",
        operator=">",
        threshold="70",
        indicator=indicators["online"],
        lead_unit=tree["dept"],
    )
    services.plan_activate(actor=admin, plan=plan)
    assert Plan.objects.get(pk=plan.pk).status == "active"
    with pytest.raises(services.PlanError):
        services.target_create(actor=admin, plan=plan, text="x", operator="~", threshold=1)
    with pytest.raises(services.PlanError):
        services.target_create(actor=admin, plan=plan, text="x", operator=">=", threshold="nhiều")


def test_only_admins_of_the_issuer_create_plans(tree, people):
    with pytest.raises(NotAllowed):
        services.plan_create(actor=people["reporter"], issuer=tree["dept"], title="x")
    with pytest.raises(NotAllowed):
        services.plan_create(actor=people["admin"], issuer=tree["other_dept"], title="x")
    assert not Plan.objects.exists()


def test_citations_link_to_known_plans(tree, people):
    parent = services.plan_create(
        actor=people["root"],
        issuer=tree["prov"],
        title="Cha",
        number_symbol="199/KH-UBND",
        date_text="2023-12-11",
    )
    child = services.plan_create(
        actor=people["root"], issuer=tree["dept"], title="Con", number_symbol="24/KH-SNV"
    )
    c = services.citation_add(
        actor=people["root"], plan=child, number_symbol="199/KH-UBND", date_text="2023-12-11"
    )
    assert c.parent == parent


def test_visible_plans_follow_scope(tree, people):
    root = people["root"]
    p1 = services.plan_create(actor=root, issuer=tree["dept"], title="Sở")
    services.plan_create(actor=root, issuer=tree["other_dept"], title="Tỉnh khác")
    assert list(selectors.visible_plans(people["reporter"])) == [p1]
    assert selectors.visible_plans(people["viewer"]).count() == 1
    assert selectors.visible_plans(people["root"]).count() == 2
    assert not selectors.visible_plans(people["nobody"]).exists()
