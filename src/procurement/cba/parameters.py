"""The parameters of the R-109 cost-benefit analysis, each with its citation.

Every parameter (discount rates and their break years, the tax-financing cost, the
real growth of benefits, the residual value's method and lifetimes, the point
estimate and the distribution of a three-point estimate, common random numbers)
lives in ``procurement/reference/r109.yaml`` with ``value``, ``citation`` and a
``verified`` flag. :func:`load_parameters` reads that file (or the case's own
``r109.yaml``, or a ``--parameters`` file) into a validated :class:`CbaParameters`;
:func:`with_parameters` changes values, marking them "set by the user".

Read next: :mod:`procurement.cba.discounting` (the analysis period and discount
factors these parameters give).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from procurement import reference
from procurement.case import yamlsafe
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path


class Citation(BaseModel):
    """Where a parameter's value comes from and whether it was read in the source."""

    model_config = ConfigDict(frozen=True)

    citation: str
    verified: bool
    #: the citation in bokmål for bokmål reports (the English ``citation`` where empty)
    citation_nb: str = ""
    #: the parameter's name in words: ``{"nb": ..., "en": ...}`` (the id where empty)
    label: dict[str, str] = {}

    def text(self, language: str) -> str:
        """The citation in the report language (bokmål where given, else the English citation)."""
        return {"nb": self.citation_nb}.get(language) or self.citation


#: citation of a value set on the command line or by a caller
USER_SET = Citation(citation="set by the user", verified=False, citation_nb="satt av brukeren")


class CbaParameters(BaseModel):
    """Parameters of the R-109 cost-benefit analysis.

    Defaults are those of ``procurement/reference/r109.yaml``; :func:`load_parameters`
    reads that file (or another) with the citation of each value.

    Attributes
    ----------
    discount_rates : tuple of float
        Real discount rates, each in (-1, 1); one more than ``discount_breaks``.
    discount_breaks : tuple of int
        Years (counted from the discount year) after which the next rate applies.
    discount_year : {'base_year', 'first_year'}
        Year with ``t = 0``: the case's base year or the first cash-flow year.
    analysis_period : int or None
        Years in the analysis, counted from the discount year and including it;
        None = through the last cash-flow year.
    max_analysis_period : int
        Longest allowed analysis period in years.
    tax_financing_cost : float
        Share of net public spending added as the cost of raising taxes.
    benefit_real_growth : float
        Yearly real price growth of benefits, in (-1, 1).
    public_benefit_share : float
        Share of benefits that are cash savings in public budgets (0..1).
    residual_value_method : {'none', 'net_effects', 'linear'}
        How the residual value at the end of the period is found: ``none``
        (the default: no residual value until the case documents a lifetime
        beyond the analysis period); ``net_effects`` (NOU 2012:16 ch. 6) the
        present value of the measure's net effects after the analysis period;
        ``linear`` the remaining straight-line book value of the investments
        (a labelled alternative, not the NOU definition).
    measure_lifetime_years : int or None
        The one lifetime of the analysis: the measure's documented lifetime,
        counted in years from the discount year (including it). The
        ``net_effects`` residual value runs through it, and the ``linear`` one
        writes each investment off over it. Required by both; None = the
        measure ends with the analysis period.
    point_estimate : {'mean', 'likely'}
        Amount used in the deterministic analysis.
    distribution : {'triangular', 'pert'}
        Distribution of a three-point estimate in the simulation.
    p_steering, p_cost_frame : float
        Probabilities of the steering frame (P50) and the cost frame (P85).
    common_random_numbers : float in [0, 1]
        Share of each category's draw shared by every option and the
        0-alternative in the simulation (1: the same draw drives all; 0:
        independent); see :func:`simulate`.
    common_random_numbers_without_zero : float in [0, 1]
        The same share for a decision without a 0-alternative (measured
        against its best option), where what is uncertain is how well each
        option does: 0 (the default) draws each option on its own, so the
        chance that another option beats the best is not 0 by construction.
    citations : dict of str to Citation
        Citation and ``verified`` flag per parameter name.
    source : str
        The file the parameters came from (named in error messages).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    discount_rates: tuple[float, ...] = (0.04, 0.03, 0.02)
    discount_breaks: tuple[int, ...] = (40, 75)
    discount_year: Literal["base_year", "first_year"] = "base_year"
    analysis_period: int | None = None
    max_analysis_period: int = 100
    tax_financing_cost: float = 0.20
    benefit_real_growth: float = 0.008
    public_benefit_share: float = 0.0
    residual_value_method: Literal["net_effects", "linear", "none"] = "none"
    measure_lifetime_years: int | None = None
    point_estimate: Literal["mean", "likely"] = "mean"
    distribution: Literal["triangular", "pert"] = "triangular"
    p_steering: float = 0.50
    p_cost_frame: float = 0.85
    common_random_numbers: float = 1.0
    common_random_numbers_without_zero: float = 0.0
    citations: dict[str, Citation] = {}
    source: str = "procurement/reference/r109.yaml"

    @field_validator("discount_rates")
    @classmethod
    def _rates(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if not v:
            raise ValueError("give at least one discount rate")
        for r in v:
            if not -1 < r < 1:
                raise ValueError(f"rate {r} is outside (-1, 1); write 4 % as 0.04")
        return v

    @field_validator("discount_breaks")
    @classmethod
    def _breaks(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if any(b <= 0 for b in v) or list(v) != sorted(set(v)):
            raise ValueError(f"break years {list(v)} must be positive and increasing, e.g. [40, 75]")
        return v

    @field_validator("benefit_real_growth")
    @classmethod
    def _growth(cls, v: float) -> float:
        if not -1 < v < 1:
            raise ValueError(f"growth rate {v} is outside (-1, 1); write 0.8 % as 0.008")
        return v

    @field_validator("tax_financing_cost", "public_benefit_share", "common_random_numbers",
                     "common_random_numbers_without_zero")
    @classmethod
    def _share(cls, v: float) -> float:
        if not 0 <= v <= 1:
            raise ValueError(f"{v} is outside [0, 1]; write 20 % as 0.20")
        return v

    @field_validator("p_steering", "p_cost_frame")
    @classmethod
    def _probability(cls, v: float) -> float:
        if not 0 < v < 1:
            raise ValueError(f"probability {v} is outside (0, 1)")
        return v

    @field_validator("max_analysis_period", "measure_lifetime_years")
    @classmethod
    def _positive(cls, v: int | None) -> int | None:
        if v is not None and v < 1:
            raise ValueError(f"{v} years: must be at least 1")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> CbaParameters:
        if len(self.discount_rates) != len(self.discount_breaks) + 1:
            raise ValueError(
                f"discount_rates has {len(self.discount_rates)} rates and discount_breaks "
                f"{len(self.discount_breaks)} break years; give one rate more than breaks"
            )
        if self.residual_value_method != "none" and self.measure_lifetime_years is None:
            raise ValueError(
                f"residual_value_method {self.residual_value_method} needs measure_lifetime_years: the measure's "
                "documented lifetime in years from the discount year (or residual_value_method: none)"
            )
        if self.analysis_period is not None and not 1 <= self.analysis_period <= self.max_analysis_period:
            raise ValueError(
                f"analysis_period {self.analysis_period} is outside 1..{self.max_analysis_period} "
                "(max_analysis_period)"
            )
        return self

    def rate_for(self, k: np.ndarray | int) -> np.ndarray:
        """The discount rate of the k-th year of discounting (k = 1, 2, ...)."""
        idx = np.searchsorted(np.asarray(self.discount_breaks), np.asarray(k), side="left")
        return np.asarray(self.discount_rates)[idx]

    def cited(self) -> list[dict[str, Any]]:
        """Every parameter with its value, citation and verified flag (for reports and JSON)."""
        out = []
        for name in type(self).model_fields:
            if name in ("citations", "source"):
                continue
            value = getattr(self, name)
            c = self.citations.get(name)
            out.append(
                {
                    "parameter": name,
                    "value": list(value) if isinstance(value, tuple) else value,
                    "citation": c.citation if c else "",
                    "citation_nb": c.text("nb") if c else "",
                    "label": dict(c.label) if c else {},
                    "verified": c.verified if c else False,
                }
            )
        return out


def default_rules_path(case_dir: str | Path | None = None) -> Path:
    """Where ``r109.yaml`` is found: in the case folder or ``rules/`` beside it, else the package's reference data."""
    candidates = []
    if case_dir is not None:
        d = Path(case_dir)
        d = d.parent if d.is_file() else d
        candidates += [d / "r109.yaml", d.parent / "rules" / "r109.yaml"]
    candidates.append(reference.path("r109.yaml"))
    for c in candidates:
        if c.is_file():
            return c
    return candidates[-1]


def _validation_problems(err: ValidationError, file: str, prefix: str) -> list[Problem]:
    problems = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"] if not isinstance(x, int)) or "parameters"
        msg = e["msg"].removeprefix("Value error, ")
        problems.append(Problem(file, f"{prefix}{loc}'", msg))
    return problems


def load_parameters(path: str | Path | None = None, **overrides: Any) -> CbaParameters:
    """Read cost-benefit parameters from an ``r109.yaml`` file.

    Parameters
    ----------
    path : str or Path, optional
        The YAML file (``parameters: {name: {value, citation, verified}}``);
        default :func:`default_rules_path`.
    **overrides
        Parameter values that replace the file's; their citation becomes
        "set by the user" and ``verified`` false.

    Returns
    -------
    CbaParameters

    Raises
    ------
    InputError
        For a missing file, an unknown parameter or a value out of range
        (for example a rate outside (-1, 1)), naming file and key.
    """
    path = Path(path) if path is not None else default_rules_path()
    name = display_path(path)
    if not path.is_file():
        raise InputError(Problem(name, "", "file not found", "give a file like procurement/reference/r109.yaml"))
    if not overrides:
        stat = path.stat()
        return _file_parameters(str(path.resolve()), (stat.st_mtime_ns, stat.st_size), name)
    return _parameters(path, name, overrides)


@functools.lru_cache(maxsize=8)
def _file_parameters(path: str, stamp: tuple[int, int], name: str) -> CbaParameters:
    """A parameter file's own values, read once per version of the file (the model is frozen): every analysis of a
    case asks for them, and ``procurement validate`` built six (2-4 ms each)."""
    return _parameters(Path(path), name, {})


def _parameters(path: Path, name: str, overrides: dict[str, Any]) -> CbaParameters:
    doc = yamlsafe.load(path) or {}  # bounded: a --parameters file is the user's
    entries = doc.get("parameters") if isinstance(doc, dict) else None
    if not isinstance(entries, dict):
        raise InputError(Problem(name, "key 'parameters'", "missing or not a mapping", "see procurement/reference/r109.yaml"))
    problems = ProblemList()
    values: dict[str, Any] = {}
    citations: dict[str, Citation] = {}
    known = [f for f in CbaParameters.model_fields if f not in ("citations", "source")]
    for key, entry in entries.items():
        if key not in known:
            problems.add(path, f"key 'parameters.{key}'", "unknown parameter", did_you_mean(key, known))
            continue
        if not isinstance(entry, dict) or "value" not in entry:
            problems.add(path, f"key 'parameters.{key}'", "needs 'value', 'citation' and 'verified'")
            continue
        if not entry.get("citation"):
            problems.add(path, f"key 'parameters.{key}.citation'", "is missing", "every parameter carries its citation")
        values[key] = tuple(entry["value"]) if isinstance(entry["value"], list) else entry["value"]
        citations[key] = _citation(entry)
    problems.raise_if_any()
    for key, value in overrides.items():
        values[key] = tuple(value) if isinstance(value, list) else value
        citations[key] = USER_SET
    try:
        return CbaParameters(**values, citations=citations, source=name)
    except ValidationError as err:
        raise InputError(_validation_problems(err, name, "key 'parameters.")) from None


def _citation(entry: dict) -> Citation:
    """The citation of one parameter entry: ``citation``, ``verified``, optional ``citation_nb`` and ``label: {nb, en}``."""
    label = entry.get("label")
    label = {str(k): str(v) for k, v in label.items()} if isinstance(label, dict) else {}
    return Citation(citation=str(entry.get("citation", "")), verified=bool(entry.get("verified", False)),
                    citation_nb=str(entry.get("citation_nb") or ""), label=label)


def with_parameters(params: CbaParameters, **changes: Any) -> CbaParameters:
    """A copy of ``params`` with some values changed (validated; citation "set by the user")."""
    data = params.model_dump()
    citations = dict(params.citations)
    for key in changes:
        citations[key] = USER_SET
    data.update(changes, citations=citations)
    try:
        return CbaParameters(**data)
    except ValidationError as err:
        raise InputError(_validation_problems(err, "parameters", "override '")) from None
