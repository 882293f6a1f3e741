"""Shared fixtures: a small unit tree, people with roles, a few catalog indicators."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _seeds_dir() -> Path:
    """The five real documents: $CHITIEU_SEEDS, else ../shared/seeds beside the clone, else the
    workplace's shared folder."""
    if os.environ.get("CHITIEU_SEEDS"):
        return Path(os.environ["CHITIEU_SEEDS"])
    for candidate in (
        Path(__file__).resolve().parents[1].parent / "shared" / "seeds",
        Path("/work/shared/seeds"),
    ):
        if candidate.is_dir():
            return candidate
    return Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


SEEDS = _seeds_dir()
ARTIFACTS = Path(os.environ.get("CHITIEU_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"))


def seed_path(prefix: str) -> Path:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not found in {SEEDS}")
    return matches[0]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings, tmp_path):
    """Password hashing is slow by design; tests that are not about it use a fast hasher.
    Uploaded files go to a per-test folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tree(db):
    """province -> (department -> office), (commune A), (commune B); plus another province."""
    from chitieu.orgs import services
    from chitieu.orgs.models import UnitKind

    mk = lambda code, name, kind, parent=None, **kw: services.unit_create(  # noqa: E731
        actor=None, code=code, name=name, kind=kind, parent=parent, **kw
    )
    prov = mk("T1", "Tỉnh Thử Nghiệm", UnitKind.PROVINCE)
    dept = mk(
        "T1-SNV",
        "Sở Nội vụ tỉnh Thử Nghiệm",
        UnitKind.DEPARTMENT,
        prov,
        short_name="Sở Nội vụ",
        abbreviation="SNV",
    )
    office = mk("T1-SNV-VP", "Văn phòng Sở Nội vụ", UnitKind.OFFICE, dept, short_name="Văn phòng Sở")
    xa_a = mk("T1-XA", "Xã An Bình", UnitKind.COMMUNE, prov)
    xa_b = mk("T1-XB", "Xã Bình An", UnitKind.COMMUNE, prov)
    other = mk("T2", "Tỉnh Khác", UnitKind.PROVINCE)
    other_dept = mk("T2-SNV", "Sở Nội vụ tỉnh Khác", UnitKind.DEPARTMENT, other)
    return {
        "prov": prov,
        "dept": dept,
        "office": office,
        "xa_a": xa_a,
        "xa_b": xa_b,
        "other": other,
        "other_dept": other_dept,
    }


@pytest.fixture
def people(tree, django_user_model):
    from chitieu.orgs.models import Membership

    def person(username, unit, role):
        u = django_user_model.objects.create_user(username, password="x-Passw0rd-long")
        if unit is not None:
            Membership.objects.create(user=u, unit=unit, role=role)
        return u

    return {
        "reporter": person("reporter", tree["dept"], "reporter"),
        "xa_reporter": person("xa_reporter", tree["xa_a"], "reporter"),
        "approver": person("approver", tree["dept"], "approver"),
        "viewer": person("viewer", tree["prov"], "viewer"),
        "admin": person("unit_admin", tree["prov"], "admin"),
        "other_reporter": person("other_reporter", tree["other_dept"], "reporter"),
        "nobody": person("nobody", None, ""),
        "root": django_user_model.objects.create_superuser("root", "root@x.vn", "x-Passw0rd-long"),
    }


@pytest.fixture
def indicators(db):
    from chitieu.indicators.services import indicator_create

    return {
        "online": indicator_create(
            actor=None, code="ONLINE", name="Tỷ lệ hồ sơ trực tuyến", kind="ratio", audit=False
        ),
        "count": indicator_create(
            actor=None, code="COURSES", name="Số lớp tập huấn", kind="count", measure_unit="lớp", audit=False
        ),
        "yesno": indicator_create(
            actor=None,
            code="HAS_PORTAL",
            name="Có cổng thông tin",
            kind="boolean",
            measure_unit="",
            audit=False,
        ),
    }


@pytest.fixture
def catalog(db):
    from chitieu.indicators.loaders import load_catalog

    load_catalog()
