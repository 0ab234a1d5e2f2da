"""Building blocks of ``python -m scripts.benchmark`` (see that module's docstring)."""
