"""Organisation units (a tree with history) and people's roles in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class UnitKind(models.TextChoices):
    NATION = "nation", "Trung ương"
    PROVINCE = "province", "Tỉnh, thành phố"
    DISTRICT = "district", "Huyện, thị xã, thành phố thuộc tỉnh (trước 07/2025)"
    COMMUNE = "commune", "Xã, phường, đặc khu"
    DEPARTMENT = "department", "Sở, ban, ngành"
    BOARD = "board", "Ban Chỉ đạo"
    OFFICE = "office", "Phòng, văn phòng, đơn vị thuộc"
    SERVICE = "service", "Đơn vị sự nghiệp"
    OTHER = "other", "Khác"


class Unit(models.Model):
    """An organisation unit: province, department, commune, office ...

    ``path`` is the materialised path of ids ("/1/7/42/"), kept by :mod:`chitieu.orgs.services`,
    so a subtree is one indexed prefix query. Units are never deleted once they have data: a
    unit that ceases (merger, 2025 reorganisation) gets ``valid_to`` and successor links.
    """

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên đầy đủ", max_length=255)
    short_name = models.CharField("tên ngắn", max_length=120, blank=True)
    abbreviation = models.CharField("viết tắt", max_length=40, blank=True)
    aliases = models.JSONField("tên gọi khác", default=list, blank=True)
    kind = models.CharField("loại đơn vị", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="đơn vị cấp trên",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    admin_code = models.CharField("mã hành chính", max_length=20, blank=True, db_index=True)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    search_key = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        ordering = ["path"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def is_descendant_of(self, other: Unit) -> bool:
        return self.path.startswith(other.path) and self.pk != other.pk


class UnitSuccession(models.Model):
    """A predecessor unit's history continues in a successor (merger, split, renaming)."""

    class Kind(models.TextChoices):
        MERGE = "merge", "Hợp nhất, sáp nhập"
        SPLIT = "split", "Chia tách"
        RENAME = "rename", "Đổi tên"
        TRANSFER = "transfer", "Điều chuyển"

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions_out")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions_in")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MERGE)
    effective = models.DateField("ngày hiệu lực")
    primary = models.BooleanField(
        default=True,
        help_text="Khi chia tách: đơn vị kế thừa số liệu lịch sử khi quy đổi về đơn vị hiện nay.",
    )
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "kế thừa đơn vị"
        verbose_name_plural = "kế thừa đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_succession"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective})"


class Role(models.TextChoices):
    REPORTER = "reporter", "Người báo cáo"
    APPROVER = "approver", "Người duyệt"
    VIEWER = "viewer", "Người xem"
    ADMIN = "admin", "Quản trị"


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = "vai trò"
        verbose_name_plural = "vai trò"
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class UnitAlias(models.Model):
    """A name a document used for a unit, as a person confirmed it: "P. QLVT" is this unit, when the
    documents of ``scope`` (the issuing office, or any office when empty) say it. Several rows with one
    key make a group ("Các thành viên Ban Chỉ đạo"). The next plan of the same office resolves it
    without asking."""

    phrase = models.CharField("tên như văn bản ghi", max_length=255)
    key = models.CharField(max_length=255, db_index=True, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="learned_aliases")
    scope = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="áp dụng cho văn bản của",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tên gọi đã xác nhận"
        verbose_name_plural = "tên gọi đã xác nhận"
        constraints = [models.UniqueConstraint(fields=["key", "scope", "unit"], name="unique_unit_alias")]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.unit}"
