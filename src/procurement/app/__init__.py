"""The interactive workbench: ipywidgets state, computation, rendering and saving scenarios."""
