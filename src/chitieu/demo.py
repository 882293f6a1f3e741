"""Demo data: a province with departments, offices and communes, two plans (the province's and a
department's that implements it), targets, tasks and three quarters of data. All wording here is
our own; figures are invented but realistic.

Loaded by ``chitieu demo`` (``make demo``). Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from chitieu.analytics import refresh as analytics
from chitieu.indicators.loaders import load_catalog
from chitieu.indicators.models import Indicator
from chitieu.orgs.loaders import load_legacy_districts, load_vietnam_units
from chitieu.orgs.models import Membership, Unit, UnitKind, UnitSuccession
from chitieu.plans import services as plan_services
from chitieu.plans.models import Plan
from chitieu.reporting import services as value_services
from chitieu.reporting.models import ReportingRegime
from chitieu.reporting.obligations import plan_regime_set

DEMO_PASSWORD = "chitieu-demo-2026"
DEMO_PROVINCE = 24  # Bắc Ninh after 1 July 2025 (Bắc Giang + Bắc Ninh)
DEMO_PLAN = "18/KH-SNV"
YEAR = 2026


def _unit(code, name, kind, parent, short="", abbr="", aliases=(), valid_from=None, valid_to=None) -> Unit:
    from chitieu.orgs import services

    u = Unit.objects.filter(code=code).first()
    if u:
        return u
    return services.unit_create(
        actor=None,
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        short_name=short,
        abbreviation=abbr,
        aliases=list(aliases),
        valid_from=valid_from,
        valid_to=valid_to,
        audit=False,
    )


def _user(username: str, full_name: str, *, superuser: bool = False):
    User = get_user_model()
    u = User.objects.filter(username=username).first()
    if u:
        return u
    # Vietnamese names are written in full, family name first: keep them whole in first_name.
    if superuser:
        return User.objects.create_superuser(
            username, f"{username}@demo.chitieu.local", DEMO_PASSWORD, first_name=full_name
        )
    return User.objects.create_user(
        username, f"{username}@demo.chitieu.local", DEMO_PASSWORD, first_name=full_name
    )


def is_loaded() -> bool:
    return Plan.objects.filter(number_symbol=DEMO_PLAN).exists()


@transaction.atomic
def load_demo(*, say: Callable[[str], None] = print, all_provinces: bool = True) -> dict:
    if is_loaded():
        say("Dữ liệu mẫu đã có sẵn, không nạp lại.")
        return {"loaded": False}
    n_ind = load_catalog()
    say(f"Danh mục chỉ tiêu: {n_ind} chỉ tiêu.")
    counts = load_vietnam_units(provinces=None if all_provinces else {DEMO_PROVINCE})
    say(
        f"Đơn vị hành chính: {counts['provinces']} tỉnh, thành phố; {counts['communes']} xã, phường, đặc khu; "
        f"{counts['legacy_provinces']} tỉnh trước sắp xếp."
    )
    old = load_legacy_districts(provinces={DEMO_PROVINCE})
    say(
        f"Trước 01/07/2025: {old['districts']} huyện, thị xã, thành phố và {old['communes']} xã, phường, "
        "thị trấn của tỉnh mẫu, mỗi xã cũ nối với phường, xã kế thừa."
    )

    prov = Unit.objects.get(code=f"P{DEMO_PROVINCE:02d}")
    _unit(
        "BN-UBND",
        f"Ủy ban nhân dân {prov.name.replace('Thành phố', 'thành phố').replace('Tỉnh', 'tỉnh')}",
        UnitKind.OTHER,
        prov,
        short="UBND tỉnh",
        abbr="UBND",
        aliases=["UBND tỉnh Bắc Ninh"],
    )
    bcd = _unit(
        "BN-BCDCDS",
        "Ban Chỉ đạo chuyển đổi số tỉnh Bắc Ninh",
        UnitKind.BOARD,
        prov,
        short="BCĐ chuyển đổi số tỉnh",
        abbr="BCĐCĐS",
    )
    snv = _unit("BN-SNV", "Sở Nội vụ tỉnh Bắc Ninh", UnitKind.DEPARTMENT, prov, short="Sở Nội vụ", abbr="SNV")
    skhcn = _unit(
        "BN-SKHCN",
        "Sở Khoa học và Công nghệ tỉnh Bắc Ninh",
        UnitKind.DEPARTMENT,
        prov,
        short="Sở Khoa học và Công nghệ",
        abbr="SKHCN",
        valid_from=dt.date(2025, 3, 1),
    )
    stttt = _unit(
        "BG-STTTT",
        "Sở Thông tin và Truyền thông tỉnh Bắc Giang",
        UnitKind.DEPARTMENT,
        prov,
        short="Sở Thông tin và Truyền thông",
        abbr="STTTT",
        valid_to=dt.date(2025, 2, 28),
    )
    UnitSuccession.objects.get_or_create(
        predecessor=stttt,
        successor=skhcn,
        defaults={"effective": dt.date(2025, 3, 1), "note": "Hợp nhất Sở TT&TT vào Sở KH&CN"},
    )
    vpubnd = _unit(
        "BN-VPUBND",
        "Văn phòng Ủy ban nhân dân tỉnh Bắc Ninh",
        UnitKind.DEPARTMENT,
        prov,
        short="Văn phòng UBND tỉnh",
        abbr="VPUBND",
    )
    stp = _unit(
        "BN-STP", "Sở Tư pháp tỉnh Bắc Ninh", UnitKind.DEPARTMENT, prov, short="Sở Tư pháp", abbr="STP"
    )
    vp_snv = _unit("BN-SNV-VP", "Văn phòng Sở Nội vụ", UnitKind.OFFICE, snv, short="Văn phòng Sở", abbr="VP")
    p_cchc = _unit("BN-SNV-CCHC", "Phòng Cải cách hành chính", UnitKind.OFFICE, snv, short="Phòng CCHC")
    p_ccvc = _unit("BN-SNV-CCVC", "Phòng Công chức, viên chức", UnitKind.OFFICE, snv, short="Phòng CCVC")
    # the divisions a department's own plan assigns work to
    _unit(
        "BN-SKHCN-VP",
        "Văn phòng Sở Khoa học và Công nghệ",
        UnitKind.OFFICE,
        skhcn,
        short="Văn phòng Sở",
        abbr="VP",
    )
    _unit(
        "BN-SKHCN-CDS",
        "Phòng Chuyển đổi số",
        UnitKind.OFFICE,
        skhcn,
        short="Phòng CĐS",
        aliases=["Phòng Chuyển đổi số và Công nghệ thông tin"],
    )
    _unit("BN-SKHCN-BCVT", "Phòng Bưu chính, Viễn thông", UnitKind.OFFICE, skhcn, short="Phòng BCVT")
    _unit(
        "BN-SKHCN-TTCNS",
        "Trung tâm Công nghệ số",
        UnitKind.SERVICE,
        skhcn,
        abbr="TTCNS",
        aliases=["Trung tâm Công nghệ thông tin và Truyền thông"],
    )
    _unit(
        "BN-VPUBND-TTHCC",
        "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh",
        UnitKind.SERVICE,
        vpubnd,
        short="Trung tâm Phục vụ hành chính công",
        abbr="TTPVHCC",
    )
    communes = list(Unit.objects.filter(parent=prov, kind=UnitKind.COMMUNE).order_by("admin_code")[:6])
    say(
        f"Đơn vị mẫu: {prov.name}, {Unit.objects.filter(path__startswith=prov.path).count()} đơn vị trong tỉnh."
    )

    regime = ReportingRegime.objects.create(
        name="Báo cáo định kỳ chuyển đổi số (quý, 6 tháng, năm)",
        period_kinds=["quarter", "half", "year"],
        window={"kind": "cutoff", "turn_day": 15},
        deadline_rule={"kind": "day_of_last_month", "day": 18, "exclusive": True},
        deadline_phrase="trước ngày 18 của tháng cuối kỳ",
    )

    # --- users ---------------------------------------------------------------------------------
    admin = _user("admin", "Quản trị Hệ thống", superuser=True)
    people = {
        "snv.baocao": ("Nguyễn Thị Lan", snv, "reporter"),
        "snv.duyet": ("Trần Văn Minh", snv, "approver"),
        "tinh.xem": ("Lê Hoàng Nam", prov, "viewer"),
        "bcd.duyet": ("Phạm Quốc Huy", bcd, "approver"),
    }
    for i, c in enumerate(communes[:3], 1):
        people[f"xa{i}.baocao"] = (f"Cán bộ xã {i}", c, "reporter")
    for username, (full, unit, role) in people.items():
        Membership.objects.get_or_create(user=_user(username, full), unit=unit, role=role)

    ind = {i.code: i for i in Indicator.objects.all()}

    # --- the province's plan ------------------------------------------------------------------
    prov_plan = plan_services.plan_create(
        actor=admin,
        issuer=bcd,
        issuer_name="Ban Chỉ đạo chuyển đổi số tỉnh Bắc Ninh",
        number_symbol="12/KH-BCĐCĐS",
        date_text=f"{YEAR}-01-09",
        place="Bắc Ninh",
        title=f"Hoạt động của Ban Chỉ đạo chuyển đổi số tỉnh năm {YEAR}",
    )
    plan_regime_set(actor=admin, plan=prov_plan, regime=regime)
    for text, op, th, code, scope_kind, scope, assignees in [
        (
            "Tỷ lệ hồ sơ thủ tục hành chính tiếp nhận trực tuyến",
            ">=",
            70,
            "DVC_ONLINE_DOSSIER",
            "",
            "",
            [snv, stp],
        ),
        (
            "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
            ">=",
            80,
            "DIGITIZE_DOSSIER",
            "",
            "",
            [snv, stp],
        ),
        (
            "Tỷ lệ hồ sơ thanh toán phí, lệ phí trực tuyến",
            ">",
            60,
            "ONLINE_PAYMENT",
            UnitKind.COMMUNE,
            "cấp xã",
            communes,
        ),
        (
            "Tỷ lệ hồ sơ thủ tục hành chính cấp xã tiếp nhận trực tuyến",
            ">=",
            50,
            "DVC_ONLINE_DOSSIER",
            UnitKind.COMMUNE,
            "mọi xã, phường",
            None,  # every commune of the province
        ),
    ]:
        plan_services.target_create(
            actor=admin,
            plan=prov_plan,
            text=text,
            operator=op,
            threshold=th,
            indicator=ind[code],
            scope_kind=scope_kind,
            scope=scope,
            monitoring_unit=vpubnd,
            monitoring_unit_text=vpubnd.name,
            due_date=dt.date(YEAR, 12, 31),
            due_period=str(YEAR),
            assignees=assignees,
        )
    plan_services.plan_activate(actor=admin, plan=prov_plan)

    # --- the department's plan, implementing the province's ------------------------------------
    plan = plan_services.plan_create(
        actor=admin,
        issuer=snv,
        issuer_name="Sở Nội vụ tỉnh Bắc Ninh",
        number_symbol=DEMO_PLAN,
        date_text=f"{YEAR}-01-20",
        place="Bắc Ninh",
        title=f"Chuyển đổi số và cải cách hành chính của Sở Nội vụ năm {YEAR}",
    )
    plan_regime_set(actor=admin, plan=plan, regime=regime)
    plan_services.citation_add(
        actor=admin,
        plan=plan,
        number_symbol="12/KH-BCĐCĐS",
        date_text=f"{YEAR}-01-09",
        issuer_name="Ban Chỉ đạo chuyển đổi số tỉnh",
    )
    targets = {}
    for key, text, op, th, unit, code in [
        ("online", "Tỷ lệ hồ sơ thủ tục hành chính tiếp nhận trực tuyến", ">", 70, "%", "DVC_ONLINE_DOSSIER"),
        (
            "digit",
            "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
            ">=",
            80,
            "%",
            "DIGITIZE_DOSSIER",
        ),
        ("ontime", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", ">=", 97, "%", "ONTIME"),
        (
            "edoc",
            "Tỷ lệ văn bản trao đổi giữa các cơ quan dưới dạng điện tử",
            ">=",
            100,
            "%",
            "EDOC_EXCHANGE",
        ),
        ("pakn", "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn", ">=", 100, "%", "PAKN_ONTIME"),
        ("training", "Số lớp tập huấn kỹ năng số cho công chức của Sở", ">=", 2, "count", "TRAINING_COURSES"),
    ]:
        targets[key] = plan_services.target_create(
            actor=admin,
            plan=plan,
            text=text,
            operator=op,
            threshold=th,
            unit=unit,
            indicator=ind[code],
            lead_unit=snv,
            lead_unit_text="Sở Nội vụ",
            monitoring_unit=vp_snv,
            monitoring_unit_text="Văn phòng Sở",
            due_date=dt.date(YEAR, 12, 31),
            due_period=str(YEAR),
        )
    for text, lead, phrase, deadline, rec in [
        (
            "Rà soát, cấu hình quy trình điện tử cho toàn bộ thủ tục hành chính thuộc thẩm quyền của Sở",
            p_cchc,
            "Quý II/2026",
            dt.date(YEAR, 6, 30),
            "",
        ),
        (
            "Tổ chức 02 lớp tập huấn kỹ năng số cho công chức, viên chức của Sở",
            vp_snv,
            "Trước 30/9/2026",
            dt.date(YEAR, 9, 30),
            "",
        ),
        (
            "Cập nhật hồ sơ điện tử cán bộ, công chức, viên chức trên phần mềm quản lý",
            p_ccvc,
            "Thường xuyên",
            None,
            "continuous",
        ),
        (
            "Tổng hợp, báo cáo kết quả thực hiện kế hoạch gửi Ban Chỉ đạo tỉnh",
            vp_snv,
            "Hằng quý",
            None,
            "quarterly",
        ),
    ]:
        plan_services.task_create(
            actor=admin,
            plan=plan,
            text=text,
            lead_unit=lead,
            lead_unit_text=lead.name,
            deadline_phrase=phrase,
            deadline=deadline,
            recurrence=rec,
        )
    plan_services.plan_activate(actor=admin, plan=plan)

    # --- data: three quarters ------------------------------------------------------------------
    reporter = get_user_model().objects.get(username="snv.baocao")
    series = {
        "online": [(812, 1040), (905, 1122), (960, 1201)],
        "digit": [(861, 1040), (930, 1122), (1002, 1201)],
        "ontime": [(1015, 1040), (1089, 1122), (1160, 1201)],
        "edoc": [(2344, 2344), (2410, 2413), (2530, 2530)],
        "pakn": [(0, 0), (3, 3), (4, 5)],
    }
    for key, points in series.items():
        for q, (num, den) in enumerate(points, 1):
            value_services.value_save(
                actor=reporter,
                indicator=targets[key].indicator,
                unit=snv,
                period=f"{YEAR}Q{q}",
                numerator=num,
                denominator=den,
                comment="Số liệu từ hệ thống một cửa điện tử" if key != "edoc" else "",
            )
    for q, courses in enumerate([0, 1, 1], 1):
        value_services.value_save(
            actor=reporter,
            indicator=targets["training"].indicator,
            unit=snv,
            period=f"{YEAR}Q{q}",
            value=courses,
        )
    pay = ind["ONLINE_PAYMENT"]
    commune_data = [(41, 60), (55, 70), (12, 40), (30, 48), (0, 0), None]
    for c, pair in zip(communes, commune_data, strict=False):
        if pair is None:
            continue  # one commune has not reported: "no data", not zero
        value_services.value_save(
            actor=admin, indicator=pay, unit=c, period=f"{YEAR}Q3", numerator=pair[0], denominator=pair[1]
        )
    for q, (num, den) in enumerate([(300, 520), (310, 505), (298, 470)], 1):
        value_services.value_save(
            actor=admin,
            indicator=ind["DVC_ONLINE_DOSSIER"],
            unit=stp,
            period=f"{YEAR}Q{q}",
            numerator=num,
            denominator=den,
        )
    with analytics.batch():
        _commune_series(admin, ind["DVC_ONLINE_DOSSIER"], prov)
        _history(admin, ind["DVC_ONLINE_DOSSIER"], stttt, skhcn)
    _walk_workflow(admin, reporter, plan, prov_plan, snv, stp, communes)
    n = _dossiers(admin, prov)
    say(f"Hồ sơ một cửa năm 2025: {n} hồ sơ đã nhập và tính chỉ tiêu bốn quý.")
    _scoring(admin, prov, communes, prov_plan)
    say(f"Kế hoạch mẫu: {prov_plan.number_symbol}, {plan.number_symbol} với số liệu quý I-III/{YEAR}.")
    return {"loaded": True, "plans": 2}


def _commune_series(admin, indicator: Indicator, prov: Unit) -> None:
    """Three quarters of online dossiers for every commune of the province (invented, seeded so
    every run gives the same figures; about one commune in fifteen has not reported Q3)."""
    rng = random.Random(YEAR)
    for c in Unit.objects.filter(parent=prov, kind=UnitKind.COMMUNE).order_by("admin_code"):
        base = rng.uniform(0.32, 0.9)
        step = rng.uniform(-0.03, 0.06)
        for q in (1, 2, 3):
            if q == 3 and rng.random() < 0.07:
                continue
            den = rng.randint(60, 900)
            num = round(den * min(max(base + step * (q - 1), 0.0), 1.0))
            value_services.value_save(
                actor=admin, indicator=indicator, unit=c, period=f"{YEAR}Q{q}", numerator=num, denominator=den
            )


def _history(admin, indicator: Indicator, old_dept: Unit, new_dept: Unit) -> None:
    """Figures from before the 2025 mergers, so that roll-ups "as units were then" and "mapped to
    today's units" differ: the two former provinces (2024) and a department merged in March 2025."""
    for code, pairs in {"L24": [(512_300, 861_000)], "L27": [(398_750, 702_400)]}.items():
        old = Unit.objects.filter(code=code).first()
        if old is None:
            continue
        for (num, den), year in zip(pairs, (2024,), strict=True):
            value_services.value_save(
                actor=admin, indicator=indicator, unit=old, period=str(year), numerator=num, denominator=den
            )
    for period, unit, (num, den) in [
        ("2024Q3", old_dept, (402, 655)),
        ("2024Q4", old_dept, (455, 690)),
        ("2025Q2", new_dept, (530, 712)),
        ("2025Q3", new_dept, (571, 730)),
    ]:
        value_services.value_save(
            actor=admin, indicator=indicator, unit=unit, period=period, numerator=num, denominator=den
        )


def _dossiers(admin, prov: Unit) -> int:
    """A year of synthetic one-stop-shop records for the province's communes and departments,
    imported and computed into 2025's quarterly indicators (2025: no report is locked)."""
    import tempfile
    from pathlib import Path

    from chitieu.dossiers import importing
    from chitieu.dossiers.generator import generate
    from chitieu.dossiers.services import dossiers_compute

    codes = list(
        Unit.objects.filter(
            path__startswith=prov.path,
            kind__in=[UnitKind.COMMUNE, UnitKind.DEPARTMENT],
            valid_to__isnull=True,
        )
        .order_by("path")
        .values_list("code", flat=True)
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mot-cua-2025.csv"
        generate(path, units=codes, rows=40_000, year=2025, seed=2025)
        imp = importing.import_create(actor=admin, path=path, file_name="mot-cua-bac-ninh-2025.csv")
        imp = importing.import_run(actor=admin, imp=imp)
    dossiers_compute(actor=admin, periods=["2025Q1", "2025Q2", "2025Q3", "2025Q4"])
    return imp.rows_written


DEMO_FRAMEWORK = """
code: CDS-XA-BN
name: Chỉ số chuyển đổi số cấp xã tỉnh Bắc Ninh
version: "2025"
period: "2025Q4"
max_points: 100
criteria:
  - code: "1"
    name: Dịch vụ công trực tuyến
    max_points: 40
    criteria:
      - {code: "1.1", name: "Tỷ lệ hồ sơ trực tuyến", indicator: DVC_ONLINE_DOSSIER, method: computed, threshold: 80, max_points: 20}
      - {code: "1.2", name: "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", indicator: ONTIME, method: banded, bands: "98:10; 95:7; 90:4", max_points: 10}
      - {code: "1.3", name: "Tỷ lệ thanh toán trực tuyến", indicator: ONLINE_PAYMENT, method: computed, threshold: 50, max_points: 10}
  - code: "2"
    name: Số hóa
    max_points: 30
    criteria:
      - {code: "2.1", name: "Tỷ lệ số hóa hồ sơ, kết quả", indicator: DIGITIZE_DOSSIER, method: computed, threshold: 80, max_points: 20}
      - {code: "2.2", name: "Có kế hoạch số hóa dữ liệu của xã", method: yesno, evidence_required: true, max_points: 10}
  - code: "3"
    name: Chỉ đạo, điều hành và nhân lực số
    max_points: 30
    criteria:
      - {code: "3.1", name: "Chỉ đạo, điều hành chuyển đổi số", method: manual, max_points: 15}
      - {code: "3.2", name: "Tập huấn kỹ năng số cho cán bộ", method: manual, max_points: 15}
"""


def _scoring(admin, prov: Unit, communes: list[Unit], evidence_plan: Plan) -> None:
    """The shipped frameworks (766 for the 2025 quarters), and the province's own commune index:
    self-assessed, appraised (one change with a reason) and published for six communes."""
    from chitieu.scoring import services as scoring

    scoring.load_shipped(period="2025Q4")
    approver = get_user_model().objects.get(username="snv.duyet")
    fw = scoring.framework_import(
        actor=admin, owner=prov, file_name="chi-so-cds-xa.yaml", data=DEMO_FRAMEWORK.encode()
    )
    assessments = scoring.framework_open(
        actor=admin, framework=fw, units=communes, appraisers={c.pk: [approver] for c in communes}
    )
    rng = random.Random(YEAR + 2)
    evidence = reverse("plans:detail", args=[evidence_plan.pk])  # a document already in the system
    for i, a in enumerate(assessments):
        scoring.self_assess_save(
            actor=admin,
            assessment=a,
            entries={
                "2.2": {"met": i % 3 != 2, "links": [evidence] if i % 3 != 2 else []},
                "3.1": {"points": str(rng.randint(9, 15))},
                "3.2": {"points": str(rng.randint(6, 15))},
            },
        )
        a = scoring.self_assess_submit(actor=admin, assessment=a)
        if i == 1:
            scoring.appraise_save(
                actor=approver, assessment=a, changes={"3.2": ("6", "Chưa có danh sách cán bộ đã tập huấn")}
            )
        scoring.appraise_finalize(actor=approver, assessment=a)
    scoring.framework_publish(actor=admin, framework=fw)


def _walk_workflow(admin, reporter, plan, prov_plan, snv, stp, communes) -> None:
    """Send and approve the demo's reports as people would have, on the days they would have."""
    from django.utils import timezone

    from chitieu.audit.models import ChangeRecord
    from chitieu.reporting import workflow
    from chitieu.reporting.errors import WorkflowError
    from chitieu.reporting.models import Submission

    approver = get_user_model().objects.get(username="snv.duyet")
    tz = timezone.get_current_timezone()

    def _history_on(s, action: str, when: dt.datetime) -> None:
        ChangeRecord.objects.filter(
            object_type=Submission._meta.label_lower, object_id=str(s.pk), action=action
        ).update(time=when)

    def sent_on(s, day: dt.date, hour: int = 9) -> None:
        """The report was sent on that day: its timestamps and its timeline say so."""
        when = dt.datetime.combine(day, dt.time(hour, 30), tzinfo=tz)
        Submission.objects.filter(pk=s.pk).update(submitted_at=when, first_submitted_at=when)
        _history_on(s, "submit", when)

    def approved_after(s, days: int = 2) -> None:
        s = Submission.objects.get(pk=s.pk)
        when = s.submitted_at + dt.timedelta(days=days, hours=5)
        Submission.objects.filter(pk=s.pk).update(approved_at=when)
        _history_on(s, "approve", when)

    for q, approve in ((1, True), (2, True), (3, False)):
        s = Submission.objects.get(plan=plan, unit=snv, period=f"{YEAR}Q{q}")
        workflow.submission_submit(actor=reporter, submission=s)
        sent_on(s, s.last_on_time_day - dt.timedelta(days=2))
        if approve:
            workflow.submission_approve(actor=approver, submission=Submission.objects.get(pk=s.pk))
            approved_after(s)
    for i, c in enumerate(communes[:4]):
        s = Submission.objects.get(plan=prov_plan, unit=c, period=f"{YEAR}Q3")
        workflow.submission_submit(actor=admin, submission=s)
        sent_on(
            s,
            s.last_on_time_day + dt.timedelta(days=3)
            if i == 2
            else s.last_on_time_day - dt.timedelta(days=1),
        )
    for unit in (snv, stp):
        for q in (1, 2, 3):
            s = Submission.objects.get(plan=prov_plan, unit=unit, period=f"{YEAR}Q{q}")
            if unit == snv and q < 3 or unit == stp:
                try:
                    workflow.submission_submit(actor=admin, submission=s)
                except WorkflowError:
                    continue  # a target without data in the demo: left as a draft
                sent_on(s, s.last_on_time_day - dt.timedelta(days=4))
    # the communes of the province: Q1 and Q2 sent and approved, Q3 sent by about two in three
    rng = random.Random(YEAR + 1)
    province = communes[0].parent if communes else None
    rest = Submission.objects.filter(
        plan=prov_plan, unit__parent=province, period__in=[f"{YEAR}Q1", f"{YEAR}Q2", f"{YEAR}Q3"]
    ).exclude(status__in=["submitted", "approved"])
    for s in rest.select_related("unit", "plan").order_by("period", "unit__admin_code"):
        if s.period.endswith("Q3") and rng.random() < 0.35:
            continue
        try:
            workflow.submission_submit(actor=admin, submission=s)
        except WorkflowError:
            continue
        sent_on(s, s.last_on_time_day - dt.timedelta(days=rng.randint(0, 6)))
        if not s.period.endswith("Q3"):
            workflow.submission_approve(actor=admin, submission=Submission.objects.get(pk=s.pk))
            approved_after(s, 1 + s.pk % 5)
