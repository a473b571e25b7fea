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

from research_kit import figures
from research_kit.reports.findings import own_voice_contrasts, quoted_words_by_side
from research_kit.reports.manifest import interrupts_deferred, publish, read_manifest
from research_kit.reports.present import figure_svg, shorten, table_html


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
    (finding,) = own_voice_contrasts(usage, "outlet", ["Mirror", "commonspace.eu"], ref="t")
    assert finding.text == ("commonspace.eu (4 times) uses “de facto” in its own voice; "
                            "Mirror never does.")
    sourcing = pd.DataFrame({"outlet": ["M", "M"], "side": ["a", "b"], "words": [150, 50]})
    (finding,) = quoted_words_by_side(sourcing, "outlet", ref="s", labels={"a": "Side A"})
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
