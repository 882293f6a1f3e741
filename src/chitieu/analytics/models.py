"""Analytics tables: derived, rebuilt from reporting data, never edited by hand.

``Fact`` is a DHIS2-style flattened copy of every data value, with one column per level of the
unit tree (as the unit stood, and mapped to today's units after mergers) and one per period
type, so a roll-up is one indexed ``GROUP BY`` instead of a walk over the tree.
``TargetState`` holds, for each target and each unit it applies to (and for the target as a
whole), the latest value, its status and the per-period series behind the sparkline.
Both are refreshed incrementally by :mod:`chitieu.analytics.refresh` after each write.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

LEVELS = 6  # columns l0..l5 / m0..m5: nation, province, department or commune, office, ...


class Fact(models.Model):
    data_value_id = models.BigIntegerField(unique=True)
    indicator_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    period = models.CharField(max_length=8)
    period_kind = models.CharField(max_length=8)
    period_end = models.DateField()
    year = models.CharField(max_length=4)
    half = models.CharField(max_length=8, blank=True)
    quarter = models.CharField(max_length=8, blank=True)
    month = models.CharField(max_length=8, blank=True)
    # the unit's ancestors by depth, as the unit stood
    l0 = models.BigIntegerField(null=True)
    l1 = models.BigIntegerField(null=True)
    l2 = models.BigIntegerField(null=True)
    l3 = models.BigIntegerField(null=True)
    l4 = models.BigIntegerField(null=True)
    l5 = models.BigIntegerField(null=True)
    # the unit that carries this unit's history today, and its ancestors
    mapped_unit_id = models.BigIntegerField()
    m0 = models.BigIntegerField(null=True)
    m1 = models.BigIntegerField(null=True)
    m2 = models.BigIntegerField(null=True)
    m3 = models.BigIntegerField(null=True)
    m4 = models.BigIntegerField(null=True)
    m5 = models.BigIntegerField(null=True)
    numerator = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    denominator = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True)

    class Meta:
        verbose_name = "dòng phân tích"
        indexes = [
            models.Index(fields=["indicator_id", "period"]),
            models.Index(fields=["indicator_id", "unit_id"]),
            models.Index(fields=["indicator_id", "l0", "period"]),
            models.Index(fields=["indicator_id", "l1", "period"]),
            models.Index(fields=["indicator_id", "m1", "period"]),
            models.Index(fields=["indicator_id", "l2", "period"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.unit_id}/{self.period}"


class TargetState(models.Model):
    target = models.ForeignKey("plans.Target", on_delete=models.CASCADE, related_name="states")
    unit = models.ForeignKey(
        "orgs.Unit", null=True, on_delete=models.CASCADE, related_name="target_states"
    )  # null: the target as a whole (every unit it applies to, summed)
    unit_path = models.CharField(max_length=255, db_index=True)
    plan_ref = models.BigIntegerField(db_index=True)
    period = models.CharField(max_length=8, blank=True)
    numerator = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    denominator = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    status = models.CharField(max_length=16)
    plain_status = models.CharField(max_length=16)
    projected = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    series = models.JSONField(default=list)
    units_reporting = models.PositiveIntegerField(default=0)
    units_total = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "đánh giá chỉ tiêu"
        constraints = [
            models.UniqueConstraint(
                fields=["target", "unit"], condition=Q(unit__isnull=False), name="one_state_per_unit"
            ),
            models.UniqueConstraint(
                fields=["target"], condition=Q(unit__isnull=True), name="one_total_state"
            ),
        ]
        indexes = [models.Index(fields=["unit_path", "status"]), models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.target_id}/{self.unit_id or 'total'}: {self.status}"
