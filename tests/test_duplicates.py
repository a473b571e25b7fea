"""Near-duplicates: planted copies found in corpus order, marked or dropped, across outlets."""

from __future__ import annotations

import json
from pathlib import Path

from research_kit import iter_records
from research_kit.duplicates import THRESHOLD, mark_duplicates, shared_texts

STORY = (
    "Officials from Armenia and Azerbaijan met in Brussels on Monday for talks that lasted "
    "more than six hours, the European Union said in a statement after the meeting. The two "
    "sides agreed to meet again next month and to set up a working group on the border, "
    "although neither would say where the group would meet or who would lead it. Diplomats "
    "said the atmosphere had been constructive but that no agreement on the main issues was "
    "in sight, and that the next round would test whether the talks could go further."
)
OTHER = (
    "The central bank raised interest rates by half a point on Thursday, its fourth rise this "
    "year, saying that inflation had not yet come down as fast as it had hoped. Economists had "
    "expected a smaller rise. Mortgage lenders said they would pass the increase on to "
    "borrowers within days, and business groups warned that investment would suffer."
)


def _corpus(tmp_path: Path) -> Path:
    rows = [
        {"id": "wire", "outlet": "Wire", "title": "Talks in Brussels", "text": STORY},
        {"id": "bank", "outlet": "Daily", "title": "Rates rise", "text": OTHER},
        {"id": "reprint", "outlet": "Daily", "title": "Armenia and Azerbaijan meet",
         "text": "By a staff writer\n\n" + STORY.replace("on Monday", "on Monday, 3 April")},
        {"id": "trimmed", "outlet": "Weekly", "title": "Brussels talks",
         "text": STORY.rsplit(" Diplomats", 1)[0] + " The meeting ended at night."},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return path


def test_planted_copies_are_marked_with_the_first_copy_and_share(tmp_path: Path) -> None:
    records = list(mark_duplicates(iter_records([_corpus(tmp_path)]), "mark"))
    marks = {r["id"]: (r["duplicate_group"], r["duplicate_share"]) for r in records}
    assert marks["wire"] == (None, None) and marks["bank"] == (None, None)
    assert marks["reprint"][0] == "wire" and marks["reprint"][1] > 0.8
    assert marks["trimmed"][0] == "wire" and THRESHOLD <= marks["trimmed"][1] < 1


def test_drop_keeps_the_first_copy_only(tmp_path: Path) -> None:
    kept = [r["id"] for r in mark_duplicates(iter_records([_corpus(tmp_path)]), "drop")]
    assert kept == ["wire", "bank"]


def test_keep_leaves_records_as_analysed(tmp_path: Path) -> None:
    records = list(mark_duplicates(iter_records([_corpus(tmp_path)]), "keep"))
    assert [r["duplicate_group"] for r in records] == [None] * 4


def test_reports_learn_which_outlets_printed_the_same_text(tmp_path: Path) -> None:
    rows = shared_texts(iter_records([_corpus(tmp_path)]), by="outlet")
    assert [(r["outlet"], r["first_outlet"], r["first_id"]) for r in rows] == [
        ("Daily", "Wire", "wire"), ("Weekly", "Wire", "wire")]


def test_seeds_are_not_duplicates_of_each_other(seed_records: dict) -> None:
    marked = list(mark_duplicates([dict(r) for r in seed_records.values()], "mark"))
    assert all(r["duplicate_group"] is None for r in marked)


def test_analyze_command_marks_or_drops(tmp_path: Path, capsys) -> None:
    from research_kit.cli import main

    corpus = _corpus(tmp_path)
    assert main(["analyze", str(corpus), "--json", "--duplicates", "mark", "--quiet"]) == 0
    marked = json.loads(capsys.readouterr().out)
    assert [r["duplicate_group"] for r in marked] == [None, None, "wire", "wire"]
    assert main(["analyze", str(corpus), "--json", "--duplicates", "drop", "--quiet"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["wire", "bank"]


def _distinct_articles(count: int) -> list[dict]:
    """`count` articles with no text in common (each word is its own number)."""
    return [{"id": str(n), "body": " ".join(f"w{n}x{i}" for i in range(40))}
            for n in range(count)]


def test_the_index_lives_on_disk_and_is_deleted_when_the_pass_ends(
    tmp_path: Path, monkeypatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    passing = mark_duplicates(iter(_distinct_articles(3)), "mark")
    next(passing)
    (folder,) = tmp_path.iterdir()
    assert [f.suffix for f in folder.iterdir()] == [".sqlite"]
    passing.close()  # a consumer that stops early (Ctrl-C, --strict) still deletes it
    assert list(tmp_path.iterdir()) == []
    list(mark_duplicates(iter(_distinct_articles(3)), "drop"))
    assert list(tmp_path.iterdir()) == []


def test_python_memory_does_not_grow_with_the_corpus() -> None:
    """The index keeps nothing per article in Python (it held ~2.4 KB each in memory before)."""
    import tracemalloc

    articles = [{**a, "duplicate_group": None, "duplicate_share": None}  # marks change nothing
                for a in _distinct_articles(1500)]
    tracemalloc.start()
    try:
        passing = mark_duplicates(iter(articles), "mark")
        for _ in range(500):
            next(passing)
        after_500 = tracemalloc.get_traced_memory()[0]
        assert sum(1 for _ in passing) == 1000
        after_1500 = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert after_1500 - after_500 < 50_000  # bytes, for 1,000 more articles


def test_the_api_marks_as_the_command_does_with_the_same_default(tmp_path: Path, capsys) -> None:
    import research_kit as rk
    from research_kit.cli import main

    def marks(records: list[dict]) -> list[tuple]:
        return [(r["id"], r["duplicate_group"], r["duplicate_share"]) for r in records]

    corpus = _corpus(tmp_path)
    for mode in ("keep", "mark", "drop"):
        assert main(["analyze", str(corpus), "--json", "--duplicates", mode, "--quiet"]) == 0
        assert marks(rk.analyze([corpus], duplicates=mode)) == marks(
            json.loads(capsys.readouterr().out))
    assert marks(rk.analyze([corpus])) == marks(rk.analyze([corpus], duplicates="keep"))
    assert main(["analyze", str(corpus), "--json", "--quiet"]) == 0
    assert {r["duplicate_group"] for r in json.loads(capsys.readouterr().out)} == {None}


def test_an_unknown_mode_is_refused_before_the_corpus_is_read(tmp_path: Path) -> None:
    import pytest

    import research_kit as rk

    with pytest.raises(rk.ResearchKitError, match="'marks'; use one of keep, mark, drop"):
        rk.analyze([tmp_path / "absent"], duplicates="marks")


def test_corpus_tables_carry_the_marks_or_lose_the_copies(tmp_path: Path) -> None:
    import research_kit as rk

    corpus = _corpus(tmp_path)
    articles = rk.load_corpus([corpus], duplicates="mark").articles
    assert articles["duplicate_group"].fillna("").tolist() == ["", "", "wire", "wire"]
    assert articles["duplicate_share"].iloc[:2].isna().all()
    assert (articles["duplicate_share"].iloc[2:] >= THRESHOLD).all()
    assert rk.load_corpus([corpus], duplicates="drop").articles["id"].tolist() == ["wire", "bank"]
    assert rk.load_corpus([corpus]).articles["duplicate_group"].isna().all()


def test_shared_texts_groups_by_an_extra_column(tmp_path: Path) -> None:
    import research_kit as rk

    rows = [json.loads(line) for line in _corpus(tmp_path).read_text("utf-8").splitlines()]
    for row, stance in zip(rows, ["left", "left", "right", "left"], strict=True):
        row["stance"] = stance
    path = tmp_path / "stances.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    (row,) = rk.shared_texts(rk.analyze([path]), by="stance")
    assert (row["id"], row["stance"], row["first_id"], row["first_stance"]) == (
        "reprint", "right", "wire", "left")
    assert row["share"] > 0.8
