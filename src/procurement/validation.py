"""What `procurement validate` checks beyond the case loader: everything a command or a notebook will read.

:func:`procurement.load_case` checks the files every analysis needs. The commands and the report notebooks read
more: ``risks.csv``, ``timeline.yaml``, ``effects.csv``, the AHP comparison files, the procedure of each option,
the cash flows, and each scenario's weights, methods and screening. :func:`validate` exercises each of those
loading paths cheaply (a ranking per method, the acceptabilities and stability intervals of a few SMAA draws,
the route; no cost-benefit or uptake simulation: the domain's own checks read every file a simulation reads), so
that an empty list means ``rank``, ``sensitivity``, ``cba``, ``timeline`` and ``risks`` succeed on the case. It
then asks the cross-file checks of the domain packages (``procurement.cba.checks``, ``procurement.law.checks``,
``procurement.tender.checks``: ``problems(case, None)``, every decision) once.

:func:`check_scenario` is the engine's half of checking a scenario before anything runs: its decision, profile,
ranking methods and competition against the case, and that its analysis builds (weights, AHP file,
uncertainty). ``procurement run`` calls it for each scenario before a kernel starts; :func:`validate` calls it
for each scenario of the case. The report's half (notebooks, the ``case`` key) is the runner's, and
``procurement validate`` composes the two.

A problem found twice (the timeline read by two probes) is reported once. A consumer that fails with anything but
an :class:`~procurement.case.errors.InputError` is reported as one line naming the consumer, never a traceback,
and never an "OK".
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procurement.analysis import Analysis
from procurement.case import yamlsafe
from procurement.case.csvio import scan_csv
from procurement.case.errors import InputError, Problem, ProblemList, clip, did_you_mean, display_path
from procurement.case.loader import present
from procurement.case.models import Scenario, read_yaml
from procurement.case.profiles import SPECIAL_SOURCES
from procurement.cba.effects import read_effects
from procurement.law.risk import expected_risk, read_risks, risk_summary
from procurement.law.loader import default_rules_dir, load_rules
from procurement.law.timeline import load_timeline, schedule
from procurement.mcda.ahp import load_ahp
from procurement.mcda.methods import METHODS
from procurement.tender.competition import competitions

if TYPE_CHECKING:
    from procurement.case.loader import Case

#: Samples used to exercise SMAA (enough to run every code path, cheap).
PROBE_SAMPLES = 64
#: The packages whose ``checks.problems(case, scenario)`` validate also asks.
DOMAIN_CHECKS = ("procurement.cba.checks", "procurement.law.checks", "procurement.tender.checks")


class _Collector:
    """Problems in first-found order, each once; a consumer's crash is one line too."""

    def __init__(self) -> None:
        self.problems = ProblemList()
        self._seen: set[object] = set()
        self.failed: set[str] = set()  # consumers that failed, so that those reading the same file are skipped

    def first(self, key: tuple) -> bool:
        """True the first time `key` is asked (a probe that depends only on it runs once)."""
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def add(self, problems: list[Problem], new_files_only: bool = False) -> None:
        """Keep each problem once; with `new_files_only`, drop those about a file that has a problem already
        (a second reader of a broken file repeats its root problem in its own words)."""
        reported = {p.file for p in self.problems.problems}
        for p in problems:
            key = str(p)
            if key in self._seen or (new_files_only and p.file in reported):
                continue
            self._seen.add(key)
            self.problems.problems.append(p)

    def run(
        self,
        file: str | Path,
        consumer: str,
        fn: Callable[[], Any],
        rename: Callable[[Problem], Problem] | None = None,
        new_files_only: bool = False,
    ) -> bool:
        """Call `fn`; collect its InputError's problems (renamed), or one line for any other failure. True if it ran."""
        try:
            fn()
            return True
        except InputError as e:
            self.add([rename(p) if rename else p for p in e.problems], new_files_only)
        except Exception as e:  # noqa: BLE001 - any other failure of a consumer is a line, never an "OK"
            self.add([Problem(display_path(file) if isinstance(file, Path) else str(file), "",
                              f"{consumer} fails on this input: {type(e).__name__}: {clip(e)}",
                              "a check is missing here; please report it with the file")])
        return False


def validate(case: Case) -> list[Problem]:
    """Every problem a command or a report notebook would meet on `case` (see the module docstring); [] when none."""
    c = _Collector()
    options = {d: dec.option_ids for d, dec in case.decisions.items()}
    root = Path(case.path)
    _bounded_reads(c, case, root)
    if "bounded" in c.failed:  # other readers may parse the refused file without limits: fix it first
        return c.problems.problems
    _case_files(c, case, root, options)
    # One engine cache for every probe of the case, as Analysis.with_ shares it: the cost-benefit criterion's
    # scores, the screened matrix, the cash flows and the parameters are computed once, not once per scenario
    shared: dict = {}
    for did, decision in case.decisions.items():
        c.run(decision.criteria_file, f"ranking decision '{did}'", partial(_probe_decision, case, did, shared))
    for name, sc in case.scenarios.items():
        _scenario(c, case, name, sc, shared)
    for module in DOMAIN_CHECKS:
        check = _domain_check(module)
        if check is not None:
            c.run(root / "case.yaml", module, partial(_raise_problems, check, case, None), new_files_only=True)
    return c.problems.problems


def check_scenario(case: Case, scenario: Scenario | Mapping[str, Any], file: str | Path = "scenario") -> list[Problem]:
    """The engine's checks of a scenario against `case`, one line each naming `file` and the key; [] when it runs.

    Its decision, profile (a stakeholder group, ``panel-mean``, ``panel-geomean`` or ``ahp``), ranking methods
    and competition (a folder of the case's ``tenders/``) exist, and the analysis it describes builds (the
    weights, the AHP file, the uncertainty model). `scenario` is a :class:`Scenario` or a mapping of its keys
    (already checked against the model: :func:`procurement.case.scenarios.scenario_problems`).
    """
    data = scenario.model_dump() if isinstance(scenario, Scenario) else dict(scenario)
    where = display_path(file) if isinstance(file, Path) else str(file)
    problems = ProblemList()
    decision = data.get("decision")
    if decision not in case.decisions:
        problems.add(where, "key 'decision'", f"unknown decision '{decision}' in case '{case.id}'",
                     did_you_mean(str(decision), case.decisions))
    else:
        profile = data.get("profile")
        profiles = [*case.decisions[decision].profiles, *SPECIAL_SOURCES]
        if profile is not None and profile not in profiles:
            problems.add(where, "key 'profile'", f"no weight profile '{profile}' for decision '{decision}'",
                         did_you_mean(str(profile), profiles))
    for m in data.get("methods") or []:
        if m not in METHODS:
            problems.add(where, "key 'methods'", f"unknown method '{m}'", did_you_mean(m, METHODS))
    competition = data.get("competition")
    if competition is not None:
        known = competitions(case.path)
        if competition not in known:
            problems.add(where, "key 'competition'", f"no competition '{competition}' in the case's tenders/ folder",
                         did_you_mean(str(competition), known))
    if not problems:
        try:
            Analysis(case, {k: v for k, v in data.items() if k not in ("case", "notebooks")})
        except InputError as e:
            problems.extend(_as_key(where, p) for p in e.problems)
    return problems.problems


def _as_key(file: str, p: Problem) -> Problem:
    """A problem the engine names by a neutral key (``profile``, ``weights``) as a key of the scenario `file`."""
    if p.file and ("/" in p.file or "." in p.file):
        return p
    return Problem(file, f"key '{p.file}'" if p.file else p.where, p.message, p.hint)


def bounded_problems(case: Case) -> list[Problem]:
    """Problems of the case's files that the loader does not read, each read within the limits of
    :mod:`procurement.case.yamlsafe` and :func:`procurement.case.csvio.scan_csv` (cheap: no analysis).

    ``procurement run`` calls it before any kernel starts, so a bomb in ``financing.yaml`` or a control
    character in ``tenders/…`` is one line, not a notebook that runs out of memory.
    """
    c = _Collector()
    _bounded_reads(c, case, Path(case.path))
    return c.problems.problems


def input_files(case: Case) -> list[Path]:
    """Every file an analysis of `case` may read, resolved: the files the loader read, every file of the case
    folder (hidden ones aside) and the procurement rules (the case's ``../rules/``, else the shipped ones)."""
    case_dir = Path(case.path)
    files: set[Path] = {Path(p).resolve() for p in case.files}
    for p in case_dir.rglob("*"):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(case_dir).parts):
            files.add(p.resolve())
    rules = case_dir.parent / "rules"
    if not rules.is_dir():
        rules = Path(default_rules_dir())  # the reference data shipped in the package (or $PROCUREMENT_RULES)
    if rules.is_dir():
        files.update(p.resolve() for p in rules.glob("*.yaml"))
    return sorted(files)


def _bounded_reads(c: _Collector, case: Case, root: Path) -> None:
    """Every YAML and CSV file of the case folder that the loader did not read, read within the limits first.

    Files other packages read (financing.yaml, uptake.yaml, screening.yaml, tenders/...) are then safe to hand to
    them; when one is refused, no other check runs (they may parse it without limits), so that is its only line.
    """
    read = {_resolved(Path(p)) for p in case.files}
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts) or _resolved(path) in read:
            continue
        if path.suffix in (".yaml", ".yml"):
            ok = c.run(path, "reading", partial(yamlsafe.load, path))
        elif path.suffix == ".csv":
            ok = c.run(path, "reading", partial(scan_csv, path))
        else:
            continue
        if not ok:
            c.failed.add("bounded")


def _resolved(path: Path) -> Path:
    """The resolved path, or the absolute one for a link that loops (Python 3.11 raises RuntimeError there)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return path.absolute()


def _case_files(c: _Collector, case: Case, root: Path, options: dict[str, list[str]]) -> None:
    risks = root / "risks.csv"
    if present(risks):
        c.run(risks, "procurement risks", lambda: _probe_risks(case, risks, options))
    timeline = root / "timeline.yaml"
    if present(timeline) and not c.run(timeline, "procurement timeline", lambda: _probe_timeline(case, timeline)):
        c.failed.add("timeline")
    effects = root / "effects.csv"
    if present(effects):
        c.run(effects, "procurement cba (effects)", lambda: _probe_effects(effects, options))
    c.run(root / "options.csv", "the procedure of the options", lambda: _probe_procedures(case))
    for path in sorted(root.glob("ahp-*.yaml")):
        c.run(path, "the AHP weights", partial(_probe_ahp, case, path))


def _probe_risks(case: Case, path: Path, options: dict[str, list[str]]) -> None:
    """What `procurement risks` computes, for every decision the register covers; an empty register is a problem."""
    register = read_risks(path, options)
    decisions = [d for d in case.decisions if (register["decision"] == d).any()]
    if not decisions:
        raise InputError(Problem(display_path(path), "", "holds no risks", "add rows, or remove the file"))
    for d in decisions:
        expected_risk(register, d, "mean")
        risk_summary(register, d)


def _probe_timeline(case: Case, path: Path) -> None:
    data = read_yaml(path)
    decision = data.get("decision") if isinstance(data, dict) else None
    ids = case.decisions[decision].option_ids if decision in case.decisions else None
    if decision is not None and decision not in case.decisions:
        raise InputError(Problem(display_path(path), "key 'decision'", f"unknown decision '{decision}'",
                                 did_you_mean(str(decision), case.decisions)))
    rules = load_rules(None)
    plan = load_timeline(path, decision=decision, option_ids=ids, rules=rules)
    schedule(plan, None, rules)


def _probe_effects(path: Path, options: dict[str, list[str]]) -> None:
    problems = ProblemList()
    read_effects(path, dict(options), problems)
    problems.raise_if_any()


def _probe_procedures(case: Case) -> None:
    """The `procedure` of every option is empty, 'none' or a procedure id of the rules."""
    known = [*load_rules(None).procedure_ids, "none"]
    problems = ProblemList()
    for did, decision in case.decisions.items():
        for o in decision.options:
            if o.procedure and o.procedure not in known:
                problems.add(Path(case.path) / "options.csv", f"decision '{did}', option '{o.id}', column 'procedure'",
                             f"unknown procedure '{o.procedure}'", did_you_mean(o.procedure, known))
    problems.raise_if_any()


def _probe_ahp(case: Case, path: Path) -> None:
    did = path.stem.removeprefix("ahp-")
    if did not in case.decisions:
        raise InputError(Problem(display_path(path), "", f"is named for decision '{did}', which the case does not have",
                                 f"name it ahp-<decision>.yaml: {did_you_mean(did, case.decisions)}"))
    load_ahp(path, case.decision(did))


def _probe_decision(case: Case, did: str, shared: dict) -> None:
    """Ranking with the criteria file's weights by the default methods, as `procurement rank --decision` does."""
    a = Analysis(case, {"name": "validate", "decision": did}, _cache=shared)
    _screening_leaves_an_option(a)
    for m in a.methods:
        a.ranking(m)


def _screening_leaves_an_option(a: Any) -> None:
    prepared = a.prepared
    if prepared.matrix.shape[0] == 0 or len(prepared.kept) == 0:
        ex = a.excluded
        crits = sorted(set(ex["criterion"])) if "criterion" in ex else []
        where = f"criterion '{crits[0]}', key 'must_pass'" if len(crits) == 1 else "key 'must_pass'"
        raise InputError(Problem(display_path(a.decision.criteria_file), where,
                                 f"the must-pass rules screen out every option of decision '{a.decision.id}'",
                                 "relax a rule or check the scores it reads; nothing would be left to rank"))


def _scenario(c: _Collector, case: Case, name: str, sc: Scenario, shared: dict) -> None:
    """A scenario of the case: :func:`check_scenario`, then its rankings, a few SMAA draws, stability and the route."""
    path = case.scenario_files.get(name)
    file = display_path(path) if path else f"scenario '{name}'"

    def rename(p: Problem) -> Problem:  # a neutral key ('profile', 'samples') becomes the scenario file's key
        return _as_key(file, p)

    found = check_scenario(case, sc, file)
    if found:
        c.add(found)
        return
    a = Analysis(case, sc, _cache=shared)
    c.run(file, f"scenario '{name}' ranking", lambda: _probe_analysis(a), rename)
    if not c.failed & {"timeline", "bounded"} and c.first(("route", sc.decision)):  # its problems do not depend on the language
        c.run(file, f"scenario '{name}' procurement route", lambda: a.route(), rename)


def _probe_analysis(a: Analysis) -> None:
    _screening_leaves_an_option(a)
    for m in a.methods:
        a.ranking(m)
    probe = a.with_(samples=PROBE_SAMPLES)
    probe.acceptability()
    probe.stability()


def _domain_check(module: str) -> Callable[..., Any] | None:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError:
        return None
    return getattr(mod, "problems", None)


def _raise_problems(check: Callable[..., Any], case: Case, sc: Scenario | None) -> None:
    found = list(check(case, sc) or [])
    if found:
        raise InputError(found)
