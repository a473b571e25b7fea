"""Tables, figures and findings for readers; publishing a run with its manifest entry."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from research_kit import figures, views
from research_kit.interrupts import interrupts_deferred
from research_kit.reports.findings import (
    largest_differences,
    no_clear_difference,
    own_voice_contrasts,
    quoted_words_by_side,
    shared_texts,
)
from research_kit.reports.manifest import publish, read_manifest
from research_kit.reports.present import figure_svg, shorten, table_html
from research_kit.views import footnotes


def test_table_for_readers_has_labels_no_index_no_nan_and_aligned_numbers() -> None:
    frame = pd.DataFrame({
        "side": ["karabakh_armenian_authorities", None],
        "words": [192, 13],
        "share_of_words": [0.8930, np.nan],
        "cue": ["said", float("nan")],
        "text": ["<b>word</b> " * 30, "short"],
    }, index=[7, 8])
    html = table_html(frame, "Quoted words by side", 3, anchor="table-3",
                      labels={"karabakh_armenian_authorities": "Karabakh Armenian authorities"},
                      max_chars=40)
    assert '<span class="rk-number">Table 3.</span> Quoted words by side' in html
    assert "Karabakh Armenian authorities" in html and "share of quoted words" in html
    assert ">7<" not in html and ">8<" not in html  # no index column
    assert "nan" not in html.lower() and "None" not in html and html.count(">–<") == 3
    assert '<td class="num">0.893</td>' in html and '<td class="num">192</td>' in html
    assert "&lt;b&gt;word&lt;/b&gt;" in html and "<b>" not in html
    assert "…" in html


def test_shorten_cuts_at_a_word() -> None:
    assert shorten("integration into Azerbaijan is proposed", 30) == "integration into Azerbaijan …"
    assert shorten("short text", 30) == "short text"


def test_empty_table_says_so_in_words() -> None:
    html = table_html(pd.DataFrame(columns=["term"]), "Legitimacy labels", 1, anchor="t",
                      empty="No legitimacy label occurs in these 3 articles.")
    assert "No legitimacy label occurs in these 3 articles." in html and "<table" not in html


def test_dollar_signs_in_labels_are_text_not_mathematics_and_svg_has_no_date() -> None:
    """`$x^2$` would be mathtext (or fail to parse, `Fox $`): drawn as text instead. That the
    bytes are the same on every run is tested on whole reports (test_reports)."""
    usage = pd.DataFrame({"outlet": ["$ally$", "Fox $"], "term": ["$x^2$", "b"],
                          "voice": ["authorial", "quoted"], "n": [1, 2],
                          "per_1000_words": [1.0, 2.0]})
    fig = figures.plot_term_usage(usage, by="outlet")
    svg = figure_svg(fig)
    plt.close(fig)
    assert b"<dc:date>" not in svg and svg.count(b"<path") > 10


def test_report_colours_stay_with_their_group() -> None:
    colors = figures.group_colors(["a", "b", "c"])
    assert figures._colors(["c"], colors) == {"c": colors["c"]}


def test_findings_from_tables() -> None:
    usage = pd.DataFrame({"outlet": ["commonspace.eu", "Mirror"], "term": ["de facto", "x"],
                          "voice": ["authorial", "quoted"], "n": [4, 1]})
    (finding,) = own_voice_contrasts(usage, "outlet", ["Mirror", "commonspace.eu"], refs=["t"])
    assert finding.text == ("commonspace.eu (4 times) uses “de facto” in its own voice; "
                            "Mirror never does.")
    sourcing = pd.DataFrame({"outlet": ["M", "M"], "side": ["a", "b"], "words": [150, 50]})
    (finding,) = quoted_words_by_side(sourcing, "outlet", refs=["s"], labels={"a": "Side A"})
    assert finding.text == ("Of the 200 words M quotes, by the speaker's side: "
                            "Side A 150 (75%); b 50 (25%).")
    assert finding.refs == ("s",)


def test_publish_writes_files_and_entry_together_and_drops_stale_files(tmp_path: Path) -> None:
    manifest = publish(tmp_path, {"outputs": {}}, "r", {"r.html": b"1", "r/tables/a.csv": b"a"},
                       {"files": {"r.html": "h1", "r/tables/a.csv": "ha"}})
    manifest = publish(tmp_path, manifest, "r", {"r.html": b"2"}, {"files": {"r.html": "h2"}})
    assert read_manifest(tmp_path) == manifest == {"outputs": {"r": {"files": {"r.html": "h2"}}}}
    assert (tmp_path / "r.html").read_bytes() == b"2"
    assert not (tmp_path / "r" / "tables" / "a.csv").exists()
    assert not list(tmp_path.rglob(".*.tmp"))


def test_ctrl_c_during_a_publish_waits_until_it_is_complete(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), interrupts_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        (tmp_path / "done").write_text("yes", "utf-8")
    assert (tmp_path / "done").read_text("utf-8") == "yes"
    assert json.dumps(read_manifest(tmp_path)) == '{"outputs": {}}'


def test_findings_state_their_uncertainty_from_the_intervals_and_tests() -> None:
    usage = pd.DataFrame({"outlet": ["C", "M"], "term": ["de facto", "x"],
                          "voice": ["authorial", "quoted"], "n": [4, 1]})
    rates = pd.DataFrame({"outlet": ["C", "M"], "term": ["de facto", "de facto"],
                          "per_1000_words": [12.38, 0.0], "low": [3.37, 0.0],
                          "high": [31.71, 9.32]})
    differences = pd.DataFrame({"category": "c", "term": ["de facto"] * 2, "outlet": ["C", "M"],
                                "n": [4, 0], "g2": 6.429, "df": 1, "p": 0.0112,
                                "p_adjusted": 0.0112, "log_ratio": [3.46, -3.46],
                                "low": [-0.75, -7.68], "high": [7.68, 0.75], "note": "few"})
    (finding,) = own_voice_contrasts(usage, "outlet", ["C", "M"], refs=["t"], rates=rates,
                                     differences=differences)
    assert finding.uncertainty == ("Per 1,000 words, all voices [95% interval]: "
                                   "C 12.38 [3.37, 31.71]; M 0.00 [0.00, 9.32]. "
                                   "G² = 6.43, adjusted p = 0.011; few.")
    assert finding.subject == "de facto"
    (clear,) = largest_differences(differences, "outlet", refs=["d"])
    assert clear.text.startswith("“de facto” is more frequent in C") and "3.46" in clear.text
    assert largest_differences(differences, "outlet", refs=["d"], skip=["de facto"]) == []
    assert no_clear_difference([differences], "outlet", refs=["d"]) == []
    (none,) = no_clear_difference([differences.assign(p_adjusted=0.5)], "outlet", refs=["d"])
    assert "adjusted p = 0.500" in none.text
    sourcing = pd.DataFrame({"outlet": ["M", "M"], "side": ["a", "b"], "words": [150, 50],
                             "articles": [12, 12], "share_low": [0.6, 0.1],
                             "share_high": [0.9, 0.4]})
    (quoted,) = quoted_words_by_side(sourcing, "outlet", refs=["s"])
    assert quoted.uncertainty == "95% intervals of the shares: a 60% to 90%; b 10% to 40%."


def test_own_voice_contrasts_put_clear_differences_first_and_say_when_one_is_not() -> None:
    """A contrast used more often but not a clear difference follows a clear one, and says
    plainly that it is not clear (AllSides once led with "election integrity", p = 0.282)."""
    usage = pd.DataFrame({"outlet": ["A", "A"], "term": ["often", "clear"],
                          "voice": ["authorial", "authorial"], "n": [9, 3]})
    differences = pd.DataFrame({"term": ["often", "clear"], "g2": [1.2, 8.0],
                                "p_adjusted": [0.282, 0.004], "note": ["", ""]})
    first, second = own_voice_contrasts(usage, "outlet", ["A", "B"], refs=["t"],
                                        differences=differences)
    assert (first.subject, second.subject) == ("clear", "often")
    assert first.uncertainty == "G² = 8.00, adjusted p = 0.004."
    assert second.uncertainty == ("G² = 1.20, adjusted p = 0.282: not a clear difference "
                                  "(adjusted p not below 0.05).")
    # Without tests the most frequent contrast leads, as before.
    (only,) = own_voice_contrasts(usage, "outlet", ["A", "B"], refs=["t"], top=1)
    assert only.subject == "often"


def test_shared_texts_finding_says_the_difference_is_not_the_groups_own() -> None:
    rows = [{"id": "b", "outlet": "B", "first_id": "a", "first_outlet": "A", "share": 0.9}]
    finding = shared_texts(rows, "outlet", refs=["x"])
    assert "1 article repeats the text of another outlet's article (A and B)" in finding.text
    assert "No two outlet groups printed the same text" in shared_texts([], "outlet").text


def test_caveats_become_letters_with_one_legend() -> None:
    codes, legend = footnotes(pd.Series(["small; few", "", None, "few"]))
    assert codes.tolist() == ["a, b", "", "", "b"] and legend == "a: small; b: few"


def test_numbers_with_intervals_are_right_aligned_and_wide_tables_marked() -> None:
    narrow = table_html(pd.DataFrame({"term": ["x"], "rate": ["-1.52 [-4.28, 1.24]"]}), "c", 1,
                        anchor="t")
    assert '<td class="num">-1.52 [-4.28, 1.24]</td>' in narrow and "rk-wide" not in narrow
    wide = pd.DataFrame({f"log2 ratio, group {i}": ["-1.52 [-4.28, 1.24]"] for i in range(8)})
    assert "rk-wide" in table_html(wide, "c", 1, anchor="t")
    hyphenated = pd.DataFrame({"event": ["2023-03-27-baku-reintegration-offer"], "n": [1]})
    assert "rk-wide" not in table_html(hyphenated, "c", 1, anchor="t")


def test_voice_counts_list_every_shown_group_with_zeros() -> None:
    usage = pd.DataFrame({"outlet": ["C", "C"], "category": "labels", "term": ["de facto"] * 2,
                          "voice": ["authorial", "quoted"], "n": [4, 1]})
    table = views.voice_counts(usage, "outlet", ["de facto"], ["C", "M"]).reset_index()
    assert table.to_dict("list") == {
        "category": ["labels", "labels"], "term": ["de facto", "de facto"],
        "outlet": ["C", "M"], "headline": [0, 0], "authorial": [4, 0], "quoted": [1, 0],
        "all voices": [5, 0]}


def test_a_wide_table_is_printed_on_a_landscape_page_then_portrait_again() -> None:
    """WeasyPrint applies a named page only through block boxes: checked on the real template."""
    import io

    import nbformat
    from pypdf import PdfReader

    from research_kit.reports import render_html, render_pdf

    wide = pd.DataFrame({f"log2 ratio, group {i}": ["-1.52 [-4.28, 1.24]"] for i in range(8)})
    cells = [nbformat.v4.new_markdown_cell("# Report"),
             nbformat.v4.new_markdown_cell("## One\n\nThe section's heading and text."),
             nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
                 "display_data", {"text/html": table_html(wide, "Wide", 1, anchor="t1")})]),
             nbformat.v4.new_markdown_cell("More of section One, after its wide table."),
             nbformat.v4.new_markdown_cell("## Two\n\nAfter the wide section.")]
    html = render_html(nbformat.v4.new_notebook(cells=cells), "t")
    reader = PdfReader(io.BytesIO(render_pdf(html)))
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
             for p in reader.pages]
    assert sizes == [(595, 842), (842, 595), (595, 842)]
    # The whole section is on the landscape page: its heading, the table and what follows it.
    landscape = reader.pages[1].extract_text()
    assert "heading and text" in landscape and "Table 1." in landscape
    assert "More of section One" in landscape
    assert "heading and text" not in reader.pages[0].extract_text()


def test_report_tables_do_not_import_the_reports_stage() -> None:
    """The pipeline runs one way: the tables of `views` feed the reports, never the reverse."""
    import ast

    import research_kit.views

    tree = ast.parse(Path(research_kit.views.__file__).read_text("utf-8"))
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert imported and not [m for m in imported if m == "reports" or m.startswith("reports.")]


def test_captions_count_in_words_singular_plural_and_all() -> None:
    from research_kit.views import counted, selection

    assert (counted(1, "term"), counted(1479, "article")) == ("1 term", "1,479 articles")
    assert selection(1, 1, "term", "used most often") == "the only term"
    assert selection(3, 3, "term", "used most often") == "all 3 terms"
    assert selection(15, 40, "term", "used most often") == "the 15 of 40 terms used most often"
    assert selection(1, 40, "event", "with the most articles") == (
        "the one of 40 events with the most articles")


def test_key_findings_put_clear_differences_before_unclear_ones_across_roles() -> None:
    """The comparison report's list: an own-voice contrast that is not a clear difference (one
    role) comes after a clear one (a later role), whatever the order of the roles."""
    from research_kit.comparison import RoleResult, key_findings

    def role(name: str, term: str, p: float) -> RoleResult:
        usage = pd.DataFrame({"outlet": ["A"], "category": [name], "term": [term],
                              "voice": ["authorial"], "n": [5]})
        result = RoleResult(name, usage)
        result.differences = pd.DataFrame({
            "category": name, "term": [term, term], "outlet": ["A", "B"], "n": [5, 0],
            "g2": 4.0, "df": 1, "p": p, "p_adjusted": p, "log_ratio": [2.0, -2.0],
            "low": [0.5, -3.0], "high": [3.0, -0.5], "note": ""})
        result.keys = {"counts": f"{name}-counts", "differences": f"{name}-differences"}
        return result

    from types import SimpleNamespace

    findings = key_findings(SimpleNamespace(labels={}), "outlet", ["A", "B"],  # type: ignore[arg-type]
                            [role("framing", "unclear term", 0.3), role("labels", "clear", 0.01)],
                            pd.DataFrame(), [])
    subjects = [f.subject for f in findings if f.subject]
    assert subjects.index("clear") < subjects.index("unclear term")
    assert [f.unclear for f in findings if f.subject == "unclear term"] == [True]


def test_key_terms_put_the_framing_and_label_vocabulary_first() -> None:
    from research_kit import load_lexicon

    def match(term: str, category: str, location: str = "body") -> dict[str, str]:
        return {"term": term, "category": category, "location": location}

    record = {"terms": [match("Karabakh", "place_names")] * 5 + [
        match("de facto", "legitimacy_labels")] * 2 + [
        match("reintegration", "baku_framing"), match("reintegration", "baku_framing", "title"),
        match("international negotiation format", "stepanakert_framing"),
        match("blocked", "blockade", "title")]}
    lexicon = load_lexicon()
    assert views.key_terms(record, lexicon) == [
        "de facto", "international negotiation format", "reintegration", "Karabakh"]
    assert views.key_terms(record, lexicon, limit=2) == [
        "de facto", "international negotiation format"]
    assert views.key_terms({"terms": []}, lexicon) == []
