"""Docs that are true: every `procurement …` command shown in README.md and docs/*.md runs.

Each document's fenced code blocks are read in order; a line (with its ``\\`` continuations) that starts with
``procurement``, ``$ procurement`` or ``.venv/bin/procurement`` is a command. The commands of one document run
one after the other, through the shell, in a fresh copy of the project's data, criteria and notebooks (so a
tutorial's ``new`` → ``validate`` → ``export`` → ``import`` sequence runs as a reader would type it), and must
exit 0. Two kinds are checked with ``--help`` instead, which still proves the command and its options exist:

* a synopsis (it has placeholders: ``[…]``, ``a|b``, ``CASE``, ``NOK``, ``SCENARIO.yaml``, ``YYYY-MM-DD``);
* ``procurement app`` (it starts a server that does not end by itself).

A ``$ procurement …`` line followed by output in a ``console`` block is run too; its output is not compared.

A scenario file a document shows as a ``yaml`` block (``name: X``) and then runs (``scenarios/X.yaml``) is written
from that block first, as the workbench would have saved it.

The commands of docs/first-case.md (except its ``--help`` lines) are run by
``tests/test_scaffold.py::test_first_case_page`` instead, in the same order and with the forms filled in as the page
says: running them here too would run the page's two reports twice (:data:`RUN_BY`;
:func:`test_run_by_runs_the_commands_this_test_reads` checks that the two tests read the same commands).

A document's commands run as a reader would type them, but not all in one test: ``procurement new`` starts a
new sequence (a tutorial's English and bokmål walk-throughs are independent), and the ``--help`` lines of a
document, each distinct line once, are one test of their own. The sequences then run side by side under
pytest-xdist. Steps that need a person in between (filling in the
forms before ``collect``) or act once on the example (``tender seal`` of a sealed model) are listed in
:data:`EXPECTED`: they must stop with their documented exit code and message shape, never a traceback.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PLACEHOLDER = re.compile(r"\[|\||\bCASE\b|\bNOK\b|\bSCENARIO\.yaml\b|YYYY-MM-DD|\bDIR\b|\bNAME\b|…|\bD\b|\bN\b|\bS\b")
COMMAND = re.compile(r"^(?:\$\s+)?(?:\.venv/bin/)?procurement(?:\s|$)")


def commands(path: Path) -> list[str]:
    """The `procurement …` commands in the fenced code blocks of a Markdown file, continuations joined."""
    out: list[str] = []
    fenced = False
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("```"):
            fenced = not fenced
            pending = ""
            continue
        if not fenced:
            continue
        if pending:
            pending += " " + line.rstrip("\\").strip()
            if not line.endswith("\\"):
                out.append(pending)
                pending = ""
            continue
        if COMMAND.match(line):
            text = re.sub(r"^\$\s+", "", line)
            text = re.sub(r"^\.venv/bin/", "", text)
            if text.endswith("\\"):
                pending = text.rstrip("\\").strip()
            else:
                out.append(text)
    return out


def as_run(command: str) -> str:
    """The shell line the test runs for a documented command (``--help`` for synopses and the app server)."""
    words = command.split()
    sub = words[1] if len(words) > 1 else ""
    if PLACEHOLDER.search(command) or sub == "app":
        return f"procurement {sub} --help" if sub and not sub.startswith("-") else "procurement --help"
    return command


CASES = [(doc, commands(doc)) for doc in DOCS]


#: Documents whose commands another test runs, in order, doing by hand what the page asks a person to do: name -> test.
RUN_BY = {"first-case.md": "tests/test_scaffold.py::test_first_case_page"}


def sequences(documented: list[str], doc: Path | None = None) -> list[list[str]]:
    """The commands in the groups that run as one test: each `new` starts a sequence; the `--help` lines, once each.
    A document of :data:`RUN_BY` keeps only its `--help` lines here."""
    helps = list({as_run(c): c for c in reversed(documented) if as_run(c).endswith("--help")}.values())[::-1]
    out: list[list[str]] = []
    for command in documented:
        if as_run(command).endswith("--help") or (doc is not None and doc.name in RUN_BY):
            continue
        if not out or command.split()[1:2] == ["new"]:
            out.append([])
        out[-1].append(command)
    return out + ([helps] if helps else [])


SEQUENCES = [(doc, i, seq) for doc, documented in CASES for i, seq in enumerate(sequences(documented, doc))]

#: (document, start of the command) -> (exit code, message pattern, why the step stops here when run unattended)
EXPECTED: dict[tuple[str, str], tuple[int, str, str]] = {
    ("tender.md", "procurement tender seal"): (2, r"already sealed", "the example competition is sealed already"),
    ("tender.md", "procurement tender collect"): (2, r"no score for", "the evaluators fill in their forms first"),
}


def expected(doc: Path, command: str) -> tuple[int, str, str] | None:
    squeezed = " ".join(command.split())
    return next((v for (name, start), v in EXPECTED.items() if name == doc.name and squeezed.startswith(start)), None)


def scenario_blocks(doc: Path) -> dict[str, str]:
    """``yaml`` blocks of a document that are scenario files: name -> text."""
    blocks = re.findall(r"```yaml\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    out = {}
    for text in blocks:
        m = re.search(r"^name:\s*([\w-]+)\s*$", text, re.M)
        if m and re.search(r"^decision:", text, re.M):
            out[m.group(1)] = text
    return out


def write_shown_scenarios(doc: Path, documented: list[str], project: Path) -> None:
    for name, text in scenario_blocks(doc).items():
        for command in documented:
            m = re.search(rf"(\S+/scenarios/{re.escape(name)}\.yaml)", command)
            if m and not (project / m.group(1)).exists():
                (project / m.group(1)).write_text(text, encoding="utf-8")


def test_the_docs_show_commands():
    assert sum(len(c) for _, c in CASES) >= 20
    assert any(doc.name == "README.md" and cmds for doc, cmds in CASES)


def project_copy(tmp: Path) -> Path:
    for folder in ("data", "criteria", "notebooks"):
        shutil.copytree(ROOT / folder, tmp / folder, ignore=shutil.ignore_patterns("reports", ".ipynb_checkpoints"))
    return tmp


def test_run_by_runs_the_commands_this_test_reads():
    """The commands test_scaffold.py runs for docs/first-case.md are every command this module reads there, in order
    (the two tests parse the page each their own way)."""
    from test_scaffold import _commands

    (documented,) = [cmds for doc, cmds in CASES if doc.name == "first-case.md"]
    assert [shlex.split(c) for c in documented] == _commands("en") + _commands("nb")
    assert len(documented) == 18 and [c.split()[1] for c in documented].count("run") == 2


def test_run_by_names_tests_that_exist():
    """A document left to another test names one that exists (a renamed test would leave the page's commands unrun)."""
    import ast

    for doc, nodeid in RUN_BY.items():
        path, name = nodeid.split("::")
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        assert name in {f.name for f in tree.body if isinstance(f, ast.FunctionDef)}, (doc, nodeid)
        assert (ROOT / "docs" / doc).is_file()


def test_sequences_keep_every_command():
    for doc, documented in CASES:
        grouped = [c for d, _, seq in SEQUENCES if d == doc for c in seq]
        if doc.name in RUN_BY:
            assert all(as_run(c).endswith("--help") for c in grouped) and grouped, doc.name
            continue
        assert {as_run(c) for c in grouped} == {as_run(c) for c in documented}, doc.name
        assert [c for c in grouped if not as_run(c).endswith("--help")] == [c for c in documented
                                                                          if not as_run(c).endswith("--help")]


@pytest.mark.parametrize("doc, index, documented", SEQUENCES, ids=[f"{d.name}-{i + 1}" for d, i, _ in SEQUENCES])
def test_every_documented_command_runs(doc, index, documented, tmp_path):
    project = project_copy(tmp_path)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               PYTHONWARNINGS="ignore", PROCUREMENT_NO_BROWSER="1")
    write_shown_scenarios(doc, documented, project)
    failures = []
    for command in documented:
        line = as_run(command)
        done = subprocess.run(["bash", "-c", line], cwd=project, env=env, capture_output=True, text=True, timeout=600)
        stop = expected(doc, command)
        if "Traceback" in done.stderr:
            failures.append(f"{doc.name}: `{command}` printed a traceback: {done.stderr.strip()[-600:]}")
        elif stop is not None:
            code, pattern, why = stop
            if done.returncode != code or not re.search(pattern, done.stderr):
                failures.append(f"{doc.name}: `{command}` ({why}) should exit {code} with /{pattern}/, "
                                f"exited {done.returncode}: {done.stderr.strip()[-600:]}")
        elif done.returncode != 0:
            failures.append(f"{doc.name}: `{command}` (ran `{line}`) exited {done.returncode}: {done.stderr.strip()[-600:]}")
    assert not failures, "\n".join(failures)


def test_no_doc_names_a_command_that_does_not_exist():
    """Every `procurement WORD` mentioned anywhere in the docs (also in prose) is a command of the CLI."""
    help_text = subprocess.run([sys.executable, "-m", "procurement.cli", "--help"], capture_output=True, text=True).stdout
    known = set(re.findall(r"^\s{4}(\w[\w-]*)\s", help_text, re.M))
    assert {"run", "rank", "validate", "app"} <= known
    missing = []
    for doc in DOCS:
        for m in re.finditer(r"`(?:\.venv/bin/)?procurement ([a-z][\w-]*)", doc.read_text(encoding="utf-8")):
            if m.group(1) not in known:
                missing.append(f"{doc.name}: procurement {m.group(1)}")
    assert not missing, missing


@pytest.mark.parametrize("name", ["01-inputs", "02-ranking", "03-sensitivity", "06-stakeholders"])
def test_papermill_help_lists_parameter_types(name):
    """`papermill --help-notebook` shows each parameter's type (from the `# type:` comments), not "Unknown type"."""
    import papermill

    params = papermill.inspect_notebook(str(ROOT / "notebooks" / f"{name}.ipynb"))
    assert params and all(p["inferred_type_name"] not in ("None", "Unknown type") for p in params.values()), params
    assert params["language"]["inferred_type_name"] == "str"
