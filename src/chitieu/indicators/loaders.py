"""Load the shipped indicator catalog (YAML). Idempotent: existing codes are updated."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from chitieu.core import vntext
from chitieu.core.errors import Invalid
from chitieu.indicators.models import Indicator

CATALOG = Path(__file__).with_name("data") / "catalog.yaml"


class CatalogError(Invalid):
    pass


def read_catalog(path: Path = CATALOG) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError(f"{path}: không đọc được danh mục: {exc}")
    if not isinstance(data, list):
        raise CatalogError(f"{path}: danh mục phải là một danh sách")
    for i, item in enumerate(data, 1):
        if not isinstance(item, dict) or not item.get("code") or not item.get("name"):
            raise CatalogError(f"{path}: mục {i} thiếu 'code' hoặc 'name'")
    return data


@transaction.atomic
def load_catalog(path: Path = CATALOG) -> int:
    items = read_catalog(path)
    for item in items:
        ind = Indicator.objects.filter(code=item["code"]).first() or Indicator(code=item["code"])
        ind.name = vntext.nfc(item["name"])
        ind.aliases = [vntext.nfc(a) for a in item.get("aliases") or []]
        ind.kind = item.get("kind", "ratio")
        ind.numerator_definition = item.get("numerator", "")
        ind.denominator_definition = item.get("denominator", "")
        ind.measure_unit = item.get("measure_unit", "%" if ind.kind == "ratio" else "")
        ind.direction = item.get("direction", "higher")
        ind.source = item.get("source", "entered")
        ind.description = item.get("description", "")
        ind.match_key = vntext.match_key(ind.name)[:500]
        ind.save()
    return len(items)
