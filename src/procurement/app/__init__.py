"""The interactive workbench: ipywidgets state, computation, rendering and saving scenarios."""

import sys

# As in procurement.report: nbformat (the save hook, git's clean filter) imports jsonschema, which imports the optional
# ``rfc3987_syntax`` package when it is installed, and that import builds an IRI grammar: 1.0 s of the 1.4 s git's clean
# filter took per notebook (measured). Notebook schemas use no IRI formats; a process that has loaded jsonschema
# already (the Jupyter server) is left as it is.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
