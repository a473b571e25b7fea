"""The command line as a user meets it: real subprocesses, exit codes, one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import COMMONSPACE, MIRROR, RAW, ROOT
from research_kit.load import sha256_file

pytestmark = pytest.mark.slow  # every test here starts a real process


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "research_kit", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture(scope="module")
def seeds_json() -> list[dict]:
    result = run("analyze", "data/raw", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_analyze_json_shows_both_seeds_with_metadata(seeds_json: list[dict]) -> None:
    by_id = {r["id"]: r for r in seeds_json}
    assert list(by_id) == [COMMONSPACE, MIRROR]
    required = {"id", "title", "byline", "dateline", "source", "body", "paragraphs",
                "removed", "warnings"}
    assert all(required <= set(record) for record in seeds_json)
    mirror, commonspace = by_id[MIRROR], by_id[COMMONSPACE]
    assert mirror["title"] and mirror["byline"] and mirror["dateline"]
    assert commonspace["title"] and commonspace["source"]
    assert mirror["removed"] and commonspace["removed"]  # what is removed: test_clean


def test_analyze_is_deterministic_and_never_writes_raw_data() -> None:
    before = {p.name: sha256_file(p) for p in RAW.iterdir()}
    first, second = run("analyze", "data/raw", "--json"), run("analyze", "data/raw", "--json")
    assert first.stdout == second.stdout
    assert {p.name: sha256_file(p) for p in RAW.iterdir()} == before


def test_console_script_and_summary() -> None:
    script = Path(sys.executable).with_name("research-kit")
    result = subprocess.run([str(script), "analyze", "data/raw"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0
    assert MIRROR in result.stdout and "removed" in result.stdout


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_out_files_round_trip(tmp_path: Path, suffix: str, seeds_json: list[dict]) -> None:
    out = tmp_path / f"articles{suffix}"
    result = run("analyze", "data/raw", "--out", str(out))
    assert result.returncode == 0, result.stderr
    if suffix == ".jsonl":
        rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        assert rows == seeds_json
        return
    frame = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    assert list(frame["id"]) == [COMMONSPACE, MIRROR]
    assert list(frame["body"]) == [r["body"] for r in seeds_json]
    assert json.loads(frame["removed"][1]) == seeds_json[1]["removed"]


def test_missing_path(tmp_path: Path) -> None:
    assert_one_line_error(run("analyze", str(tmp_path / "nope")), "nope", "no such file")


def test_folder_without_articles(tmp_path: Path) -> None:
    assert_one_line_error(run("analyze", str(tmp_path)), str(tmp_path), "no articles found")


def test_csv_without_text_column(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("id,headline\n1,x\n", "utf-8")
    assert_one_line_error(run("analyze", str(path)), "c.csv", "no text column")


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("empty.txt", b"", "empty file"),
    ("binary.txt", b"\x00\x01\x02binary", "binary file"),
])
def test_bad_file_alone(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert_one_line_error(run("analyze", str(path)), name, problem)


def test_tampered_raw_file_reported_others_processed_strict_fatal(tmp_path: Path) -> None:
    corpus = tmp_path / "raw"
    shutil.copytree(RAW, corpus)
    target = corpus / f"{COMMONSPACE}.txt"
    target.chmod(0o644)
    target.write_text(target.read_text("utf-8") + "\nAn extra line.\n", "utf-8")
    result = run("analyze", str(corpus), "--json")
    assert_one_line_error(result, f"{COMMONSPACE}.txt", "SHA-256 does not match")
    assert result.returncode == 1
    assert [r["id"] for r in json.loads(result.stdout)] == [MIRROR]
    strict = run("analyze", str(corpus), "--json", "--strict")
    assert strict.returncode == 2 and "SHA-256 does not match" in strict.stderr


def test_bad_output_type(tmp_path: Path) -> None:
    assert_one_line_error(run("analyze", "data/raw", "--out", str(tmp_path / "x.xlsx")),
                          "x.xlsx", "unsupported output type")


def test_manifest_command_reproduces_the_shipped_manifest() -> None:
    result = run("manifest", "data/raw")
    assert result.returncode == 0
    assert result.stdout == (RAW / "SHA256SUMS").read_text("utf-8")


def test_bad_cleaning_overrides(tmp_path: Path) -> None:
    path = tmp_path / "cleaning.yml"
    path.write_text("keep: ['(']\n", "utf-8")
    assert_one_line_error(run("analyze", "data/raw", "--cleaning", str(path)),
                          "cleaning.yml", "keep 1: invalid pattern")


def test_kwic_command_prints_a_concordance_of_a_lexicon_concept() -> None:
    result = run("kwic", "de facto", "data/raw", "--window", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == ["doc_id", "start", "end", "left", "match", "right"]
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) == 4 and {row[0] for row in rows} == {COMMONSPACE}
    assert all(row[4] == "de facto" for row in rows)


def test_kwic_with_an_invalid_regex_is_a_one_line_error() -> None:
    assert_one_line_error(run("kwic", "(", "data/raw"), "invalid pattern")


def test_bad_lexicon_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.yml"
    path.write_text("name: x\ncategories:\n  labels:\n    terms:\n      bad: {variants: ['']}\n",
                    "utf-8")
    assert_one_line_error(run("analyze", "data/raw", "--lexicon", str(path)), "lexicon.yml")


def test_attribution_and_speech_verb_files(tmp_path: Path) -> None:
    """--attribution/--speech-verbs replace the shipped word lists; a bad one is one line."""
    data = ROOT / "src" / "research_kit" / "data"
    verbs = tmp_path / "verbs.yml"
    verbs.write_text("verbs:\n  - {lemma: say, forms: [say, says, said]}\n", encoding="utf-8")
    result = run("analyze", str(RAW / f"{MIRROR}.txt"), "--json", "--speech-verbs", str(verbs),
                 "--attribution", str(data / "attribution.yml"))
    assert result.returncode == 0, result.stderr
    assert {q["cue"] for q in json.loads(result.stdout)[0]["quotes"]} <= {"said", "says", None}
    bad = tmp_path / "words.yml"
    bad.write_text((data / "attribution.yml").read_text(encoding="utf-8")
                   .replace("titles:", "tittles:"), encoding="utf-8")
    assert_one_line_error(run("analyze", str(RAW / f"{MIRROR}.txt"), "--attribution", str(bad)),
                          str(bad), "unknown key(s) ['tittles']")


def test_option_choices_are_the_modules_own() -> None:
    """The CLI spells `--engine` and `--duplicates` choices itself (importing the modules would
    load the analysis stack); they stay the modules' own."""
    from research_kit import cli, duplicates, engines

    assert cli.ENGINES == engines.ENGINES
    assert cli.DUPLICATE_MODES == duplicates.MODES


def test_reports_command_with_nothing_to_do_loads_no_analysis_stack() -> None:
    """`research-kit --help` and the skip check of `reports` import neither the analysis stack
    nor the notebook runner: what each command needs is imported when it runs."""
    heavy = ("pandas", "textstat", "nltk", "scipy", "matplotlib", "jupyter_client", "papermill",
             "weasyprint", "research_kit.pipeline")
    code = ("import sys\nfrom research_kit import cli\n"
            "from research_kit.reports import execute, load_config, project_root\n"
            "cli.build_parser()\nload_config(project_root() / 'notebooks' / 'reports.yml')\n"
            f"print([m for m in {heavy!r} if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
