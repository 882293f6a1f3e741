"""One change log for every domain object: who, when, what, before -> after, why."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ChangeRecord(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "Tạo mới"
        UPDATE = "update", "Cập nhật"
        DELETE = "delete", "Xóa"
        SUBMIT = "submit", "Gửi"
        APPROVE = "approve", "Duyệt"
        RETURN = "return", "Trả lại"
        REOPEN = "reopen", "Mở lại"
        IMPORT = "import", "Nhập"
        LOGIN = "login", "Đăng nhập"
        LOGOUT = "logout", "Đăng xuất"
        LOGIN_FAILED = "login_failed", "Đăng nhập thất bại"
        OTHER = "other", "Khác"

    time = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, db_index=True)  # "app_label.model"
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "time"])]
        verbose_name = "bản ghi thay đổi"
        verbose_name_plural = "nhật ký thay đổi"

    def __str__(self) -> str:
        return (
            f"{self.time:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}#{self.object_id}"
        )
