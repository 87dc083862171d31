"""Validated shape of ``data/<case>/tenders/<competition>/model.yaml`` (pydantic).

An evaluation model is what the contracting authority fixes before tenders are opened: the award criteria with
their weights (FOA § 18-1), per criterion the rule that turns a tender into points (a price-to-points model for the
price or cost criterion, a scale with a rubric for each quality criterion), and how evaluator scores become one
consensus score. The file also carries the pre-opening simulation settings the advisor used to choose the model.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from procurement.case.ids import Id
from procurement.case.models import Label, _Strict

#: Highest points scale (10 and 100 are the usual ones): far beyond it, weighted totals overflow to inf and NaN.
MAX_POINTS = 1000.0
#: Highest weight of a criterion (weights are shares, percentages or points; a weight sum must stay finite).
MAX_WEIGHT = 1_000_000.0

PriceModelKind = Literal["linear", "proportional", "fixed-reference", "interpolation"]
PRICE_MODEL_KINDS: tuple[str, ...] = ("linear", "proportional", "fixed-reference", "interpolation")


class Source(_Strict):
    """Where a rule comes from, and whether the text was checked against that source."""

    citation: str = Field(min_length=1)
    url: str | None = None
    verified: bool = False


class PriceModel(_Strict):
    """How an evaluated price becomes points (on the criterion's ``0..max_points`` scale).

    ``linear`` (DFØ): max − max·(Pe − Pb)/Pb, Pb the lowest price; negative points allowed (KOFA 2015/60) unless
    ``floor`` is set. ``proportional`` (DFØ): max·Pb/Pe. ``fixed-reference``: max − slope·(Pe − R)/R against a
    stated reference R (budget or estimate), so no other tender changes a tender's points. ``interpolation``:
    max at or below ``best`` price, 0 at or above ``worst``, linear between.
    """

    kind: PriceModelKind
    floor: float | None = None
    reference: float | None = Field(default=None, gt=0)
    slope: float | None = Field(default=None, gt=0)
    best: float | None = Field(default=None, ge=0)
    worst: float | None = Field(default=None, gt=0)
    source: Source | None = None

    @model_validator(mode="after")
    def _check(self) -> PriceModel:
        if self.kind == "fixed-reference" and self.reference is None:
            raise ValueError("a fixed-reference model needs 'reference' (the budget or estimate, > 0)")
        if self.kind == "interpolation":
            if self.best is None or self.worst is None:
                raise ValueError("an interpolation model needs 'best' and 'worst' prices")
            if self.worst <= self.best:
                raise ValueError(f"'worst' ({self.worst:g}) must be above 'best' ({self.best:g})")
        if self.kind != "fixed-reference" and (self.reference is not None or self.slope is not None):
            raise ValueError(f"'reference' and 'slope' belong to a fixed-reference model, not '{self.kind}'")
        if self.kind != "interpolation" and (self.best is not None or self.worst is not None):
            raise ValueError(f"'best' and 'worst' belong to an interpolation model, not '{self.kind}'")
        return self

    @property
    def relative(self) -> bool:
        """Points depend on the other tenders (the lowest price): the ranking paradox can occur."""
        return self.kind in ("linear", "proportional")


class QualityScale(_Strict):
    """The scale evaluators score a quality criterion on, and how scores become points.

    ``absolute``: the consensus score is the points (scaled to ``max_points``). ``relative``: the best consensus
    score gets ``max_points`` and the others in proportion ("best gets 10"), which depends on the other tenders.
    """

    min: float = 0.0
    max: float = 10.0
    scoring: Literal["absolute", "relative"] = "absolute"
    rubric: dict[float, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> QualityScale:
        if self.max <= self.min:
            raise ValueError(f"scale max ({self.max:g}) must be above min ({self.min:g})")
        outside = [k for k in self.rubric if not self.min <= k <= self.max]
        if outside:
            raise ValueError(f"rubric level {outside[0]:g} is outside the scale {self.min:g}-{self.max:g}")
        if self.scoring == "relative" and self.min < 0:
            raise ValueError("a relative scale needs min 0 or more (points are score / best score)")
        return self


class AwardCriterion(_Strict):
    id: Id
    label: Label
    kind: Literal["price", "quality"]
    weight: float | None = Field(default=None, ge=0, le=MAX_WEIGHT)
    priority: int | None = Field(default=None, ge=1)
    description: str = ""
    price_model: PriceModel | None = None
    scale: QualityScale | None = None

    @model_validator(mode="after")
    def _check(self) -> AwardCriterion:
        if self.kind == "price":
            if self.price_model is None:
                raise ValueError("a price criterion needs 'price_model'")
            if self.scale is not None:
                raise ValueError("a price criterion has a 'price_model', not a 'scale'")
        else:
            if self.price_model is not None:
                raise ValueError("a quality criterion has a 'scale', not a 'price_model'")
            if self.scale is None:
                self.scale = QualityScale()
        return self


#: Most simulated tender fields: ten times the default (the share of fields with a paradox is then known to within
#: about ±0.2 percentage points); one million fields of six tenderers take 17 s and 0.6 GB.
MAX_FIELDS = 200_000
#: Most tenderers in a simulated field (the cost grows with fields × tenderers²).
MAX_SIMULATED_TENDERERS = 50


class Simulation(_Strict):
    """Pre-opening simulation of plausible tender fields (the evidence for choosing a price model)."""

    fields: int = Field(default=20_000, gt=0, le=MAX_FIELDS)
    tenderers: tuple[int, int] = (3, 6)
    estimate: float = Field(gt=0)
    price_spread: float = Field(default=0.15, gt=0, description="log-normal sigma of price around the estimate")
    quality_mean: float = 6.0
    quality_spread: float = Field(default=1.5, ge=0)
    price_quality_correlation: float = Field(default=0.3, ge=-1, le=1)
    value_per_point: float = Field(gt=0, description="money value of one weighted quality point (0-10 scale)")
    price_weights: list[float] = Field(default_factory=lambda: [0.3, 0.4, 0.5, 0.6])
    models: list[PriceModel] | None = None
    seed: int = Field(default=20261201, ge=0)

    @model_validator(mode="after")
    def _check(self) -> Simulation:
        lo, hi = self.tenderers
        if not 2 <= lo <= hi <= MAX_SIMULATED_TENDERERS:
            raise ValueError(f"'tenderers' [{lo}, {hi}] must be two numbers with 2 <= first <= second <= "
                             f"{MAX_SIMULATED_TENDERERS}")
        bad = [w for w in self.price_weights if not 0 < w < 1]
        if bad:
            raise ValueError(f"price weight {bad[0]:g} must be between 0 and 1 (a share, e.g. 0.4)")
        return self


class LifeCycle(_Strict):
    """The evaluated price as a life-cycle cost: the present value of each tenderer's cash flows in
    ``lifecycle.csv``, discounted to ``base_year`` with the R-109 rates of the cost-benefit module."""

    base_year: int = Field(ge=1900, le=2200)


class EvaluationModel(_Strict):
    """``model.yaml``: the award criteria, weights and scoring rules of one competition."""

    id: Id
    title: Label
    illustrative: bool = False
    description: str = ""
    currency: str = "MNOK"
    max_points: float = Field(default=10.0, gt=0, le=MAX_POINTS)
    opening: datetime | None = None
    lifecycle: LifeCycle | None = None
    consensus: Literal["mean", "median"] = "mean"
    disagreement: float = Field(default=3.0, gt=0, description="flag when evaluators' scores differ by more than this")
    tie_tolerance: float = Field(default=1e-9, ge=0)
    tie_break: Literal["none", "price", "quality"] = "none"
    criteria: list[AwardCriterion] = Field(min_length=1)
    sources: list[Source] = Field(default_factory=list)
    simulation: Simulation | None = None

    @model_validator(mode="after")
    def _check(self) -> EvaluationModel:
        ids = [c.id for c in self.criteria]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"criterion id '{dupes[0]}' appears more than once")
        prices = [c.id for c in self.criteria if c.kind == "price"]
        if len(prices) != 1:
            raise ValueError(f"exactly one price or cost criterion is needed, found {len(prices)}")
        weighted = [c.weight is not None for c in self.criteria]
        if not all(weighted):
            missing = [c.id for c in self.criteria if c.weight is None]
            raise ValueError(
                f"criterion '{missing[0]}' has no weight; the workbench computes weighted totals, so give every "
                "criterion a weight (an order of priority alone, FOA § 18-1, is recorded with 'priority')"
            )
        if sum(c.weight or 0.0 for c in self.criteria) <= 0:
            raise ValueError("all weights are zero; give at least one criterion a weight above zero")
        self._check_priority()
        return self

    def _check_priority(self) -> None:
        """A criterion of a strictly higher priority (a lower number) never has a lower weight than one of a lower
        priority. Criteria sharing a priority are not ordered against each other, so their weights may differ: FOA
        § 18-1 asks for the weights, or, where weighting is impossible, an order of priority; it orders nothing
        within equal importance (nor does Directive 2014/24/EU art. 67(5), "in decreasing order of importance").
        Checked between each priority level and the next, so the order of the file never decides."""
        levels: dict[int, list[AwardCriterion]] = {}
        for c in self.criteria:
            if c.priority is not None:
                levels.setdefault(c.priority, []).append(c)
        ranked = [levels[p] for p in sorted(levels)]
        for higher, lower in zip(ranked, ranked[1:], strict=False):
            a = min(higher, key=lambda c: c.weight or 0.0)
            b = max(lower, key=lambda c: c.weight or 0.0)
            if (a.weight or 0) < (b.weight or 0):
                raise ValueError(
                    f"criterion '{a.id}' has priority {a.priority} but a lower weight than '{b.id}' (priority "
                    f"{b.priority}); a higher priority needs at least the same weight"
                )

    # --- convenience -------------------------------------------------------------------------------------------

    @property
    def price(self) -> AwardCriterion:
        return next(c for c in self.criteria if c.kind == "price")

    @property
    def quality(self) -> list[AwardCriterion]:
        return [c for c in self.criteria if c.kind == "quality"]

    def weights(self) -> dict[str, float]:
        """The weights as shares summing to 1, in the file's criterion order."""
        total = sum(c.weight or 0.0 for c in self.criteria)
        return {c.id: (c.weight or 0.0) / total for c in self.criteria}
