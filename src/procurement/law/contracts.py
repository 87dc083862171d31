"""Suggest the government's standard IT contracts (SSA) for a contract-strategy option.

``procurement/reference/standard-contracts.yaml`` lists the SSA standards and, for each
characteristic an option can have (``standard-system``, ``development``,
``agile``, ``operation``, ``cloud-service``, ``purchase``, ``maintenance``,
``consultancy``, ``assignment``), the standard to suggest with a one-line
reason. A characteristic may ``override`` another characteristic: with both
``agile`` and ``development`` the development work goes under SSA-S instead of
SSA-T (a ``standard-system`` still gets SSA-T).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
from pydantic import Field, ValidationError

from procurement.case import yamlsafe
from procurement.case.errors import InputError, ProblemList, did_you_mean
from procurement.law.loader import default_rules_dir
from procurement.law.models import RuleModel


class Standard(RuleModel):
    id: str
    name_nb: str
    name_en: str
    citation: str = Field(min_length=1)
    verified: bool
    source: str = Field(min_length=1)


class Characteristic(RuleModel):
    id: str
    standard: str
    reason: str = Field(min_length=1)
    reason_nb: str = Field(min_length=1)
    overrides: str | None = None
    verified: bool
    source: str = Field(min_length=1)


class StandardContracts(RuleModel):
    """The validated contents of ``standard-contracts.yaml``."""

    standards: list[Standard] = Field(min_length=1)
    characteristics: list[Characteristic] = Field(min_length=1)

    @property
    def characteristic_ids(self) -> list[str]:
        return [c.id for c in self.characteristics]

    def standard(self, sid: str) -> Standard:
        return next(s for s in self.standards if s.id == sid)


def load_standard_contracts(rules_dir: str | Path | None = None) -> StandardContracts:
    """Load and check ``standard-contracts.yaml`` from a rules folder.

    The default folder is :func:`~procurement.law.loader.default_rules_dir`.
    """
    path = Path(rules_dir or default_rules_dir()) / "standard-contracts.yaml"
    data = yamlsafe.load(path)  # bounded; a missing file or a syntax error names the file (and line)
    problems = ProblemList()
    try:
        sc = StandardContracts.model_validate(data)
    except ValidationError as e:
        for err in e.errors():
            problems.add(path, ".".join(str(x) for x in err["loc"]) or "top level", err["msg"])
        problems.raise_if_any()
        raise  # pragma: no cover
    ids = [s.id for s in sc.standards]
    cids = sc.characteristic_ids
    for c in sc.characteristics:
        if c.standard not in ids:
            problems.add(path, f"characteristic '{c.id}', standard", f"unknown standard '{c.standard}'",
                         did_you_mean(c.standard, ids))
        if c.overrides is not None and c.overrides not in cids:
            problems.add(path, f"characteristic '{c.id}', overrides", f"unknown characteristic '{c.overrides}'",
                         did_you_mean(c.overrides, cids))
    for dup in sorted({c for c in cids if cids.count(c) > 1}):
        problems.add(path, f"characteristic '{dup}'", "appears more than once")
    problems.raise_if_any()
    return sc


def suggest_contracts(
    characteristics: Iterable[str],
    contracts: StandardContracts | None = None,
    where: str = "characteristics",
) -> pd.DataFrame:
    """The SSA standards suggested for a set of option characteristics.

    Parameters
    ----------
    characteristics
        Characteristic ids, e.g. ``["development", "operation"]``.
    contracts
        Loaded standard contracts; default :func:`load_standard_contracts`.
    where
        Names the input in error messages (e.g. ``"option 'dialogue-total'"``).

    Returns
    -------
    pandas.DataFrame
        One row per suggested standard, in the order of the characteristics:
        ``standard``, ``name_en``, ``name_nb``, ``reason``, ``characteristic``,
        ``verified``, ``source``. A standard suggested by several
        characteristics appears once, with their reasons joined.

    Raises
    ------
    InputError
        An unknown characteristic (lists the valid ones).
    """
    sc = contracts or load_standard_contracts()
    given = [c.strip() for c in characteristics if c and c.strip()]
    problems = ProblemList()
    for c in given:
        if c not in sc.characteristic_ids:
            problems.add(where, "", f"unknown characteristic '{c}'", did_you_mean(c, sc.characteristic_ids))
    problems.raise_if_any()
    chosen = [next(x for x in sc.characteristics if x.id == c) for c in dict.fromkeys(given)]
    overridden = {x.overrides for x in chosen if x.overrides}
    rows: dict[str, dict] = {}
    for x in chosen:
        if x.id in overridden:
            continue
        std = sc.standard(x.standard)
        if x.standard in rows:
            rows[x.standard]["reason"] += f"; {x.reason}"
            rows[x.standard]["reason_nb"] += f"; {x.reason_nb}"
            rows[x.standard]["characteristic"] += f",{x.id}"
            continue
        rows[x.standard] = {"standard": std.id, "name_en": std.name_en, "name_nb": std.name_nb, "reason": x.reason,
                            "reason_nb": x.reason_nb, "characteristic": x.id, "verified": x.verified and std.verified,
                            "source": x.source}
    cols = ["standard", "name_en", "name_nb", "reason", "reason_nb", "characteristic", "verified", "source"]
    return pd.DataFrame(list(rows.values()), columns=cols)


def suggest_for_options(
    characteristics: Mapping[str, Iterable[str]],
    contracts: StandardContracts | None = None,
) -> pd.DataFrame:
    """Suggestions for several options: option id -> characteristics.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`suggest_contracts` with ``option`` first.
    """
    sc = contracts or load_standard_contracts()
    frames = []
    problems = ProblemList()
    for oid, chars in characteristics.items():
        try:
            df = suggest_contracts(chars, sc, where=f"option '{oid}'")
        except InputError as e:
            problems.extend(e.problems)
            continue
        df.insert(0, "option", oid)
        frames.append(df)
    problems.raise_if_any()
    cols = ["option", "standard", "name_en", "name_nb", "reason", "reason_nb", "characteristic", "verified", "source"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


def contract_label(suggestions: pd.DataFrame) -> str:
    """The suggested standards joined as options.csv writes them, e.g. ``SSA-T+SSA-D``."""
    return "+".join(suggestions["standard"].tolist())


__all__ = ["StandardContracts", "contract_label", "load_standard_contracts", "suggest_contracts", "suggest_for_options"]
