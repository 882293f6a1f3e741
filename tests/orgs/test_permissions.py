from chitieu.orgs import permissions as P


def test_role_matrix(tree, people):
    dept, office, prov, xa_a, other = (
        tree["dept"],
        tree["office"],
        tree["prov"],
        tree["xa_a"],
        tree["other_dept"],
    )
    r, a, v, adm, nob, root = (
        people[k] for k in ("reporter", "approver", "viewer", "admin", "nobody", "root")
    )
    # reporters enter and submit for their own unit only, not even its sub-offices
    assert P.has(r, P.ENTER, dept) and P.has(r, P.SUBMIT, dept)
    assert not P.has(r, P.ENTER, office) and not P.has(r, P.ENTER, prov) and not P.has(r, P.ENTER, other)
    assert P.has(r, P.VIEW, office) and not P.has(r, P.VIEW, prov)
    assert not P.has(r, P.APPROVE, dept)
    # approvers approve in their subtree, do not enter
    assert P.has(a, P.APPROVE, office) and not P.has(a, P.ENTER, dept) and not P.has(a, P.APPROVE, other)
    assert P.has(a, P.APPROVE, other, extra_unit_ids=[other.pk])  # monitoring relationship
    # viewers only read
    assert P.has(v, P.VIEW, xa_a) and not P.has(v, P.ENTER, xa_a) and not P.has(v, P.APPROVE, xa_a)
    # admins manage their subtree only
    assert P.has(adm, P.MANAGE, office) and P.has(adm, P.ENTER, xa_a) and not P.has(adm, P.MANAGE, other)
    # no role, no right; superuser everything
    assert not P.has(nob, P.VIEW, dept)
    assert P.has(root, P.MANAGE, None) and not P.has(adm, P.MANAGE, None)


def test_anonymous_and_inactive(tree, people):
    from django.contrib.auth.models import AnonymousUser

    assert not P.has(AnonymousUser(), P.VIEW, tree["prov"])
    assert not P.units_for(AnonymousUser(), P.VIEW).exists()
    u = people["viewer"]
    u.is_active = False
    u.save()
    assert not P.has(u, P.VIEW, tree["prov"])


def test_units_for_and_restrict(tree, people):
    assert set(P.units_for(people["reporter"], P.ENTER).values_list("code", flat=True)) == {"T1-SNV"}
    assert set(P.units_for(people["reporter"], P.VIEW).values_list("code", flat=True)) == {
        "T1-SNV",
        "T1-SNV-VP",
    }
    assert P.units_for(people["viewer"], P.VIEW).count() == 5
    from chitieu.orgs.models import Membership

    qs = P.restrict(Membership.objects.all(), people["reporter"], P.VIEW)
    assert set(qs.values_list("unit__code", flat=True)) == {"T1-SNV"}
