"""The comparison report on corpora unlike the seeds: another lexicon, awkward small corpora,
and the AllSides development corpus (one event, all events, by outlet and by stance)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, shared_path
from reader_checks import lexicon_ids, reader_problems
from research_kit.lexicon import default_lexicon_path

US_POLITICS = default_lexicon_path().with_name("us_politics.yml")
NOTEBOOKS = ROOT / "notebooks"

ARTICLES = [
    ("a1", "e1", "Left Daily", "left",
     "Senators debated the Affordable Care Act on Monday.\n\n“Undocumented immigrants deserve "
     "care,” Joe Biden said. Critics called the riot an insurrection."),
    ("a2", "e1", "Right Times", "right",
     "Republicans vowed to repeal Obamacare.\n\nIllegal immigrants crossed the border, the "
     "report said. “This is about election integrity,” Donald Trump said."),
    ("a3", "e2", "Centre Post", "center",
     "Pro-life groups and abortion rights groups rallied.\n\nThe rally was peaceful."),
    ("a4", "e2", "Right Times", "right",
     "Pro-life marchers gathered.\n\n“We defend the unborn child,” Ron DeSantis said."),
]


def _corpus(tmp_path: Path) -> Path:
    path = tmp_path / "us.jsonl"
    path.write_text("".join(json.dumps({"id": key, "event_id": event, "outlet": outlet,
                                        "stance": stance, "date": "2021-06-01", "text": text})
                            + "\n" for key, event, outlet, stance, text in ARTICLES), "utf-8")
    return path


def _run(notebook: str, tmp_path: Path, **parameters: object) -> str:
    """Execute a report notebook; its cells' outputs as one text (errors fail the run)."""
    import papermill

    out = tmp_path / f"{notebook}-out.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / f"{notebook}.ipynb"), str(out),
                               parameters=parameters, kernel_name="research-kit",
                               cwd=str(tmp_path), progress_bar=False, log_output=False)
    cells = json.loads(out.read_text("utf-8"))["cells"]
    text = json.dumps([c.get("outputs", []) for c in cells])
    assert '"ename"' not in text and "Traceback" not in text
    return text


@pytest.mark.slow
def test_every_report_runs_on_the_second_example_lexicon(tmp_path: Path) -> None:
    corpus, lexicon = str(_corpus(tmp_path)), str(US_POLITICS)
    text = _run("comparison_report", tmp_path, corpus=corpus, lexicon=lexicon, event_id="all",
                group_by="stance", tables_dir=str(tmp_path / "tables"))
    for finding in ("Obamacare", "Affordable Care Act", "illegal immigrant",
                    "undocumented immigrant", "pro-life", "insurrection", "Republicans",
                    "Holding the event fixed", "log2 ratio"):
        assert finding in text, finding
    assert "has no category with the role" in text  # us_politics has no role "other"
    assert list((tmp_path / "tables" / "tables").glob("*-names-rates.csv"))
    assert list((tmp_path / "tables" / "figures").glob("*-framing-figure.svg"))
    text = _run("article_report", tmp_path, corpus=corpus, lexicon=lexicon, article_id="a2")
    assert "Obamacare" in text
    text = _run("corpus_report", tmp_path, corpus=corpus, lexicon=lexicon, group_by="stance")
    assert "right" in text and "pro-life" in text


@pytest.mark.slow
def test_empty_sections_say_what_is_missing(tmp_path: Path) -> None:
    corpus = tmp_path / "one"
    corpus.mkdir()
    (corpus / "plain.txt").write_text("Weather report\n\nIt rained in the valley all day.",
                                      "utf-8")
    text = _run("comparison_report", tmp_path, corpus=str(corpus), event_id="all")
    assert "No label (legitimacy labels) occurs in this article." in text
    assert "No attributed quote occurs in this article." in text
    assert "Only one outlet" not in text  # nothing matched, so no test section at all


@pytest.mark.slow
@pytest.mark.parametrize(("event_id", "group_by"), [("5607", "outlet"), ("all", "stance"),
                                                    ("all", "outlet")])
def test_allsides_comparison(tmp_path: Path, event_id: str, group_by: str) -> None:
    corpus = shared_path("data", "allsides", "allsides-2021.jsonl")
    text = _run("comparison_report", tmp_path, corpus=str(corpus), lexicon=str(US_POLITICS),
                event_id=event_id, group_by=group_by)
    assert "Events and groups" in text or re.search(r"\d events?, ", text)
    if event_id == "all":
        assert re.search(r"\d events, 1,479 articles", text) and "Holding the event fixed" in text


@pytest.mark.slow
def test_the_comparison_report_uses_the_speaker_aliases_and_shows_sourcing_and_naming(
    tmp_path: Path,
) -> None:
    """Issue 12: a user's aliases file reaches the report, which also tabulates speaker types
    per group and how each group names the actors it quotes."""
    aliases = tmp_path / "aliases.yml"
    aliases.write_text("speakers:\n  Karabakh Foreign Ministry: [Karabakh Foreign Ministry]\n",
                       encoding="utf-8")
    text = _run("comparison_report", tmp_path, aliases=str(aliases))
    assert "Attributed quotes by speaker type and outlet" in text
    assert "How each outlet names the actors it quotes" in text
    plain = _run("comparison_report", tmp_path)
    # Split off by the aliases, the ministry is a speaker of its own in the speaker tables.
    assert text.count("Karabakh Foreign Ministry") > plain.count("Karabakh Foreign Ministry")
    assert "Karabakh Armenian authorities" in plain


@pytest.mark.slow
def test_allsides_comparison_pdf_reads_as_a_paper_appendix(tmp_path: Path) -> None:
    """The README's AllSides command: the PDF passes the reader checks (no broken word, no
    nan, nothing cut off at the page edge, no raw identifier, every table numbered)."""
    corpus = shared_path("data", "allsides", "allsides-2021.jsonl")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "research-kit"), "report",
         "notebooks/comparison_report.ipynb", "-p", "corpus", str(corpus), "-p", "lexicon",
         str(US_POLITICS), "-p", "event_id", "all", "-p", "group_by", "stance", "--output",
         "allsides", "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
        timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    assert reader_problems(tmp_path / "allsides.html", tmp_path / "allsides.pdf",
                           lexicon_ids(US_POLITICS)) == []
    html = (tmp_path / "allsides.html").read_text("utf-8")
    assert html.index('class="rk-findings"') < html.index("Table 1.")
