"""No side doors: the Django admin, single sign-on and API tokens write through the services, so
every change has its permission check and its change record (issue 17)."""

from __future__ import annotations

import pytest

from chitieu.audit.models import ChangeRecord
from chitieu.orgs.models import Membership


@pytest.fixture
def admin_client(client, people):
    client.force_login(people["root"])
    return client


def test_plans_are_read_only_in_the_admin(admin_client, people, tree):
    from chitieu.plans import services

    plan = services.plan_create(actor=people["root"], issuer=tree["dept"], title="Kế hoạch", date_text="2026")
    assert admin_client.get(f"/admin/plans/plan/{plan.pk}/change/").status_code == 200  # may look
    r = admin_client.post(f"/admin/plans/plan/{plan.pk}/change/", {"title": "Đổi trong admin"})
    assert r.status_code == 403
    plan.refresh_from_db()
    assert plan.title == "Kế hoạch"
    assert admin_client.get("/admin/plans/target/add/").status_code == 403


def test_a_role_granted_in_the_admin_is_recorded(admin_client, people, tree):
    before = ChangeRecord.objects.filter(object_type="orgs.membership").count()
    r = admin_client.post(
        "/admin/orgs/membership/add/",
        {"user": people["nobody"].pk, "unit": tree["dept"].pk, "role": "viewer"},
    )
    assert r.status_code == 302
    m = Membership.objects.get(user=people["nobody"], unit=tree["dept"])
    rec = ChangeRecord.objects.filter(object_type="orgs.membership").latest("id")
    assert ChangeRecord.objects.filter(object_type="orgs.membership").count() == before + 1
    assert rec.actor == people["root"] and rec.after["role"] == "viewer" and rec.object_id == str(m.pk)
    r = admin_client.post(f"/admin/orgs/membership/{m.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not Membership.objects.filter(pk=m.pk).exists()
    assert ChangeRecord.objects.filter(object_type="orgs.membership", action="delete").exists()


def test_a_regime_edited_in_the_admin_is_recorded(admin_client):
    from chitieu.reporting.models import ReportingRegime

    r = admin_client.post(
        "/admin/reporting/reportingregime/add/",
        {
            "name": "Hằng tháng",
            "period_kinds": '["month"]',
            "window": '{"kind": "calendar"}',
            "deadline_rule": '{"kind": "day_of_last_month", "day": 20, "exclusive": true}',
            "deadline_phrase": "trước ngày 20 hằng tháng",
            "approval_levels": 1,
            "description": "",
        },
    )
    assert r.status_code == 302
    reg = ReportingRegime.objects.get(name="Hằng tháng")
    rec = ChangeRecord.objects.get(object_type="reporting.reportingregime", object_id=str(reg.pk))
    assert rec.action == "create" and rec.after["deadline_phrase"] == "trước ngày 20 hằng tháng"


def test_single_sign_on_grants_through_the_service(people, tree, settings):
    from chitieu.accounts.oidc import apply_claims

    settings.CHITIEU_OIDC_UNIT_CLAIM, settings.CHITIEU_OIDC_ROLE_CLAIM = "unit", "role"
    apply_claims(people["nobody"], {"unit": tree["dept"].code, "role": "reporter"})
    apply_claims(people["nobody"], {"unit": tree["dept"].code, "role": "reporter"})  # the next sign-in
    assert Membership.objects.filter(user=people["nobody"], unit=tree["dept"], role="reporter").count() == 1
    recs = ChangeRecord.objects.filter(object_type="orgs.membership", reason="SSO")
    assert recs.count() == 1 and recs.get().after["unit"] == tree["dept"].pk
    apply_claims(people["nobody"], {"unit": "NO-SUCH-UNIT", "role": "admin"})  # an unknown unit: nothing
    assert Membership.objects.filter(user=people["nobody"]).count() == 1


def test_issuing_and_revoking_a_token_is_recorded(people, client):
    from chitieu.api.services import token_issue, token_revoke
    from chitieu.core.errors import NotAllowed

    tok, raw = token_issue(actor=people["reporter"], user=people["reporter"], name="máy nhập liệu")
    rec = ChangeRecord.objects.get(object_type="api.apitoken", action="create")
    assert rec.actor == people["reporter"] and raw not in str(rec.after) and rec.after["prefix"] == tok.prefix
    with pytest.raises(NotAllowed):
        token_issue(actor=people["reporter"], user=people["approver"], name="của người khác")
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    token_revoke(actor=people["reporter"], token=tok)
    assert ChangeRecord.objects.filter(object_type="api.apitoken", action="update").exists()
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
