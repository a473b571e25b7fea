"""Validation of the automatic codes against human coders (see docs/validation.md).

`draw_sample` picks units (quotes, terms or articles) reproducibly; `write_sheet` writes the
coding sheet coders fill in and `write_key` the key with research_kit's own codes, kept apart so
coding is blind; `validate` reads the coders' sheets and computes Krippendorff's alpha between
them and the automatic codes' accuracy, precision, recall and F1 against their majority.
"""

from __future__ import annotations

from .agreement import (
    Coding,
    ValidationResult,
    agreement,
    load_validation,
    read_coding,
    validate,
)
from .codebook import Codebook, Variable, load_codebook
from .sample import Sample, draw_sample, key_path, read_key, sample_size, unit_rows, write_key
from .sheets import read_sheet, write_sheet

__all__ = [
    "Codebook",
    "Coding",
    "Sample",
    "ValidationResult",
    "Variable",
    "agreement",
    "draw_sample",
    "key_path",
    "load_codebook",
    "load_validation",
    "read_coding",
    "read_key",
    "read_sheet",
    "sample_size",
    "unit_rows",
    "validate",
    "write_key",
    "write_sheet",
]
