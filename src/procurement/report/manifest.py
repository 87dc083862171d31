"""The record of a report run: how each notebook ended (:class:`RunResult`) and ``manifest.json``.

The manifest says what produced the report folder: the scenario and its parameters, each notebook's status,
time and parameters, the sha256 of every input file, the versions of the packages, the git state of the project,
when it started and finished and the command line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from procurement.report.plan import Plan

MANIFEST_NAME = "manifest.json"
#: The notebook whose HTML is "the report" an advisor sends on.
SUMMARY_NOTEBOOK = "07-summary"
WORKBOOK_NAME = "results.xlsx"
PACKAGES = (
    "procurement-workbench",
    "pandas",
    "numpy",
    "scipy",
    "scikit-criteria",
    "pydantic",
    "PyYAML",
    "seaborn",
    "matplotlib",
    "openpyxl",
    "papermill",
    "nbformat",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "jupyter_client",
)


@dataclass
class NotebookStatus:
    notebook: str
    source: str
    status: str = "not run"  # ok | failed | interrupted | killed | not run
    seconds: float | None = None
    output: str | None = None
    html: str | None = None
    error: str | None = None


@dataclass
class RunResult:
    scenario: str
    scenario_file: str
    status: str  # ok | failed | interrupted | bad input
    folder: str | None
    notebooks: list[NotebookStatus] = field(default_factory=list)
    message: str = ""
    summary_html: str | None = None
    seconds: float = 0.0
    #: A Ctrl-C or SIGTERM that came while the finished report was being published: the report is whole, and no
    #: further scenario starts.
    stop_requested: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out


def git_state(root: Path) -> dict[str, Any] | None:
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
        if commit.returncode != 0:
            return None
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True, timeout=20)
        return {"commit": commit.stdout.strip(), "dirty": bool(status.stdout.strip()) if status.returncode == 0 else None}
    except (OSError, subprocess.SubprocessError):
        return None


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def relative(path: Path, root: Path) -> str:
    """`path` relative to the project folder when it lies inside it, else as given."""
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def manifest(plan: Plan, result: RunResult, started: str, folder: Path, run_id: str, kernel: str) -> dict[str, Any]:
    """The manifest of a run of `plan` written into `folder` (see the module docstring)."""
    return {
        "run": run_id,
        "status": result.status,
        "message": result.message,
        "scenario": {"name": plan.name, "file": relative(plan.scenario_file, plan.root), "description": plan.description},
        "case": relative(plan.case_dir, plan.root),
        "parameters": plan.parameters,
        "notebooks": [
            {**asdict(st), "parameters": plan.notebook_parameters(plan.notebooks[i])} for i, st in enumerate(result.notebooks)
        ],
        "outputs": {
            "workbook": WORKBOOK_NAME if (folder / WORKBOOK_NAME).exists() else None,
            "summary_html": f"{SUMMARY_NOTEBOOK}.html" if (folder / f"{SUMMARY_NOTEBOOK}.html").exists() else None,
        },
        "inputs": [
            {"path": relative(p, plan.root), "sha256": sha256(p), "bytes": p.stat().st_size} for p in plan.inputs if p.exists()
        ],
        "environment": {"versions": versions(), "platform": platform.platform(), "kernel": kernel, "executable": sys.executable},
        "git": git_state(plan.root),
        "started": started,
        "finished": now(),
        "seconds": result.seconds,
        "command": sys.argv,
    }


def write(folder: Path, data: dict[str, Any]) -> None:
    """``manifest.json`` in `folder`."""
    # written beside it and renamed over it: a full disk or a signal mid-write never leaves a truncated manifest
    # (issue 26: 4,096 bytes of invalid JSON after a full disk at publish)
    target = folder / MANIFEST_NAME
    tmp = folder / f".{MANIFEST_NAME}.tmp"
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
