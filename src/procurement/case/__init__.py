"""Reading and validating a case: CSV/YAML readers, pydantic models, the loader and its errors."""
