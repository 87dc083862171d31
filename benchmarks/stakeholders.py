"""Benchmark: the command line ranks one decision for hundreds of stakeholder profiles by every method.

Run::

    .venv/bin/python benchmarks/stakeholders.py              # 357 synthetic profiles
    .venv/bin/python benchmarks/stakeholders.py --profiles 100 --check

A copy of the example case (``data/national-municipal-solution`` and ``criteria/``) is written to a temporary
folder with ``--profiles`` synthetic municipal weight profiles added to ``profiles.csv`` (and their stakeholder
entries to ``case.yaml``; the case's own files are not touched): each is one of the case's profiles given as
weights, in percentage points, with every weight multiplied by a log-normal factor (σ = 0.3) and rounded to a
whole number, seeded (``--seed``).

Timed, in the same run:

* (a) the command itself, as a user types it, in a fresh process:
  ``procurement rank CASE --decision contract-strategy --method all --profile all --format json`` — every
  method × every weight set (the criteria file's, each group's, both panels), the method comparison per weight
  set and the stakeholder analysis (agreement, leave-one-out) per method, written as JSON. Median and minimum of
  ``--repeat`` runs, wall and CPU time (of the child process).
* (b) the reference: the per-profile pipeline loop, a fresh scikit-criteria pipeline
  (``Method.pipeline(...).evaluate(DecisionMatrix)``) per profile and method, as ranking one profile at a time
  does without the vectorised kernels and rankers. This is the ranking part only: (b) does not compare methods,
  analyse the panel nor write JSON.

Printed: the figures, the ratio (b)/(a), the number of (profile, method) ranks on which the command's JSON and
the pipelines disagree (0 expected; a tie that a pipeline splits by rounding noise, below
:data:`procurement.mcda.ties.RTOL`, is not counted), and pass/fail of (a) against ``--target`` seconds
(default 5, wall). ``--check`` makes the exit code 1 when the target is missed or a rank differs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "national-municipal-solution"
DECISION = "contract-strategy"
PROCUREMENT = Path(sys.executable).with_name("procurement")


def synthetic_case(folder: Path, count: int, seed: int) -> Path:
    """A copy of the example case with `count` synthetic municipal profiles for DECISION; returns the case folder."""
    shutil.copytree(ROOT / "criteria", folder / "criteria")
    case = folder / "data" / CASE.name
    shutil.copytree(CASE, case)
    profiles = pd.read_csv(case / "profiles.csv", dtype=str, keep_default_na=False)
    mine = profiles[profiles["decision"] == DECISION]
    groups = [g for g in dict.fromkeys(mine["group"]) if (mine.loc[mine["group"] == g, "weight"] != "").all()]
    rng = np.random.default_rng(seed)
    rows, ids = [], []
    for k in range(count):
        base = mine[mine["group"] == groups[k % len(groups)]]
        w = base["weight"].astype(float).to_numpy()
        w = np.round(100 * w / w.sum() * rng.lognormal(0.0, 0.3, len(w)))
        if w.sum() == 0:
            w[0] = 1.0
        gid = f"municipality-{k + 1:03d}"
        ids.append(gid)
        rows += [{"decision": DECISION, "group": gid, "criterion": c, "weight": f"{x:g}", "rank": ""}
                 for c, x in zip(base["criterion"], w, strict=True)]
    pd.concat([profiles, pd.DataFrame(rows)]).to_csv(case / "profiles.csv", index=False)
    text = (case / "case.yaml").read_text(encoding="utf-8")
    entries = "".join(f"  - id: {g}\n    label: {{nb: {g}, en: {g}}}\n" for g in ids)
    (case / "case.yaml").write_text(text.replace("\nstakeholders:\n", "\nstakeholders:\n" + entries, 1), encoding="utf-8")
    return case


def run_command(case: Path, out: Path) -> tuple[float, float]:
    """Run the command once in a fresh process, its JSON to `out`; wall and CPU seconds (of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with out.open("wb") as f:
        subprocess.run([str(PROCUREMENT), "rank", str(case), "--decision", DECISION, "--method", "all", "--profile", "all",
                        "--format", "json"], stdout=f, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def pipeline_loop(case: Path) -> tuple[float, dict[tuple[str, str], np.ndarray | None]]:
    """Ranks by a fresh scikit-criteria pipeline per profile and method (None where it cannot run), and the seconds
    the loop took (loading the case and importing scikit-criteria not included)."""
    import skcriteria as skc

    import procurement as pw

    a = pw.Analysis(pw.load_case(case), None, decision=DECISION, language="en")
    prep = a.prepared
    x, obj = prep.arrays
    sets = {g: a.with_(profile=g).weights.loc[prep.matrix.columns].to_numpy(dtype=float) for g in a.decision.profiles}
    out: dict[tuple[str, str], np.ndarray | None] = {}
    t0 = time.perf_counter()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for g, w in sets.items():
            for name, m in pw.METHODS.items():
                if m.why_not(x, obj, w):
                    out[(g, name)] = None
                    continue
                res = m.pipeline(**prep.context(m)).evaluate(skc.mkdm(x, obj, weights=w))
                out[(g, name)] = np.where(res.kernel_, 1, 2) if m.kind == "kernel" else np.asarray(res.rank_, dtype=int)
    return time.perf_counter() - t0, out


def splits_a_tie_only(ours: np.ndarray, ref: np.ndarray) -> bool:
    """True when ref orders every pair that ours orders, the same way: it only splits some of our ties
    (which our ranks hold because the scores differ by rounding noise, below RTOL)."""
    o = np.sign(ours[:, None] - ours[None, :])
    r = np.sign(ref[:, None] - ref[None, :])
    return bool(np.all(r[o != 0] == o[o != 0]))


def disagreements(document: dict, reference: dict) -> tuple[int, int]:
    """How many of the command's (profile, method) rankings the pipelines rank otherwise, and how many were compared."""
    bad = compared = 0
    for r in document["results"]:
        ref = reference.get((r["profile"], r["method"]))
        if ref is None:
            continue
        order = r["inputs"]["alternatives"]
        ours = np.array([next(e["rank"] for e in r["ranking"] if e["option"] == o) for o in order])
        compared += 1
        if not np.array_equal(ours, ref) and not splits_a_tie_only(ours, ref):
            bad += 1
    return bad, compared


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profiles", type=int, default=357, help="synthetic profiles added to the case's (default 357)")
    ap.add_argument("--seed", type=int, default=20261125, help="seed of the synthetic profiles")
    ap.add_argument("--repeat", type=int, default=3, help="runs of the command (default 3)")
    ap.add_argument("--target", type=float, default=5.0, help="target for the command in seconds, wall (default 5)")
    ap.add_argument("--check", action="store_true", help="exit 1 when the target is missed or a rank differs")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="stakeholders-bench-") as tmp:
        folder = Path(tmp)
        case = synthetic_case(folder, args.profiles, args.seed)
        out = folder / "rank.json"
        runs = [run_command(case, out) for _ in range(args.repeat)]
        document = json.loads(out.read_text(encoding="utf-8"))
        size = out.stat().st_size
        ref_seconds, reference = pipeline_loop(case)
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    wall = statistics.median(walls)
    wrong, compared = disagreements(document, reference)
    sets = len(document["profiles"])
    print(f"{DECISION}: {sets} weight sets ({args.profiles} synthetic profiles, the case's {sets - args.profiles - 3}, the "
          f"criteria file's, 2 panels) × {len(document['methods'])} methods = {len(document['results'])} rankings, "
          f"{len(document['skipped'])} skipped (a method cannot run on those weights)")
    print(f"(a) procurement rank --method all --profile all --format json: wall median {wall:.2f} s (min {min(walls):.2f}), "
          f"CPU median {statistics.median(cpus):.2f} s, over {args.repeat} runs; {size / 1e6:.1f} MB of JSON")
    print(f"(b) per-profile scikit-criteria pipeline loop, ranking only (reference): {ref_seconds:.2f} s")
    print(f"    ratio (b)/(a): {ref_seconds / wall:.1f}")
    print(f"ranks that differ between (a) and (b): {wrong} of {compared} rankings compared")
    ok = wall <= args.target
    print(f"target (a) ≤ {args.target:g} s wall: {'pass' if ok else 'FAIL'}")
    return 1 if args.check and (not ok or wrong) else 0


if __name__ == "__main__":
    sys.exit(main())
