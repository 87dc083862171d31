"""Validated shapes of the YAML input files (pydantic).

The models here describe what an advisor writes: a criteria set per
decision, the case settings, and scenario parameter files. They check one
file's own consistency (types, allowed values, unique ids, references inside
the file). Checks that need several files (a score's criterion exists, a
profile's group exists) live in :mod:`procurement.case.loader`.

:func:`yaml_problems` turns pydantic's errors into :class:`Problem` lines that
name the file and the key the way the advisor sees it (``criterion
'legal-risk', key 'scale.max'``) instead of pydantic's internal locations.
"""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from procurement.case.errors import InputError, Problem, display_path, did_you_mean
from procurement.case import yamlsafe
from procurement.case.filenames import MAX_NAME
from procurement.case.ids import ID_ERROR, ID_HINT, Id



#: Largest magnitude of a number in a YAML input (a weight, a scale bound, a threshold): beyond it sums and
#: differences lose every digit or overflow (1e308 + 1e308 is inf), and no real quantity of a case comes near.
MAX_MAGNITUDE = 1e15
#: Largest weight a criteria file, a group or a scenario may give (weights are relative; they are normalised).
MAX_WEIGHT = 1e6
#: Most Monte Carlo / SMAA samples a scenario may ask for. Derived from memory and time: a kept draw costs
#: 8 bytes per option and measure, so a million samples of six measures for eight options are 384 MB if kept
#: (the simulation keeps fewer and works in blocks beyond its memory cap; SMAA draws in fixed blocks); measured
#: on the example case at a million samples: 200 MB peak, 33 s for the cost-benefit simulation and 7 s for SMAA
#: on a shared 2-core machine, so ten million is minutes per notebook for a Monte Carlo error (1/sqrt(N)) that
#: is already below 0.001 on every probability shown. Checked when a scenario is read, before any kernel starts.
MAX_SAMPLES = 1_000_000
#: The seed of every random stream when a scenario gives none: the one place this number is written (issue 22).
DEFAULT_SEED = 20261125
#: Monte Carlo / SMAA samples when a scenario gives none.
DEFAULT_SAMPLES = 10_000
#: Ranking methods when a scenario gives none (the first is the one SMAA and the sensitivity analysis use).
DEFAULT_METHODS = ("wsm", "topsis")
#: The report language when a scenario gives none.
DEFAULT_LANGUAGE: Literal["nb", "en"] = "nb"

#: How a scenario may name its language; YAML reads a bare ``no`` as False, which means bokmål here too.
LANGUAGE_NAMES = {
    "nb": "nb", "no": "nb", "nob": "nb", "nb-no": "nb", "no-nb": "nb", "norsk": "nb", "bokmål": "nb", "bokmal": "nb",
    "norwegian": "nb", "en": "en", "eng": "en", "english": "en", "engelsk": "en", "en-gb": "en", "en-us": "en",
}


def normalise_language(value: Any) -> Any:
    """'nb' or 'en' for any way of naming bokmål or English (``no``, ``norsk``, ``bokmål``, False from YAML's ``no``).

    Anything else is returned unchanged for the model to reject with the list of choices.
    """
    if value is False:
        return "nb"
    if isinstance(value, str):
        return LANGUAGE_NAMES.get(value.strip().lower(), value)
    return value


def _bounded(value: float | None, what: str, limit: float = MAX_MAGNITUDE) -> float | None:
    if value is not None and abs(value) > limit:
        raise ValueError(f"{what} {value:g} is beyond ±{limit:g}; give a number of a sensible size")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, allow_inf_nan=False)


class Label(_Strict):
    """A text in Norwegian bokmål and English."""

    nb: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.nb


class Bilingual(_Strict):
    """A longer text (a description, a rubric level) in bokmål and English, where either may be missing.

    A file gives it as ``{nb: …, en: …}`` or as a plain string; a plain string is English (the language the
    criteria files were first written in), so files written before both languages were possible read as before.
    :meth:`get` gives the text in a language, or the other language's when that one is missing.
    """

    nb: str = ""
    en: str = ""

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, value: Any) -> Any:
        return {"en": value} if isinstance(value, str) else value

    def get(self, language: str) -> str:
        own, other = (self.en, self.nb) if language == "en" else (self.nb, self.en)
        return own if own.strip() else other

    def has(self, language: str) -> bool:
        """True when the text is given in `language` itself (not only in the other one)."""
        return bool((self.en if language == "en" else self.nb).strip())

    def __bool__(self) -> bool:
        return self.has("nb") or self.has("en")


class Scale(_Strict):
    """The scale a criterion is scored on.

    ``ordinal``: a judgement scale (usually 0–10) with rubric text for its
    levels. ``natural``: a quantity in a unit (NOK, MNOK, months, percent)
    with bounds that every score must respect.
    """

    kind: Literal["ordinal", "natural"]
    min: float
    max: float
    unit: str | None = None
    rubric: dict[float, Bilingual] | None = None

    @model_validator(mode="after")
    def _check(self) -> Scale:
        _bounded(self.min, "min")
        _bounded(self.max, "max")
        if not self.min < self.max:
            raise ValueError(f"min ({self.min:g}) must be below max ({self.max:g})")
        if self.kind == "ordinal" and not self.rubric:
            raise ValueError("an ordinal scale needs a rubric: text for at least its lowest and highest level")
        if self.kind == "natural" and not self.unit:
            raise ValueError("a natural scale needs a unit, for example MNOK or months")
        if self.rubric:
            outside = [k for k in self.rubric if not self.min <= k <= self.max]
            if outside:
                raise ValueError(f"rubric levels {outside} lie outside the scale {self.min:g}–{self.max:g}")
        return self

    def contains(self, value: float) -> bool:
        return self.min <= value <= self.max


class MustPass(_Strict):
    """A hard requirement: an option whose likely score fails it is screened out."""

    min: float | None = None
    max: float | None = None
    rule: str = Field(min_length=1)
    citation: str = Field(min_length=1)

    @model_validator(mode="after")
    def _one_bound(self) -> MustPass:
        if (self.min is None) == (self.max is None):
            raise ValueError("give exactly one of 'min' or 'max'")
        return self

    def passes(self, value: float) -> bool:
        if self.min is not None:
            return value >= self.min
        return self.max is not None and value <= self.max  # one bound is set: the validator checks it

    def describe(self) -> str:
        bound = f"≥ {self.min:g}" if self.min is not None else f"≤ {self.max:g}"
        return f"{self.rule} (likely score must be {bound}; {self.citation})"


class ValueFunction(_Strict):
    """A value function: a score in natural units mapped to a 0–10 value.

    ``points`` are (score, value) pairs, scores strictly increasing. ``linear``
    takes exactly two points; ``piecewise`` two or more, interpolated linearly
    between them. The function must be monotone: values rise for a criterion
    to maximise and fall for one to minimise, so a higher value is always
    better. Scores outside the first and last point are outside its domain.
    """

    kind: Literal["linear", "piecewise"] = "piecewise"
    points: list[tuple[float, float]] = Field(min_length=2)

    @model_validator(mode="after")
    def _check(self) -> ValueFunction:
        xs = [p[0] for p in self.points]
        vs = [p[1] for p in self.points]
        if self.kind == "linear" and len(self.points) != 2:
            raise ValueError(
                f"a linear value function takes exactly two points, got {len(self.points)}; use kind: piecewise for more"
            )
        for a, b in pairwise(xs):
            if not a < b:
                raise ValueError(f"scores of the points must increase strictly: {a:g} is followed by {b:g}")
        outside = [v for v in vs if not 0 <= v <= 10]
        if outside:
            raise ValueError(f"values {outside} lie outside 0–10")
        steps = [b - a for a, b in pairwise(vs)]
        if any(s > 0 for s in steps) and any(s < 0 for s in steps):
            raise ValueError(
                "the value function is not monotone: values " + ", ".join(f"{v:g}" for v in vs)
                + " both rise and fall; make them only rise (direction max) or only fall (direction min)"
            )
        if all(s == 0 for s in steps):
            raise ValueError("the value function is constant; give the points different values")
        return self

    @property
    def domain(self) -> tuple[float, float]:
        return self.points[0][0], self.points[-1][0]

    @property
    def increasing(self) -> bool:
        return self.points[-1][1] > self.points[0][1]

    @property
    def value_range(self) -> tuple[float, float]:
        vs = [p[1] for p in self.points]
        return min(vs), max(vs)

    def contains(self, score: float) -> bool:
        lo, hi = self.domain
        return lo <= score <= hi

    def __call__(self, scores):
        xs = [p[0] for p in self.points]
        vs = [p[1] for p in self.points]
        return np.interp(np.asarray(scores, dtype=float), xs, vs)


PREFERENCE_FUNCTIONS = ("usual", "u-shape", "v-shape", "level", "linear", "gaussian")
_PREFERENCE_NEEDS = {
    "usual": (),
    "u-shape": ("q",),
    "v-shape": ("p",),
    "level": ("q", "p"),
    "linear": ("q", "p"),
    "gaussian": ("s",),
}


class Preference(_Strict):
    """A PROMETHEE preference function and its thresholds for one criterion.

    Thresholds are differences in the units PROMETHEE sees for the criterion:
    the 0–10 value when the criterion has a value function, else its score.
    ``q`` indifference, ``p`` strict preference (q ≤ p), ``s`` the Gaussian's
    inflection point.
    """

    function: Literal["usual", "u-shape", "v-shape", "level", "linear", "gaussian"]
    q: float | None = Field(default=None, ge=0)
    p: float | None = Field(default=None, ge=0)
    s: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _check(self) -> Preference:
        needs = _PREFERENCE_NEEDS[self.function]
        missing = [k for k in needs if getattr(self, k) is None]
        if missing:
            raise ValueError(f"the {self.function} preference function needs {' and '.join(missing)}")
        extra = [k for k in ("q", "p", "s") if k not in needs and getattr(self, k) is not None]
        if extra:
            raise ValueError(
                f"the {self.function} preference function takes no {' or '.join(extra)}"
                + (f" (it takes {', '.join(needs)})" if needs else " (it takes no thresholds)")
            )
        if self.q is not None and self.p is not None and self.q > self.p:
            raise ValueError(
                f"q ({self.q:g}) must not exceed p ({self.p:g}): the indifference threshold lies below the preference threshold"
            )
        if self.function == "level" and self.q == self.p:
            raise ValueError(f"a level function needs q below p (both are {self.q:g})")
        return self

    def as_tuple(self) -> tuple[str, float, float, float]:
        return (self.function, self.q or 0.0, self.p or 0.0, self.s or 0.0)


class Group(_Strict):
    """A node of the value tree."""

    id: Id
    label: Label
    parent: str | None = None
    weight: float | None = Field(default=None, ge=0, le=MAX_WEIGHT)


class FromCba(_Strict):
    """Take a criterion's scores from the cost-benefit analysis of the case's cash flows.

    The likely score is the P50 of the simulated `measure`, low and high its
    P1 and P99, so the ranking and the cost-benefit analysis never disagree.
    """

    measure: Literal["pv_costs", "npv", "investment", "pv_benefits", "net_public_spending"]
    unit: Literal["NOK", "kNOK", "MNOK"] = "MNOK"
    samples: int = Field(default=DEFAULT_SAMPLES, gt=0, le=MAX_SAMPLES)
    seed: int = Field(default=DEFAULT_SEED, ge=0)


class Criterion(_Strict):
    id: Id
    label: Label
    description: Bilingual = Field(default_factory=Bilingual)
    direction: Literal["max", "min"]
    group: str
    weight: float = Field(ge=0, le=MAX_WEIGHT)
    scale: Scale
    must_pass: MustPass | None = None
    value_function: ValueFunction | None = None
    preference: Preference | None = None
    from_cba: FromCba | None = None

    @model_validator(mode="after")
    def _check_value_function(self) -> Criterion:
        vf = self.value_function
        if vf is not None and vf.increasing != (self.direction == "max"):
            raise ValueError(
                f"value_function {'rises' if vf.increasing else 'falls'} but direction is {self.direction}; "
                f"a criterion to {'maximise' if self.direction == 'max' else 'minimise'} needs values that "
                f"{'rise' if self.direction == 'max' else 'fall'} with the score"
            )
        return self

    @property
    def objective(self) -> int:
        """+1 for a criterion to maximise, -1 for one to minimise."""
        return 1 if self.direction == "max" else -1

    @property
    def value_objective(self) -> int:
        """The objective after the value function: always +1 when there is one."""
        return 1 if self.value_function is not None else self.objective

    @property
    def value_bounds(self) -> tuple[float, float]:
        """The range the method sees: the value function's range, else the scale."""
        if self.value_function is not None:
            return self.value_function.value_range
        return self.scale.min, self.scale.max


class CriteriaSet(_Strict):
    """The criteria of one decision: ``criteria/<decision>.yaml``."""

    decision: Id
    title: Label
    description: Bilingual = Field(default_factory=Bilingual)
    groups: list[Group] = Field(min_length=1)
    criteria: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_refs(self) -> CriteriaSet:
        problems = []
        group_ids = [g.id for g in self.groups]
        for dup in sorted({g for g in group_ids if group_ids.count(g) > 1}):
            problems.append(f"group id '{dup}' is used twice")
        crit_ids = [c.id for c in self.criteria]
        for dup in sorted({c for c in crit_ids if crit_ids.count(c) > 1}):
            problems.append(f"criterion id '{dup}' is used twice")
        for g in self.groups:
            if g.parent is not None and g.parent not in group_ids:
                problems.append(f"group '{g.id}': unknown parent '{g.parent}' ({did_you_mean(g.parent, group_ids)})")
        for c in self.criteria:
            if c.group not in group_ids:
                problems.append(f"criterion '{c.id}': unknown group '{c.group}' ({did_you_mean(c.group, group_ids)})")
        if all(c.weight == 0 for c in self.criteria):
            problems.append("all criterion weights are zero; give at least one a positive weight")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def criterion(self, cid: str) -> Criterion:
        for c in self.criteria:
            if c.id == cid:
                return c
        raise KeyError(cid)

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.criteria]


class Stakeholder(_Strict):
    id: Id
    label: Label
    description: Bilingual = Field(default_factory=Bilingual)


class Source(_Strict):
    id: Id
    title: str
    publisher: str | None = None
    year: int | None = None
    url: str | None = None
    note: str | None = None
    verified: bool = False


CASH_FLOW_UNITS = {"NOK": 1.0, "kNOK": 1e3, "MNOK": 1e6}


class CaseFile(_Strict):
    """``data/<case>/case.yaml``."""

    id: Id
    title: Label
    description: Bilingual = Field(default_factory=Bilingual)
    illustrative: bool = False
    base_year: int = Field(ge=1900, le=2200)
    cash_flow_unit: Literal["NOK", "kNOK", "MNOK"] = "NOK"
    criteria_dir: str | None = None
    decisions: list[Id] = Field(min_length=1)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)

    @field_validator("decisions")
    @classmethod
    def _decision_ids(cls, v: list[str]) -> list[str]:
        dupes = sorted({d for d in v if v.count(d) > 1})
        if dupes:
            raise ValueError(f"decision listed twice: {', '.join(dupes)}")
        return v

    @model_validator(mode="after")
    def _unique(self) -> CaseFile:
        ids = [s.id for s in self.stakeholders]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"stakeholder id used twice: {', '.join(dupes)}")
        return self


WEIGHT_MODELS = ("uniform", "bounds", "order", "profiles", "fixed")
SCORE_MODELS = ("triangular", "pert", "fixed")


class Uncertainty(_Strict):
    """How uncertain the weights and scores are in SMAA (``uncertainty:`` in a scenario).

    ``weights``: ``bounds`` (each weight drawn within ± ``spread`` of the
    scenario's weights, then renormalised; the default), ``uniform`` (no
    preference information), ``order`` (only the order of the weights),
    ``profiles`` (a mixture of the stakeholder profiles, each perturbed by ±
    ``spread``) or ``fixed`` (the weights as they are). ``scores``:
    ``triangular`` (the default), ``pert`` or ``fixed`` (likely scores only).
    Every face (command line, report, workbench) reads this one block, so
    the same scenario gives the same acceptabilities everywhere.
    """

    weights: Literal["uniform", "bounds", "order", "profiles", "fixed"] = "bounds"
    spread: float = Field(default=0.2, ge=0, le=1)
    scores: Literal["triangular", "pert", "fixed"] = "triangular"
    mixture: dict[str, float] | None = None  # for weights: profiles — group -> probability (default: all, equal)

    @field_validator("mixture")
    @classmethod
    def _mixture(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is not None and (not v or any(not math.isfinite(p) or p < 0 for p in v.values()) or sum(v.values()) <= 0):
            raise ValueError("mixture probabilities must be finite, zero or more, with at least one above zero")
        return v


#: The random seed of every simulation when a scenario names none (SMAA, the cost-benefit Monte Carlo): the one
#: place it is written down.
DEFAULT_SEED = 20261125


class Scenario(_Strict):
    """``data/<case>/scenarios/<name>.yaml``: the single description of one analysis.

    ``profile`` names the weights: a stakeholder group, ``panel-mean`` or
    ``panel-geomean`` (the groups combined), ``ahp`` (the AHP comparisons in
    ``ahp-<decision>.yaml``) or nothing (the criteria file's weights, multiplied
    down the value tree); explicit ``weights`` replace them.
    """

    # Each key says what it means (`description`) and, for a message about a wrong value, what is expected
    # (`expects`); procurement.case.scenarios turns pydantic's findings into those words, and the report's
    # notebook parameters (procurement.report.params) are these same keys.
    name: Id = Field(max_length=MAX_NAME,  # the name of the report's folder
                      description="scenario name (lower-case letters, digits and '-')",
                      json_schema_extra={"expects": "a name such as default"})
    case: str | None = Field(default=None, description="case folder, relative to the project folder (or absolute)",
                             json_schema_extra={"expects": "a folder such as data/national-municipal-solution"})
    decision: str = Field(description="decision id from the case's case.yaml", json_schema_extra={"expects": "a text"})
    profile: str | None = Field(
        default=None, description="stakeholder group whose weights to use (or panel-mean, panel-geomean, ahp); "
        "null = the criteria file's weights", json_schema_extra={"expects": "a text or null"})
    methods: list[str] = Field(default_factory=lambda: list(DEFAULT_METHODS), min_length=1,
                               description="ranking methods to compare; the first is the one SMAA and sensitivity use",
                               json_schema_extra={"expects": "a list of names, e.g. [wsm, topsis]"})
    samples: int = Field(default=DEFAULT_SAMPLES, gt=0, le=MAX_SAMPLES, strict=True,
                         description="Monte Carlo / SMAA samples",
                         json_schema_extra={"expects": f"a whole number ≥ 1 and ≤ {MAX_SAMPLES:,}".replace(",", " ")})
    seed: int = Field(default=DEFAULT_SEED, ge=0, strict=True,
                      description="random seed; the same seed gives the same numbers",
                      json_schema_extra={"expects": "a whole number ≥ 0"})
    language: Literal["nb", "en"] = Field(default=DEFAULT_LANGUAGE,
                                          description="report language: 'nb' (bokmål) or 'en' (English)",
                                          json_schema_extra={"expects": "'nb' or 'en'"})
    notebooks: list[str] | None = Field(
        default=None, description="notebooks to run for this scenario, e.g. [01-inputs, 02-ranking]; "
        "default: all report notebooks", json_schema_extra={"expects": "a list of notebook names, e.g. [01-inputs, 02-ranking]"})
    competition: Id | None = Field(default=None,
                                    description="competition under the case's tenders/ folder; names it to run report 08",
                                    json_schema_extra={"expects": "a competition id or null"})
    description: str = Field(default="", description="free text describing the scenario",
                             json_schema_extra={"expects": "a text"})
    weights: dict[str, float] | None = Field(
        default=None, description="explicit criterion weights (criterion id -> relative weight); replace the profile's",
        json_schema_extra={"expects": "a mapping of criterion id to weight, e.g. {legal-robustness: 12, cost-pv: 14}"})
    uncertainty: Uncertainty = Field(
        default_factory=Uncertainty,
        description="SMAA uncertainty model {weights: bounds|uniform|order|profiles|fixed, spread: 0..1, "
        "scores: triangular|pert|fixed}; a key left out keeps its default (docs/formats.md)",
        json_schema_extra={"expects": "a mapping such as {weights: bounds, spread: 0.2, scores: triangular}"})

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, v: Any) -> Any:
        return normalise_language(v)

    @field_validator("weights", mode="before")
    @classmethod
    def _no_true_weights(cls, v: Any) -> Any:
        """A weight is a number: true/false is refused (YAML's ``1e3``, read as a text, still counts as 1000)."""
        if isinstance(v, dict):
            bad = [k for k, w in v.items() if isinstance(w, bool)]
            if bad:
                raise ValueError(f"weight of '{bad[0]}' is true/false; give a number such as 10")
        return v

    @field_validator("weights")
    @classmethod
    def _weights(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is None:
            return v
        bad = [k for k, w in v.items() if not math.isfinite(w)]
        if bad:
            raise ValueError(f"weight of '{bad[0]}' is not a finite number; give a number such as 10")
        negative = [k for k, w in v.items() if w < 0]
        if negative:
            raise ValueError(f"weight of '{negative[0]}' is below zero; weights are zero or more")
        large = [k for k, w in v.items() if w > MAX_WEIGHT]
        if large:
            raise ValueError(f"weight of '{large[0]}' is above {MAX_WEIGHT:g}; weights are relative, e.g. 10 or 0.25")
        if not v or sum(v.values()) <= 0:
            raise ValueError("all weights are zero; give at least one criterion a weight above zero")
        return v


# ---------------------------------------------------------------------------
# YAML reading and error translation
# ---------------------------------------------------------------------------


def read_yaml(path: str | Path) -> Any:
    """Parse a YAML file within the limits of :mod:`procurement.case.yamlsafe`; any problem is one line with the line."""
    path = Path(path)
    data = yamlsafe.load(path)
    if data is None:
        raise InputError(Problem(display_path(path), "", "the file is empty"))
    return data


def _describe_loc(loc: tuple, data: Any) -> str:
    """Turn ('criteria', 2, 'scale', 'max') into "criterion 'legal-risk', key 'scale.max'"."""
    parts: list[str] = []
    node = data
    prefix = ""
    for item in loc:
        if isinstance(item, int) and isinstance(node, list):
            entry = node[item] if item < len(node) else None
            ident = entry.get("id") if isinstance(entry, dict) else None
            owner = parts.pop() if parts else "item"
            singular = {"criteria": "criterion", "groups": "group", "stakeholders": "stakeholder", "sources": "source"}.get(
                owner, owner
            )
            prefix = f"{singular} '{ident}'" if ident else f"{singular} #{item + 1}"
            node = entry
            continue
        parts.append(str(item))
        node = node.get(item) if isinstance(node, dict) else None
    key = ".".join(parts)
    if prefix and key:
        return f"{prefix}, key '{key}'"
    if prefix:
        return prefix
    return f"key '{key}'" if key else "top level"


def yaml_problems(path: str | Path, err: ValidationError, data: Any) -> list[Problem]:
    out = []
    for e in err.errors():
        loc = tuple(e.get("loc", ()))
        msg = e.get("msg", "invalid")
        msg = msg.removeprefix("Value error, ")
        hint = ""
        if e.get("type") == "extra_forbidden":
            msg = "unknown key"
            hint = "valid keys are defined in docs/formats.md"
        elif e.get("type") == "missing":
            msg = "required key is missing"
        elif e.get("type") == ID_ERROR:
            ctx = e.get("ctx") or {}
            msg, hint = f"'{e.get('input')}' is not a valid id: {ctx.get('problem', msg)}", str(ctx.get("hint", ID_HINT))
        elif e.get("type") == "literal_error":
            msg = f"'{e.get('input')}' is not allowed: {msg.replace('Input should be ', 'should be ')}"
            if loc[-1:] == ("language",):
                hint = "nb for bokmål (no, norsk and bokmål mean nb too) or en for English"
        out.append(Problem(display_path(path), _describe_loc(loc, data), msg, hint))
    return out


ModelT = TypeVar("ModelT", bound=BaseModel)


def load_model(model: type[ModelT], path: str | Path, data: Any | None = None) -> ModelT:
    """Read a YAML file into a model, or raise InputError with every problem."""
    if data is None:
        data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(Problem(display_path(path), "top level", "expected a mapping of keys to values"))
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise InputError(yaml_problems(path, err, data)) from None
