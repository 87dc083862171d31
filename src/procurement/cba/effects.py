"""Non-monetised effects with the plus-minus method (R-109/21, DFØ's guide).

Each effect is judged once for its **importance** (betydning: small, medium,
large) and, for each option, for its **extent** (omfang: -3 large negative ..
+3 large positive) against the 0-alternative. A consequence matrix, kept as
data in ``procurement/reference/plus-minus.yaml`` (``verified: false``: the exact cells
are not confirmed), turns the pair into a consequence from ``++++`` to
``----``. The result is a table per option to show beside the NPV; the signs
are not added up, as the method asks for a judgement, not a sum.

``effects.csv`` in a case folder (long form, one row per effect and option)::

    decision,effect,label,importance,option,extent,rationale,source
    contract-strategy,lock-in,Vendor lock-in and exit,large,dialogue-total,-2,"...",illustrative

``label_nb`` (optional) is the effect's name in bokmål for bokmål reports.
``importance`` is ``small|medium|large`` (or ``liten|middels|stor``) and the
same on every row of an effect; ``extent`` is a whole number -3..3 or its
label (``stort negativt`` / ``large negative`` ...). The 0-alternative (id
``zero``) has extent 0 by definition and needs no rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from procurement import reference
from procurement.case import yamlsafe
from procurement.case.csvio import read_csv
from procurement.case.errors import InputError, Problem, ProblemList, did_you_mean, display_path
from procurement.text.sentences import Assumption

REQUIRED = ("decision", "effect", "importance", "option", "extent", "rationale", "source")
OPTIONAL = ("label", "label_nb")
#: Consequences from best to worst.
CONSEQUENCES = ("++++", "+++", "++", "+", "0", "-", "--", "---", "----")


@dataclass(frozen=True)
class PlusMinus:
    """The consequence matrix of the plus-minus method.

    Attributes
    ----------
    importance : list of str
        Importance ids in increasing order (``small, medium, large``).
    aliases : dict of str to str
        Every accepted spelling of an importance (English, Norwegian) -> its id.
    extent_labels : dict of int to dict
        Extent -3..3 -> ``{"nb": ..., "en": ...}``.
    matrix : dict of int to dict of str to str
        Extent -> importance id -> consequence.
    citation : str
    verified : bool
    importance_labels : dict of str to dict
        Importance id -> ``{"nb": ..., "en": ...}`` (``small`` -> liten / small).
    """

    importance: list[str]
    aliases: dict[str, str]
    extent_labels: dict[int, dict[str, str]]
    matrix: dict[int, dict[str, str]]
    citation: str
    verified: bool
    importance_labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def importance_label(self, importance: str, language: str) -> str:
        """An importance id in words of the language (as the matrix file spells it); the id when it has none."""
        return self.importance_labels.get(importance, {}).get(language, importance)

    def consequence(self, importance: str, extent: int) -> str:
        """The consequence (``++++`` .. ``----``) of an importance and an extent."""
        return self.matrix[int(extent)][self.aliases[importance.lower()]]

    def parse_extent(self, text: str) -> int | None:
        """An extent from ``-3``..``3`` or a label in either language; None if neither."""
        s = text.strip().lower().replace("+", "")
        try:
            value = int(s)
        except ValueError:
            for k, labels in self.extent_labels.items():
                if s in (v.lower() for v in labels.values()):
                    return k
            return None
        return value if value in self.matrix else None

    def matrix_frame(self, language: str = "en") -> pd.DataFrame:
        """The matrix as a table: extent labels down, importance across."""
        rows = sorted(self.matrix, reverse=True)
        return pd.DataFrame(
            [[self.matrix[e][i] for i in self.importance] for e in rows],
            index=pd.Index([f"{e:+d} {self.extent_labels[e][language]}" for e in rows], name="extent"),
            columns=self.importance,
        )


def default_matrix_path() -> Path:
    """``plus-minus.yaml`` of the reference data shipped in the package."""
    return reference.path("plus-minus.yaml")


def load_plus_minus(path: str | Path | None = None) -> PlusMinus:
    """Read and check the consequence matrix.

    Raises
    ------
    InputError
        A missing file, a matrix without a row for each extent -3..3, a row
        without one consequence per importance, or an unknown consequence.
    """
    path = Path(path) if path is not None else default_matrix_path()
    name = display_path(path)
    if not path.is_file():
        raise InputError(Problem(name, "", "file not found", "see procurement/reference/plus-minus.yaml"))
    doc = yamlsafe.load(path) or {}
    problems = ProblemList()
    importance = [str(i["id"]) for i in doc.get("importance", [])]
    aliases = {}
    for item in doc.get("importance", []):
        for v in item.values():
            aliases[str(v).lower()] = str(item["id"])
    labels = {int(k): v for k, v in (doc.get("extent") or {}).items()}
    matrix: dict[int, dict[str, str]] = {}
    raw = {int(k): v for k, v in (doc.get("matrix") or {}).items()}
    for extent in range(-3, 4):
        row = raw.get(extent)
        if extent not in labels:
            problems.add(path, f"key 'extent.{extent}'", "missing", "give labels nb and en for every extent -3..3")
        if not isinstance(row, list) or len(row) != len(importance):
            problems.add(path, f"key 'matrix.{extent}'", f"needs {len(importance)} consequences, one per importance")
            continue
        bad = [c for c in row if str(c) not in CONSEQUENCES]
        if bad:
            problems.add(path, f"key 'matrix.{extent}'", f"unknown consequence '{bad[0]}'",
                         f"use one of {' '.join(CONSEQUENCES)}")
            continue
        matrix[extent] = dict(zip(importance, (str(c) for c in row), strict=True))
    problems.raise_if_any()
    return PlusMinus(
        importance=importance,
        aliases=aliases,
        extent_labels=labels,
        matrix=matrix,
        citation=" ".join(str(doc.get("citation", "")).split()),
        verified=bool(doc.get("verified", False)),
        importance_labels={str(i["id"]): {str(k): str(v) for k, v in i.items() if k != "id"}
                           for i in doc.get("importance", [])},
    )


COLUMNS = ["decision", "effect", "label", "label_nb", "importance", "option", "extent", "consequence", "rationale", "source",
           "row"]


@dataclass
class _EffectChecks:
    """State while the rows of one ``effects.csv`` are checked (first importance and row of each effect)."""

    path: Path
    options: dict[str, list[str] | set[str]]
    pm: PlusMinus
    zero: str
    problems: ProblemList
    importance_of: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    seen: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def ids(self, where: str, dec: str, eff: str, opt: str) -> bool:
        """False (and a problem) for an unknown option or an empty effect id; the decision is checked by the caller."""
        ok = True
        if opt not in self.options[dec]:
            self.problems.add(self.path, f"{where}, column 'option'", f"decision '{dec}' has no option '{opt}'",
                              did_you_mean(opt, self.options[dec]))
            ok = False
        if not eff:
            self.problems.add(self.path, f"{where}, column 'effect'", "is empty",
                              "give the effect a short id, e.g. vendor-lock-in")
            ok = False
        return ok

    def importance(self, where: str, line: int, dec: str, eff: str, raw: str) -> str | None:
        """The importance id, the same on every row of an effect; None (and a problem) otherwise."""
        imp = self.pm.aliases.get(raw.lower())
        if imp is None:
            self.problems.add(self.path, f"{where}, column 'importance'", f"unknown importance '{raw}'",
                              did_you_mean(raw, self.pm.aliases))
            return None
        first = self.importance_of.setdefault((dec, eff), (imp, line))
        if first[0] != imp:
            self.problems.add(self.path, f"{where}, column 'importance'",
                              f"effect '{eff}' is '{imp}' here but '{first[0]}' in row {first[1]}",
                              "an effect has one importance for all options")
            return None
        return imp

    def extent(self, where: str, opt: str, raw: str) -> int | None:
        """The extent -3..3, and 0 for the 0-alternative; None (and a problem) otherwise."""
        extent = self.pm.parse_extent(raw)
        if extent is None:
            self.problems.add(self.path, f"{where}, column 'extent'", f"'{raw}' is not an extent",
                              "a whole number from -3 (large negative) to 3 (large positive)")
        elif opt == self.zero and extent != 0:
            self.problems.add(self.path, f"{where}, column 'extent'",
                              f"the 0-alternative '{self.zero}' has extent {extent}",
                              "effects are judged against the 0-alternative, so its extent is 0")
            return None
        return extent

    def texts_and_once(self, where: str, line: int, row: dict[str, Any]) -> bool:
        """Rationale and source filled, and one row per effect and option."""
        ok = True
        for col in ("rationale", "source"):
            if not row[col]:
                self.problems.add(self.path, f"{where}, column '{col}'", "is empty",
                                  "every judgement carries its rationale and source")
                ok = False
        key = (row["decision"], row["effect"], row["option"])
        if key in self.seen:
            self.problems.add(self.path, where,
                              f"effect '{key[1]}' for option '{key[2]}' appears twice (also row {self.seen[key]})",
                              "one row per effect and option")
            ok = False
        self.seen.setdefault(key, line)
        return ok

    def row(self, where: str, line: int, row: dict[str, Any]) -> dict[str, Any] | None:
        """The record of one row, or None when it has a problem (every problem is added)."""
        dec, eff, opt = row["decision"], row["effect"], row["option"]
        if dec not in self.options:
            self.problems.add(self.path, f"{where}, column 'decision'", f"unknown decision '{dec}'",
                              did_you_mean(dec, self.options))
            return None
        ok = self.ids(where, dec, eff, opt)
        imp = self.importance(where, line, dec, eff, row["importance"])
        extent = self.extent(where, opt, row["extent"])
        ok = self.texts_and_once(where, line, row) and ok
        if not ok or imp is None or extent is None:
            return None
        label = row.get("label") or eff
        return {"decision": dec, "effect": eff, "label": label, "label_nb": row.get("label_nb") or label,
                "importance": imp, "option": opt,
                "extent": extent, "consequence": self.pm.consequence(imp, extent), "rationale": row["rationale"],
                "source": row["source"], "row": line}

    def zero_rows(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows of extent 0 for the 0-alternative where the file has none; a problem for any other option left out."""
        label_of = {(r["decision"], r["effect"]): r["label"] for r in records}
        nb_of = {(r["decision"], r["effect"]): r["label_nb"] for r in records}
        added = []
        for (dec, eff), (imp, line) in self.importance_of.items():
            for opt in self.options[dec]:
                if (dec, eff, opt) in self.seen:
                    continue
                if opt != self.zero:
                    self.problems.add(self.path, f"effect '{eff}'", f"no row for option '{opt}' of decision '{dec}'",
                                      f"add a row (first row of the effect: {line})")
                    continue
                added.append({"decision": dec, "effect": eff, "label": label_of.get((dec, eff), eff),
                              "label_nb": nb_of.get((dec, eff), eff), "importance": imp,
                              "option": opt, "extent": 0, "consequence": self.pm.consequence(imp, 0),
                              "rationale": "0-alternative: effects are judged against it", "source": "R-109 plus-minus method",
                              "row": 0})
        return added


def read_effects(
    path: str | Path,
    options: dict[str, list[str] | set[str]],
    problems: ProblemList,
    plus_minus: PlusMinus | None = None,
    zero: str = "zero",
) -> pd.DataFrame:
    """Read and check ``effects.csv``.

    Parameters
    ----------
    path : str or Path
    options : dict of str to list or set of str
        Decision id -> option ids.
    problems : ProblemList
        Every problem is added here, naming file and row.
    plus_minus : PlusMinus, optional
        Default :func:`load_plus_minus`.
    zero : str
        The 0-alternative's id: extent 0 when it has no row, and any row for it
        must say 0.

    Returns
    -------
    pandas.DataFrame
        Columns ``decision, effect, label, importance (id), option, extent
        (int), consequence, rationale, source, row``, with a row added for the
        0-alternative where the file has none.
    """
    pm = plus_minus or load_plus_minus()
    path = Path(path)
    try:
        table = read_csv(path, REQUIRED, OPTIONAL)
    except InputError as err:
        problems.extend(err.problems)
        return pd.DataFrame(columns=COLUMNS)
    checks = _EffectChecks(path, options, pm, zero, problems)
    records = []
    for i, row in enumerate(table.frame.to_dict("records")):
        record = checks.row(table.where(i), table.lines[i], {str(k): v for k, v in row.items()})
        if record is not None:
            records.append(record)
    records += checks.zero_rows(records)
    out = pd.DataFrame(records, columns=COLUMNS)
    out["extent"] = out["extent"].astype("int64")
    out["row"] = out["row"].astype("int64")
    out.attrs["path"] = str(path)
    return out


def load_effects(path: str | Path, options: dict[str, list[str] | set[str]], plus_minus: PlusMinus | None = None) -> pd.DataFrame:
    """:func:`read_effects`, raising :class:`InputError` with every problem found."""
    problems = ProblemList()
    out = read_effects(path, options, problems, plus_minus)
    problems.raise_if_any()
    return out


def effects_table(effects: pd.DataFrame, decision: str, options: list[str] | None = None) -> pd.DataFrame:
    """Consequences per effect (rows) and option (columns) for one decision.

    The first column is the effect's importance; the remaining columns are the
    options in ``options`` order (default: order of appearance).
    """
    d = effects[effects["decision"] == decision]
    wide = d.pivot(index="label", columns="option", values="consequence")
    options = options or list(dict.fromkeys(d["option"]))
    order = list(dict.fromkeys(d["label"]))
    wide = wide.reindex(index=order, columns=[o for o in options if o in wide.columns])
    imp = d.drop_duplicates("label").set_index("label")["importance"].reindex(order)
    wide.insert(0, "importance", imp)
    wide.index.name = "effect"
    wide.columns.name = None
    return wide


def effects_by_option(effects: pd.DataFrame, decision: str, options: list[str] | None = None) -> pd.DataFrame:
    """One row per option, one column per effect: to join beside the NPV table.

    Also counts the positive and negative consequences (``n_plus``, ``n_minus``);
    the plus-minus method weighs effects by judgement, so no net sum is given.
    """
    t = effects_table(effects, decision, options).drop(columns="importance").T
    t.index.name = "option"
    t["n_plus"] = t.apply(lambda r: sum(str(v).startswith("+") for v in r), axis=1)
    t["n_minus"] = t.drop(columns="n_plus").apply(lambda r: sum(str(v).startswith("-") for v in r), axis=1)
    t.columns.name = None
    return t


# --------------------------------------------------------------------------- the effects of a case


#: Strength of each consequence, for counting and for the strongest ones (never added into money).
STRENGTH = {"++++": 4, "+++": 3, "++": 2, "+": 1, "0": 0, "-": -1, "--": -2, "---": -3, "----": -4}


def effects_path(case: Any) -> Path:
    """Where a case keeps its non-monetised effects: ``effects.csv`` in the case folder."""
    return Path(case.path) / "effects.csv"


def case_effects(case: Any, problems: ProblemList | None = None, zero: str = "zero") -> pd.DataFrame | None:
    """The plus-minus judgements of a loaded case (every decision), or None when it has no ``effects.csv``.

    The one reader of a case's ``effects.csv`` (validation, the analysis and its checks all read it here).
    Problems go to ``problems`` when given (then the rows without a problem are returned), else InputError.
    """
    path = effects_path(case)
    if not path.exists():
        return None
    found = problems if problems is not None else ProblemList()
    options = {d: case.decision(d).option_ids for d in case.decisions}
    out = read_effects(path, options, found, zero=zero)
    if problems is None:
        found.raise_if_any()
    return out


@dataclass
class Effects:
    """The non-monetised effects of one decision's options (plus-minus method), judged against the 0-alternative.

    ``table`` is the long form of :func:`read_effects` for the decision (one row per effect and option);
    ``options`` the decision's options in order. The signs are never added into money or into one sum.
    """

    decision: str
    options: list[str]
    table: pd.DataFrame
    plus_minus: PlusMinus
    source: str = "effects.csv"

    @property
    def available(self) -> bool:
        return bool(len(self.table))

    @property
    def effect_ids(self) -> list[str]:
        return list(dict.fromkeys(self.table["effect"]))

    def by_option(self) -> pd.DataFrame:
        """One row per option, one column per effect (its English label), then ``n_plus`` and ``n_minus``."""
        return effects_by_option(self.table, self.decision, self.options)

    def matrix(self, options: list[str] | None = None) -> pd.DataFrame:
        """Effects (rows, by id) × options (columns, ``options`` order): ``label, label_nb, importance``, then the
        consequence ``++++`` .. ``----`` of each option."""
        t = self.table
        order = self.effect_ids
        first = t.drop_duplicates("effect").set_index("effect").reindex(order)
        wide = t.pivot(index="effect", columns="option", values="consequence").reindex(order)
        out = pd.DataFrame({"label": first["label"], "label_nb": first["label_nb"], "importance": first["importance"]},
                           index=pd.Index(order, name="effect"))
        for o in options if options is not None else [o for o in self.options if o in set(t["option"])]:
            out[o] = wide[o].to_numpy()
        return out

    def counts(self, option: str) -> dict[str, Any]:
        """An option's non-priced effects: ``n_plus``, ``n_minus``, ``net`` (signs, only to flag a conflict) and the
        strongest consequences (``strongest``: rows ``consequence, effect, label, label_nb``)."""
        mine = self.table[self.table["option"] == option]
        strength = mine["consequence"].map(STRENGTH).fillna(0).astype(int)
        top = mine.assign(s=strength.abs()).sort_values("s", ascending=False, kind="stable")
        top = top[top["s"] >= max(2, int(top["s"].max()) if len(top) else 2)]
        return {"n_plus": int((strength > 0).sum()), "n_minus": int((strength < 0).sum()), "net": int(strength.sum()),
                "strongest": top[["consequence", "effect", "label", "label_nb"]].to_dict("records")}

    def to_frame(self) -> pd.DataFrame:
        return self.matrix()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: per effect its labels and importance, per option its consequence and counts."""
        m = self.matrix()
        return {"decision": self.decision, "source": self.source, "matrix_verified": self.plus_minus.verified,
                "effects": [{"effect": str(e), "label": str(r["label"]), "label_nb": str(r["label_nb"]),
                             "importance": str(r["importance"]),
                             "consequences": {o: str(r[o]) for o in m.columns[3:]}} for e, r in m.iterrows()],
                "options": {o: {k: v for k, v in self.counts(o).items() if k != "strongest"}
                            for o in self.options if o in set(self.table["option"])}}

    @property
    def assumptions(self) -> list[Assumption]:
        return [Assumption("cba.effects_matrix_verified" if self.plus_minus.verified else "cba.effects_matrix_unverified", {})]


def decision_effects(case: Any, decision: str, zero: str = "zero", plus_minus: PlusMinus | None = None) -> Effects | None:
    """The effects of one decision of a loaded case, or None when the case has none for it (InputError for a bad file)."""
    effects = case_effects(case, zero=zero)
    if effects is None or not (effects["decision"] == decision).any():
        return None
    mine = effects[effects["decision"] == decision].reset_index(drop=True)
    return Effects(decision, list(case.decision(decision).option_ids), mine, plus_minus or load_plus_minus(),
                   display_path(effects_path(case)))
