"""Helper for lexicon tables written as one line of word forms per value."""

from __future__ import annotations


def case_forms(table: dict[int, str]) -> dict[str, int]:
    """{2: "два двух двум"} -> {"два": 2, "двух": 2, "двум": 2}."""
    return {form: value for value, forms in table.items() for form in forms.split()}
