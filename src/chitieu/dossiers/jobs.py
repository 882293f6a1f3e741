"""Background steps of a web import (a large file is checked and written by the worker while the
page shows progress)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task

from chitieu.dossiers import importing
from chitieu.dossiers.models import DossierImport, ImportStatus

SYNC_LIMIT_BYTES = 20 * 1024 * 1024  # smaller uploads are handled in the request itself


def _run(import_id: int, user_id: int, step: str, import_good: bool | None, move_units: bool = False) -> str:
    imp = DossierImport.objects.get(pk=import_id)
    user = get_user_model().objects.get(pk=user_id)
    try:
        if step == "check":
            imp = importing.import_check(actor=user, imp=imp)
            # bad rows, ownership conflicts and rows skipped as layout wait for the person's look
            if imp.rows_bad == 0 and imp.rows_layout == 0:
                imp = importing.import_commit(actor=user, imp=imp)
        else:
            imp = importing.import_commit(actor=user, imp=imp, import_good=import_good, move_units=move_units)
    except importing.DossierImportError as exc:
        DossierImport.objects.filter(pk=import_id).update(status=ImportStatus.FAILED, message=exc.args[0])
    return DossierImport.objects.get(pk=import_id).status


@task()
def import_step(
    import_id: int, user_id: int, step: str, import_good: bool | None = None, move_units: bool = False
) -> str:
    return _run(import_id, user_id, step, import_good, move_units)


def start(
    imp: DossierImport, user, step: str, import_good: bool | None = None, move_units: bool = False
) -> None:
    """Run now for a small file, else hand the step to the worker."""
    if imp.size <= SYNC_LIMIT_BYTES:
        _run(imp.pk, user.pk, step, import_good, move_units)
        return
    status = ImportStatus.CHECKING if step == "check" else ImportStatus.IMPORTING
    DossierImport.objects.filter(pk=imp.pk).update(status=status, phase="Chờ tiến trình nền", progress=1)
    import_step.enqueue(imp.pk, user.pk, step, import_good, move_units)
