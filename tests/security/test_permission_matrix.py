"""The permission matrix: every web route and API operation x role (reporter, approver, viewer,
admin, anonymous) x whose object (own unit, parent unit, another unit).

Each cell must answer as the rules say - allowed, 403, or a redirect to sign-in (401 for the
API) - and a refused write must leave the database as it was. A route without a rule here
fails the test: a new page must say who may use it.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from chitieu.analytics.models import TargetState
from chitieu.audit.models import ChangeRecord
from chitieu.orgs.models import Membership, Unit, UnitAlias
from chitieu.plans import services as plans
from chitieu.reporting.models import DataValue, Evidence, PlanSchedule, ReportingRegime, Submission
from chitieu.reporting.obligations import plan_regime_set

pytestmark = pytest.mark.django_db(transaction=False)

ROLES = ["reporter", "approver", "viewer", "admin", "anonymous"]
RELATIONS = ["own", "parent", "other"]
PASSWORD = "x-Passw0rd-long"


# --- who may: the rules ---------------------------------------------------------------------------
def expected(rule: str, role: str, relation: str) -> str:
    """allowed | forbidden | login, for a role held on the "own" unit."""
    if rule == "public":
        return "allowed"
    if role == "anonymous":
        return "login"
    if rule == "staff":
        return "login"  # the Django admin sends non-staff people to its own sign-in
    if rule == "signed_in":
        return "allowed"
    if rule == "superuser":
        return "forbidden"
    if rule == "enter_any":
        return "allowed" if role in ("reporter", "admin") else "forbidden"
    if relation != "own":
        return "forbidden"
    allowed_roles = {
        "view": {"reporter", "approver", "viewer", "admin"},
        "enter": {"reporter", "admin"},
        "generate": {"reporter", "approver", "admin"},
        "approve": {"approver", "admin"},
        "manage": {"admin"},
        "creator": {"reporter"},
        "results": {"approver", "admin"},  # before publication: the owner's managers and the appraisers
    }[rule]
    return "allowed" if role in allowed_roles else "forbidden"


# --- the world --------------------------------------------------------------------------------
@pytest.fixture
def world(tree, indicators, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False
    from django.contrib.auth import get_user_model

    from chitieu.documents.models import GeneratedReport
    from chitieu.dossiers.models import DossierImport
    from chitieu.scoring import drafts as scoring_drafts
    from chitieu.scoring import services as scoring

    root = get_user_model().objects.create_superuser("matrix-root", "r@x.vn", PASSWORD)
    units = {"own": tree["dept"], "parent": tree["prov"], "other": tree["other_dept"]}
    users = {}
    for role in ROLES[:-1]:
        u = django_user_model.objects.create_user(f"m_{role}", password=PASSWORD)
        Membership.objects.create(user=u, unit=units["own"], role=role)
        users[role] = u
    regime = ReportingRegime.objects.create(
        name="Quý",
        period_kinds=["quarter"],
        window={"kind": "cutoff", "turn_day": 15},
        deadline_rule={"kind": "day_of_last_month", "day": 18, "exclusive": True},
    )
    objs: dict[str, dict] = {}
    small = b"""
code: M
name: "Bo chi so thu"
version: "1"
max_points: 10
criteria:
  - {code: "A", name: "Cham tay", method: manual, max_points: 10}
"""
    for rel, unit in units.items():
        p = plans.plan_create(
            actor=root,
            issuer=unit,
            title=f"Kế hoạch {rel}",
            number_symbol=f"{len(objs) + 1}/KH-T",
            date_text="2026-01-05",
        )
        plan_regime_set(actor=root, plan=p, regime=regime)
        t = plans.target_create(
            actor=root,
            plan=p,
            text="Tỷ lệ hồ sơ trực tuyến",
            operator=">=",
            threshold=70,
            indicator=indicators["online"],
            lead_unit=unit,
            monitoring_unit=unit,
        )
        plans.plan_activate(actor=root, plan=p)
        draft = plans.plan_create(actor=root, issuer=unit, title=f"Dự thảo {rel}", date_text="2026")
        dt_target = plans.target_create(
            actor=root, plan=draft, text="Chỉ tiêu nháp", operator=">=", threshold=1
        )
        dt_task = plans.task_create(actor=root, plan=draft, text="Nhiệm vụ nháp", lead_unit=unit)
        sub = Submission.objects.filter(plan=p, unit=unit).order_by("period").first()
        ev = Evidence(
            unit=unit,
            period=sub.period,
            name="mc.pdf",
            size=4,
            content_type="application/pdf",
            sha256="0" * 64,
        )
        ev.file.save("mc", ContentFile(b"%PDF"), save=True)
        rep = GeneratedReport(
            unit=unit, period=sub.period, title="BC", symbol="BC-T", place="X", issued_on=dt.date(2026, 4, 1)
        )
        rep.docx.save("bc.docx", ContentFile(b"PK"), save=False)
        rep.xlsx.save("bc.xlsx", ContentFile(b"PK"), save=False)
        rep.save()
        fw = scoring.framework_import(
            actor=root,
            owner=unit,
            file_name=f"m{rel}.yaml",
            data=small.replace(b'version: "1"', f'version: "{rel}"'.encode()),
        )
        (asm,) = scoring.framework_open(
            actor=root,
            framework=fw,
            units=[unit],
            appraisers={unit.pk: [users["approver"]] if rel == "own" else []},
        )
        fdraft = scoring_drafts.draft_from_template(actor=root, owner=unit, code="PAR-TINH")
        creator = users["reporter"] if rel == "own" else root
        imp = DossierImport.objects.create(
            file_name="a.csv", sha256="0" * 64, headers=["Mã hồ sơ"], created_by=creator
        )
        from chitieu.orgs import naming
        from chitieu.orgs import services as orgs

        child = orgs.unit_create(
            actor=None, code=f"CH-{rel}", name=f"Phòng con {rel}", kind="office", parent=unit
        )
        (alias,) = naming.unit_alias_learn(actor=root, phrase=f"P. Con {rel}", units=[child], scope=unit)
        objs[rel] = {
            "unit": unit,
            "child": child,
            "alias": alias,
            "plan": p,
            "target": t,
            "draft": draft,
            "draft_target": dt_target,
            "draft_task": dt_task,
            "sub": sub,
            "evidence": ev,
            "report": rep,
            "framework": fw,
            "assessment": asm,
            "fdraft": fdraft,
            "import": imp,
        }
    return {"root": root, "users": users, "objs": objs, "indicators": indicators}


def _csv() -> SimpleUploadedFile:
    return SimpleUploadedFile("a.csv", "Mã hồ sơ\nX1\n".encode())


# --- every route: rule, method, how to build it ----------------------------------------------
def web_routes(w) -> dict[str, list[tuple]]:
    """route name -> [(rule, method, url builder(relation), data builder | None)]."""
    O = w["objs"]  # noqa: E741
    ind = w["indicators"]["online"]
    fresh = itertools.count(1)
    return {
        "analytics:overview": [("signed_in", "get", lambda r: "/", None)],
        "analytics:plan_progress": [("view", "get", lambda r: f"/ke-hoach/{O[r]['plan'].pk}/tien-do/", None)],
        "analytics:target_units": [
            (
                "view",
                "get",
                lambda r: f"/ke-hoach/{O[r]['plan'].pk}/chi-tieu/{O[r]['target'].pk}/don-vi/",
                None,
            )
        ],
        "analytics:plan_cascade": [("signed_in", "get", lambda r: "/ke-hoach/so-do/", None)],
        "analytics:unit_card": [("view", "get", lambda r: f"/don-vi/{O[r]['unit'].pk}/", None)],
        "analytics:indicators": [("signed_in", "get", lambda r: "/chi-tieu/", None)],
        "analytics:indicator": [
            ("view", "get", lambda r: f"/chi-tieu/{ind.code}/?don-vi={O[r]['unit'].pk}", None)
        ],
        "analytics:ranking": [("signed_in", "get", lambda r: "/xep-hang/", None)],
        "dossiers:home": [("signed_in", "get", lambda r: "/ho-so/", None)],
        "dossiers:upload": [("enter_any", "post", lambda r: "/ho-so/tai-len/", lambda r: {"file": _csv()})],
        "dossiers:import": [("creator", "get", lambda r: f"/ho-so/nhap/{O[r]['import'].pk}/", None)],
        "dossiers:mapping": [
            ("creator", "post", lambda r: f"/ho-so/nhap/{O[r]['import'].pk}/ghep-cot/", lambda r: {})
        ],
        "dossiers:values": [
            ("creator", "post", lambda r: f"/ho-so/nhap/{O[r]['import'].pk}/cach-hieu/", lambda r: {})
        ],
        "dossiers:decide": [
            (
                "creator",
                "post",
                lambda r: f"/ho-so/nhap/{O[r]['import'].pk}/quyet-dinh/",
                lambda r: {"choice": "none"},
            )
        ],
        "dossiers:compute": [
            ("enter_any", "post", lambda r: "/ho-so/tinh/", lambda r: {"periods": "2026Q1"})
        ],
        "scoring:frameworks": [("signed_in", "get", lambda r: "/bo-chi-so/", None)],
        "scoring:framework_reload": [("superuser", "post", lambda r: "/bo-chi-so/nap-co-san/", lambda r: {})],
        "scoring:framework": [
            ("view", "get", lambda r: f"/bo-chi-so/{O[r]['framework'].pk}/", None),
            (
                "manage",
                "post",
                lambda r: f"/bo-chi-so/{O[r]['framework'].pk}/",
                lambda r: {"action": "publish"},
            ),
        ],
        "scoring:framework_live": [
            (
                "view",
                "get",
                lambda r: f"/bo-chi-so/{O[r]['framework'].pk}/tinh/?don-vi={O[r]['unit'].pk}&ky=2026Q1",
                None,
            )
        ],
        "scoring:framework_results": [
            ("results", "get", lambda r: f"/bo-chi-so/{O[r]['framework'].pk}/ket-qua/", None)
        ],
        "scoring:assessment": [
            (
                "view",
                "get",
                lambda r: f"/bo-chi-so/{O[r]['framework'].pk}/danh-gia/{O[r]['assessment'].pk}/",
                None,
            ),
            (
                "enter",
                "post",
                lambda r: f"/bo-chi-so/{O[r]['framework'].pk}/danh-gia/{O[r]['assessment'].pk}/",
                lambda r: {"action": "save"},
            ),
        ],
        "scoring:framework_published": [
            ("results", "get", lambda r: f"/bo-chi-so/{O[r]['framework'].pk}/cong-bo/", None),
            (
                "manage",
                "post",
                lambda r: f"/bo-chi-so/{O[r]['framework'].pk}/cong-bo/",
                lambda r: {
                    "file": SimpleUploadedFile("cb.csv", f"Mã đơn vị,A\n{O[r]['unit'].code},5\n".encode())
                },
            ),
        ],
        "scoring:decision_upload": [("signed_in", "get", lambda r: "/bo-chi-so/tai-quyet-dinh/", None)],
        "scoring:template_draft": [
            ("manage", "post", lambda r: "/bo-chi-so/khung/PAR-TINH/", lambda r: {"owner": O[r]["unit"].pk})
        ],
        "scoring:draft": [("view", "get", lambda r: f"/bo-chi-so/du-thao/{O[r]['fdraft'].pk}/", None)],
        "scoring:draft_meta": [
            (
                "manage",
                "post",
                lambda r: f"/bo-chi-so/du-thao/{O[r]['fdraft'].pk}/thong-tin/",
                lambda r: {"code": "PAR-X", "name": "Bộ chỉ số", "version": "2"},
            )
        ],
        "scoring:draft_row": [
            (
                "manage",
                "post",
                lambda r: f"/bo-chi-so/du-thao/{O[r]['fdraft'].pk}/dong/",
                lambda r: {
                    "original": "1",
                    "code": "1",
                    "name": "Chỉ đạo",
                    "max_points": "10",
                    "method": "manual",
                },
            )
        ],
        "scoring:draft_row_delete": [
            (
                "manage",
                "post",
                lambda r: f"/bo-chi-so/du-thao/{O[r]['fdraft'].pk}/xoa-dong/",
                lambda r: {"code": "8"},
            )
        ],
        "scoring:draft_activate": [
            ("manage", "post", lambda r: f"/bo-chi-so/du-thao/{O[r]['fdraft'].pk}/kich-hoat/", lambda r: {})
        ],
        "scoring:draft_discard": [
            ("manage", "post", lambda r: f"/bo-chi-so/du-thao/{O[r]['fdraft'].pk}/huy/", lambda r: {})
        ],
        "documents:report_form": [
            ("view", "get", lambda r: f"/van-ban-bao-cao/?don-vi={O[r]['unit'].pk}", None),
            (
                "generate",
                "post",
                lambda r: "/van-ban-bao-cao/",
                lambda r: {"don-vi": O[r]["unit"].pk, "ky": O[r]["sub"].period, "loai": "unit"},
            ),
        ],
        "documents:report_detail": [
            ("view", "get", lambda r: f"/van-ban-bao-cao/{O[r]['report'].pk}/", None)
        ],
        "documents:report_file": [
            ("view", "get", lambda r: f"/van-ban-bao-cao/{O[r]['report'].pk}/tai/docx/", None)
        ],
        "documents:report_make_pdf": [
            ("view", "post", lambda r: f"/van-ban-bao-cao/{O[r]['report'].pk}/pdf/", lambda r: {})
        ],
        "orgs:tree": [("signed_in", "get", lambda r: "/cay-don-vi/", None)],
        "orgs:tree_template": [("signed_in", "get", lambda r: "/cay-don-vi/mau-cay-don-vi.csv", None)],
        "orgs:tree_upload": [
            (
                "manage",
                "post",
                lambda r: "/cay-don-vi/tai-len/",
                lambda r: {
                    "file": SimpleUploadedFile(
                        "cay.csv",
                        f"Mã,Tên,Loại,Cấp trên\nT-{r},Phòng mới,Phòng,{O[r]['unit'].code}\n".encode(),
                    )
                },
            )
        ],
        "orgs:unit": [("view", "get", lambda r: f"/cay-don-vi/{O[r]['unit'].code}/", None)],
        "orgs:create": [
            (
                "manage",
                "post",
                lambda r: f"/cay-don-vi/{O[r]['unit'].code}/them/",
                lambda r: {"code": f"N-{r}-{next(fresh)}", "name": "Phòng mới", "kind": "office"},
            )
        ],
        "orgs:rename": [
            (
                "manage",
                "post",
                lambda r: f"/cay-don-vi/{O[r]['child'].code}/doi-ten/",
                lambda r: {"name": f"Phòng đổi tên {next(fresh)}", "reason": "Quyết định 1"},
            )
        ],
        "orgs:merge": [
            (
                "manage",
                "post",
                lambda r: f"/cay-don-vi/{O[r]['child'].code}/sap-nhap/",
                lambda r: {"successor": O[r]["unit"].code, "effective": "2026-07-01"},
            )
        ],
        "orgs:alias_forget": [
            ("manage", "post", lambda r: f"/cay-don-vi/ten-goi/{O[r]['alias'].pk}/xoa/", lambda r: {})
        ],
        "web:login": [("public", "get", lambda r: "/dang-nhap/", None)],
        "web:logout": [("public_logout", "post", lambda r: "/dang-xuat/", lambda r: {})],
        "web:healthz": [("public", "get", lambda r: "/healthz", None)],
        "web:favicon": [("public", "get", lambda r: "/favicon.ico", None)],
        "reporting:calendar": [("signed_in", "get", lambda r: "/bao-cao/", None)],
        "reporting:submission": [
            ("view", "get", lambda r: f"/bao-cao/{O[r]['sub'].pk}/", None),
            (
                "enter",
                "post",
                lambda r: f"/bao-cao/{O[r]['sub'].pk}/",
                lambda r: {
                    f"num_{O[r]['target'].pk}": "7",
                    f"den_{O[r]['target'].pk}": "10",
                    "action": "save",
                },
            ),
        ],
        "reporting:preview": [
            (
                "view",
                "post",
                lambda r: f"/bao-cao/{O[r]['sub'].pk}/xem-truoc/{O[r]['target'].pk}/",
                lambda r: {f"num_{O[r]['target'].pk}": "1", f"den_{O[r]['target'].pk}": "2"},
            )
        ],
        "reporting:approve": [
            ("approve", "post", lambda r: f"/bao-cao/{O[r]['sub'].pk}/duyet/", lambda r: {})
        ],
        "reporting:return": [
            ("approve", "post", lambda r: f"/bao-cao/{O[r]['sub'].pk}/tra-lai/", lambda r: {"reason": "Sai"})
        ],
        "reporting:reopen": [
            ("approve", "post", lambda r: f"/bao-cao/{O[r]['sub'].pk}/mo-lai/", lambda r: {"reason": "Sửa"})
        ],
        "reporting:value_history": [
            ("view", "get", lambda r: f"/bao-cao/{O[r]['sub'].pk}/lich-su/{ind.pk}/", None)
        ],
        "reporting:evidence_upload": [
            (
                "enter",
                "post",
                lambda r: f"/bao-cao/{O[r]['sub'].pk}/minh-chung/",
                lambda r: {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")},
            )
        ],
        "reporting:evidence": [("view", "get", lambda r: f"/minh-chung/{O[r]['evidence'].pk}/", None)],
        "reporting:excel_template": [("view", "get", lambda r: f"/bao-cao/{O[r]['sub'].pk}/excel/", None)],
        "reporting:excel_upload": [("signed_in", "get", lambda r: "/so-lieu/tai-len-excel/", None)],
        "reporting:completeness": [("signed_in", "get", lambda r: "/tinh-hinh-bao-cao/", None)],
        "reporting:notifications": [("signed_in", "get", lambda r: "/thong-bao/", None)],
        "reporting:tasks": [("signed_in", "get", lambda r: "/nhiem-vu/", None)],
        "plans:upload": [("signed_in", "get", lambda r: "/ke-hoach/tai-len/", None)],
        "plans:detail": [("view", "get", lambda r: f"/ke-hoach/{O[r]['plan'].pk}/", None)],
        "plans:names_resolve": [
            (
                "manage",
                "post",
                lambda r: f"/ke-hoach/{O[r]['draft'].pk}/ten-don-vi/",
                lambda r: {"phrase": "Phòng Lạ", "units": [O[r]["unit"].pk]},
            )
        ],
        "reporting:schedule_edit": [
            (
                "manage",
                "post",
                lambda r: f"/ke-hoach/{O[r]['draft'].pk}/lich-bao-cao/",
                lambda r: {"text": "Các đơn vị báo cáo định kỳ hằng tháng trước ngày 20 về Sở."},
            )
        ],
        "plans:activate": [
            ("manage", "post", lambda r: f"/ke-hoach/{O[r]['draft'].pk}/kich-hoat/", lambda r: {})
        ],
        "plans:target_add": [
            (
                "manage",
                "post",
                lambda r: f"/ke-hoach/{O[r]['draft'].pk}/chi-tieu/them/",
                lambda r: {"text": "Mới", "operator": ">=", "threshold": "5", "unit": "%"},
            )
        ],
        "plans:target_edit": [
            (
                "manage",
                "post",
                lambda r: f"/ke-hoach/{O[r]['draft'].pk}/chi-tieu/{O[r]['draft_target'].pk}/sua/",
                lambda r: {"text": "Sửa", "operator": ">=", "threshold": "6", "unit": "%"},
            )
        ],
        "plans:target_delete": [
            (
                "manage",
                "post",
                lambda r: f"/ke-hoach/{O[r]['draft'].pk}/chi-tieu/{O[r]['draft_target'].pk}/xoa/",
                lambda r: {},
            )
        ],
        "plans:target_link": [
            (
                "manage",
                "post",
                lambda r: f"/ke-hoach/{O[r]['draft'].pk}/chi-tieu/{O[r]['draft_target'].pk}/lien-ket/",
                lambda r: {"indicator": ind.code},
            )
        ],
        "plans:task_add": [
            (
                "manage",
                "post",
                lambda r: f"/ke-hoach/{O[r]['draft'].pk}/nhiem-vu/them/",
                lambda r: {"text": "Mới"},
            )
        ],
        "plans:task_edit": [
            (
                "manage",
                "post",
                lambda r: f"/ke-hoach/{O[r]['draft'].pk}/nhiem-vu/{O[r]['draft_task'].pk}/sua/",
                lambda r: {"text": "Sửa"},
            )
        ],
        "plans:task_delete": [
            (
                "manage",
                "post",
                lambda r: f"/ke-hoach/{O[r]['draft'].pk}/nhiem-vu/{O[r]['draft_task'].pk}/xoa/",
                lambda r: {},
            )
        ],
    }


def api_ops(w) -> dict[str, list[tuple]]:
    """(method, path template) -> [(rule, url builder, json builder)]."""
    O = w["objs"]  # noqa: E741
    ind = w["indicators"]["online"]

    def value(r):
        return {
            "unit": O[r]["unit"].code,
            "indicator": ind.code,
            "period": "2026Q1",
            "numerator": 3,
            "denominator": 4,
        }

    return {
        ("GET", "/api/me"): [("signed_in", lambda r: "/api/me", None)],
        ("GET", "/api/periods/{phrase}"): [("public", lambda r: "/api/periods/2024Q1", None)],
        ("GET", "/api/units"): [("signed_in", lambda r: "/api/units", None)],
        ("GET", "/api/plans"): [("signed_in", lambda r: "/api/plans", None)],
        ("GET", "/api/plans/{plan_id}"): [("view", lambda r: f"/api/plans/{O[r]['plan'].pk}", None)],
        ("GET", "/api/values"): [("signed_in", lambda r: "/api/values?period=2026Q1", None)],
        ("PUT", "/api/values"): [("enter", lambda r: "/api/values", value)],
        ("POST", "/api/values/bulk"): [
            ("enter_rows", lambda r: "/api/values/bulk", lambda r: {"rows": [value(r)]})
        ],
        ("GET", "/api/submissions"): [("signed_in", lambda r: "/api/submissions", None)],
        ("POST", "/api/submissions/{sid}/submit"): [
            ("enter", lambda r: f"/api/submissions/{O[r]['sub'].pk}/submit", lambda r: {})
        ],
        ("POST", "/api/submissions/{sid}/approve"): [
            ("approve", lambda r: f"/api/submissions/{O[r]['sub'].pk}/approve", lambda r: {})
        ],
        ("POST", "/api/submissions/{sid}/return"): [
            ("approve", lambda r: f"/api/submissions/{O[r]['sub'].pk}/return", lambda r: {"reason": "x"})
        ],
        ("POST", "/api/submissions/{sid}/reopen"): [
            ("approve", lambda r: f"/api/submissions/{O[r]['sub'].pk}/reopen", lambda r: {"reason": "x"})
        ],
    }


# --- running the matrix ---------------------------------------------------------------------
def _fingerprint() -> tuple:
    """What a refused request must not change."""
    from chitieu.dossiers.models import ComputeRun, DossierImport
    from chitieu.plans.models import Plan, Target, Task
    from chitieu.scoring.models import FrameworkDraft, PublishedScore, Score

    return (
        sorted(FrameworkDraft.objects.values_list("id", "version_no", "status")),
        PublishedScore.objects.count(),
        ChangeRecord.objects.exclude(action__in=["login", "logout", "login_failed"]).count(),
        DataValue.objects.count(),
        sorted(DataValue.objects.values_list("id", "version")),
        sorted(Submission.objects.values_list("id", "status")),
        Evidence.objects.count(),
        Target.objects.count(),
        sorted(Target.objects.values_list("id", "text")),
        Task.objects.count(),
        sorted(Plan.objects.values_list("id", "status")),
        DossierImport.objects.count(),
        ComputeRun.objects.count(),
        sorted(Score.objects.values_list("id", "self_points")),
        TargetState.objects.count(),
        sorted(Unit.objects.values_list("id", "name", "valid_to")),
        UnitAlias.objects.count(),
        sorted(PlanSchedule.objects.values_list("id", "regime_id")),
    )


def _classify(resp, *, api: bool) -> str:
    if api:
        if resp.status_code == 401:
            return "login"
        return "forbidden" if resp.status_code == 403 else "allowed"
    if resp.status_code in (301, 302) and (
        "/dang-nhap/" in resp["Location"] or "/admin/login/" in resp["Location"]
    ):
        return "login"
    if resp.status_code == 403:
        return "forbidden"
    return "allowed"


def _client(w, role, client_factory):
    c = client_factory()
    c.raise_request_exception = False
    if role != "anonymous":
        c.force_login(w["users"][role])
    return c


APP_NAMESPACES = {"web", "analytics", "plans", "reporting", "documents", "dossiers", "scoring"}


def test_every_web_route_has_a_rule():
    """Every page route of every app (its URL namespace) has its line in the matrix."""
    resolvers = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace]
    assert {r.namespace for r in resolvers} >= APP_NAMESPACES
    names = {
        f"{r.namespace}:{p.name}"
        for r in resolvers
        if r.namespace not in ("admin", "api")  # the API has its own matrix below
        for p in r.url_patterns
        if isinstance(p, URLPattern)
    }
    covered = set(web_routes({"objs": {}, "indicators": {"online": None}}).keys()) | {None}
    assert names - covered == set(), f"routes without a rule: {sorted(names - covered)}"


@pytest.mark.parametrize("role", ROLES)
def test_web_matrix(world, role, client):
    from django.test import Client

    failures = []
    for name, variants in web_routes(world).items():
        for rule, method, url, data in variants:
            for rel in RELATIONS:
                if (
                    rule in ("public", "public_logout", "signed_in", "superuser", "enter_any")
                    and rel != "own"
                ):
                    continue  # no object: the relation does not apply
                want = "allowed" if rule == "public_logout" else expected(rule, role, rel)
                c = _client(world, role, Client)
                before = _fingerprint()
                u = url(rel)
                resp = c.post(u, data(rel)) if method == "post" else c.get(u)
                got = _classify(resp, api=False)
                if rule == "public_logout":  # signing out always ends on the sign-in page
                    got = "allowed" if resp.status_code == 302 else got
                if got != want:
                    failures.append(
                        f"{name}: {role:9} {rel:6} {method.upper():4} {u} [{rule}] -> {resp.status_code} ({got}), want {want}"
                    )
                if want != "allowed" and _fingerprint() != before:
                    failures.append(
                        f"{name}: {role:9} {rel:6} {method.upper():4} {u}: refused but something was written"
                    )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(world, role, client):
    from django.test import Client

    from chitieu.api.models import ApiToken

    token = None
    if role != "anonymous":
        _, token = ApiToken.issue(world["users"][role], "matrix")
    failures = []
    for (method, _template), variants in api_ops(world).items():
        for rule, url, body in variants:
            for rel in RELATIONS:
                if rule in ("public", "signed_in") and rel != "own":
                    continue
                c = Client()
                c.raise_request_exception = False
                headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
                before = _fingerprint()
                u = url(rel)
                payload = body(rel) if body else None
                import json

                if method == "GET":
                    resp = c.get(u, **headers)
                else:
                    resp = c.generic(
                        method, u, json.dumps(payload or {}), content_type="application/json", **headers
                    )
                if rule == "enter_rows":
                    # one request, rows refused one by one (all or nothing): 200 with errors, nothing written
                    want = "login" if role == "anonymous" else "allowed"
                    got = _classify(resp, api=True)
                    writes = expected("enter", role, rel) == "allowed"
                    if role != "anonymous" and not writes and _fingerprint() != before:
                        failures.append(f"{role} {rel} {method} {u}: refused rows but something was written")
                else:
                    want = expected(rule, role, rel)
                    got = _classify(resp, api=True)
                    if want != "allowed" and _fingerprint() != before:
                        failures.append(f"{role} {rel} {method} {u}: refused but something was written")
                if got != want:
                    failures.append(
                        f"{role:9} {rel:6} {method:4} {u} [{rule}] -> {resp.status_code} ({got}), want {want}"
                    )
    assert not failures, "\n".join(failures)


def test_the_matrix_is_not_trivially_refusing(world, client):
    """A sanity check on the fixture: the reporter can really write its own unit's value."""
    client.force_login(world["users"]["reporter"])
    t = world["objs"]["own"]["target"]
    s = world["objs"]["own"]["sub"]
    client.post(f"/bao-cao/{s.pk}/", {f"num_{t.pk}": "7", f"den_{t.pk}": "10", "action": "save"})
    assert DataValue.objects.filter(unit=world["objs"]["own"]["unit"], numerator=7).exists()
    assert io  # keep the import for the helpers above
