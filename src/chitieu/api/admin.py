from django.contrib import admin

from chitieu.api.models import ApiToken
from chitieu.api.services import token_revoke
from chitieu.audit.admin import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are issued by `chitieu token` (the raw token is shown once); here they can be revoked."""

    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    list_filter = ("revoked",)
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser  # the revoke action needs it; the form itself is read-only

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ApiToken._meta.fields]

    @admin.action(description="Thu hồi khóa đã chọn")
    def revoke(self, request, queryset):
        for tok in queryset:
            token_revoke(actor=request.user, token=tok)
