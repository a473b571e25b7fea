"""Every corpus table, view and figure on awkward corpora: no match, no quotes, one article,
missing metadata, many groups, a lexicon without the Karabakh categories."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from research_kit import (
    Document,
    ResearchKitError,
    analyze_document,
    figures,
    load_lexicon,
    readability_frame,
    views,
)
from research_kit import corpus as ct

OTHER_LEXICON = """\
name: weather
categories:
  storms:
    terms:
      hurricane: [hurricane]
      storm: [storm]
  calm:
    terms:
      sunshine: [sunshine]
"""


def _doc(key: str, text: str, **meta: str) -> Document:
    return Document(id=key, path=f"{key}.txt", format="txt", text=text, meta=meta)


def _records(docs: list[Document], lexicon_path: Path | None = None) -> list[dict]:
    lexicon = load_lexicon(lexicon_path)
    return [analyze_document(doc, lexicon=lexicon) for doc in docs]


@pytest.fixture(scope="module")
def weather(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lexicon") / "weather.yml"
    path.write_text(OTHER_LEXICON, "utf-8")
    return path


PLAIN = "Storm clouds gathered over the harbour on Monday.\n\nFishermen stayed at home."
QUOTED = ('A hurricane is coming, the mayor said.\n\n“We are ready for the storm,” '
          "Mayor Jane Smith told reporters on Tuesday.")


def test_a_category_with_no_match_gives_an_empty_table_not_an_error() -> None:
    records = _records([_doc("a", PLAIN, outlet="A"), _doc("b", PLAIN, outlet="B")])
    usage = ct.textstat_frequency(records, groups="outlet", categories=["legitimacy_labels"])
    assert usage.empty and list(usage.columns) == ["outlet", "category", "term", "voice", "n",
                                                   "per_1000_words"]
    assert views.side_by_side(usage).empty
    note = views.or_note(views.side_by_side(usage), "No legitimacy label occurs in "
                         f"{views.articles_phrase(records)}.")
    assert "No legitimacy label occurs in these 2 articles." in note.data
    plt.close(figures.plot_term_usage(usage, by="outlet"))


def test_no_outlet_no_date_and_one_article(weather: Path) -> None:
    records = _records([_doc("only", QUOTED)], weather)
    assert records[0]["outlet"] is None and records[0]["date"] is None
    usage = ct.textstat_frequency(records, groups="outlet", period="month")
    assert set(usage["outlet"]) == {"(unknown)"} and set(usage["month"]) == {"(undated)"}
    assert usage["n"].sum() == 2
    overview = ct.corpus_overview(records, groups="outlet", period="week")
    assert overview[["week", "outlet", "articles"]].values.tolist() == [
        ["(undated)", "(unknown)", 1]]
    sourcing = ct.textstat_sourcing(records, groups="outlet")
    assert sourcing["outlet"].tolist() == ["(unknown)"] * len(sourcing) and len(sourcing)
    assert views.group_keyness(records) == {}  # one group: nothing to compare against
    table = views.readability_table(records)
    assert table.columns.tolist() == ["(unknown)"]
    assert views.articles_phrase(records) == "this article"
    for fig in (figures.plot_term_usage(usage.drop(columns="month"), by="outlet"),
                figures.plot_quoted_words(sourcing, by="outlet"),
                figures.plot_readability(readability_frame(records).fillna("(unknown)"))):
        plt.close(fig)


def test_an_outlet_without_quotes_and_a_lexicon_without_sides(weather: Path) -> None:
    records = _records([_doc("a", PLAIN, outlet="Quiet"), _doc("b", QUOTED, outlet="Loud")],
                       weather)
    sourcing = ct.textstat_sourcing(records)
    assert set(sourcing["outlet"]) == {"Loud"}  # Quiet quotes nobody: no row, no error
    assert set(sourcing["side"]) == {"(unassigned)"}  # this lexicon has no actor map
    who = views.speakers(records)
    assert set(who["outlet"]) == {"Loud"}
    assert views.scare_quote_table(records).empty
    usage = ct.textstat_frequency(records)
    assert usage.groupby("outlet")["n"].sum().to_dict() == {"Loud": 2, "Quiet": 1}
    kwic = views.kwic_table(records, ["hurricane", "sunshine"], load_lexicon(weather))
    assert kwic["concept"].tolist() == ["hurricane"]
    empty = ct.textstat_sourcing(records[:1])
    assert empty.empty and list(empty.columns) == ["outlet", "side", "quotes", "words",
                                                   "share_of_words"]
    plt.close(figures.plot_quoted_words(empty, by="outlet"))


def test_twenty_groups_each_get_a_colour_and_a_row(weather: Path) -> None:
    records = _records([_doc(f"a{i:02}", PLAIN if i % 2 else QUOTED, outlet=f"Outlet {i:02}")
                        for i in range(20)], weather)
    usage = ct.textstat_frequency(records, by_voice=False)
    assert usage["outlet"].nunique() == 20
    assert len(set(figures.group_colors(usage["outlet"]).values())) > 1
    assert len(views.group_keyness(records, top=3)) == 20
    plt.close(figures.plot_term_usage(ct.textstat_frequency(records), by="outlet"))
    plt.close(figures.plot_readability(readability_frame(records)))


def test_records_and_their_reduction_give_the_same_tables(weather: Path) -> None:
    records = _records([_doc("a", PLAIN, outlet="A", date="2024-01-02"),
                        _doc("b", QUOTED, outlet="B", date="2024-02-03")], weather)
    tables = ct.corpus_tables(records)
    assert ct.corpus_tables(tables) is tables
    for function in (ct.textstat_frequency, ct.textstat_sourcing, ct.corpus_overview):
        pd.testing.assert_frame_equal(function(records, period="month"),
                                      function(tables, period="month"))


def test_empty_trend_table_and_top_terms() -> None:
    usage = ct.textstat_frequency(_records([_doc("a", "Nothing here at all.")]),
                                  groups=None, period="month", by_voice=False)
    assert usage.empty and ct.top_terms(usage) == []
    assert ct.trend_table(usage, "month").empty
    plt.close(figures.plot_over_time(ct.trend_table(usage, "month"), ylabel="matches"))


def test_group_by_any_metadata_column_of_a_table(tmp_path: Path) -> None:
    import json

    from research_kit import analyze

    rows = [{"id": f"a{i}", "outlet": f"O{i}", "stance": stance, "event_id": event,
             "tags": ["nested", "ignored"], "text": PLAIN if i % 2 else QUOTED}
            for i, (stance, event) in enumerate([("left", "e1"), ("right", "e1"),
                                                 ("left", "e2"), ("center", "e3")])]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    records = analyze([path])
    assert records[0]["extra"] == {"stance": "left"}  # lists are not grouping metadata
    overview = ct.corpus_overview(records, groups="stance")
    assert overview[["stance", "articles"]].values.tolist() == [["center", 1], ["left", 2],
                                                               ["right", 1]]
    assert views.group_labels(records, "stance")["a3"] == "center"
    events = ct.events_overview(records, groups="stance")
    assert events.index.tolist() == ["e1", "e2", "e3"]
    assert events[("articles", "left")].tolist() == [1, 1, 0]
    assert events[("articles", "all")].tolist() == [2, 1, 1]
    assert [r["id"] for r in views.select_articles(records, event_id=["e1", "e3"])] == [
        "a0", "a1", "a3"]
    assert len(views.select_articles(records, event_id="all")) == 4
    with pytest.raises(ResearchKitError, match="no articles with event_id 'e9'"):
        views.select_articles(records, event_id=["e1", "e9"])
