"""Notebooks as reviewable sources: each .ipynb has a jupytext percent-format twin kept in step,
and the set-up and methods cells come from the package, not from copies in each notebook."""

from __future__ import annotations

import json

import jupytext
import pytest
from jupytext.compare import compare_notebooks

from conftest import ROOT
from research_kit.reports.methods import METHODS, methods_markdown

NOTEBOOKS = ROOT / "notebooks"


def test_every_notebook_has_exactly_one_paired_source() -> None:
    notebooks = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    sources = sorted(p.stem for p in NOTEBOOKS.glob("*.py"))
    assert notebooks and notebooks == sources
    for stem in notebooks:
        metadata = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text("utf-8"))["metadata"]
        assert metadata["jupytext"]["formats"] == "ipynb,py:percent", stem


@pytest.mark.parametrize("stem", sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebook_and_its_source_hold_the_same_cells(stem: str) -> None:
    """Edit the .py and run `make notebooks` (jupytext --sync); this fails until both agree."""
    notebook = jupytext.read(NOTEBOOKS / f"{stem}.ipynb")
    source = jupytext.read(NOTEBOOKS / f"{stem}.py")
    compare_notebooks(source, notebook, fmt="py:percent")


def test_report_notebooks_share_the_set_up_and_methods_functions() -> None:
    for stem in ("article_report", "comparison_report", "corpus_report"):
        text = (NOTEBOOKS / f"{stem}.py").read_text("utf-8")
        assert text.count("start_report(") == 1 and "report.methods(" in text, stem
        assert "**Cleaning.**" not in text and "**Periods.**" not in text, stem


def test_methods_text_is_one_bullet_per_topic_in_order() -> None:
    text = methods_markdown("readability", "cleaning")
    assert text.startswith("- **Readability.**") and "\n- **Cleaning.**" in text
    assert text.count("\n- ") == 1 and all(line.startswith(("- ", "  ")) for line in
                                             text.splitlines())
    assert set(METHODS) >= {"cleaning", "quotes", "sides", "terms", "keyness", "readability"}
    with pytest.raises(KeyError, match="unknown methods topic"):
        methods_markdown("astrology")
