"""Reports: papermill runs, byte-identical HTML/PDF, provenance, escaping, failures, Jupyter."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html import unescape
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import COMMONSPACE, MIRROR, ROOT
from reader_checks import lexicon_ids, reader_problems
from research_kit import ResearchKitError
from research_kit.reports import load_config, validate_output_name
from research_kit.reports.manifest import read_manifest

BIN = Path(sys.executable).parent
RUNS = ("article_mirror-spectator", "article_commonspace", "comparison_baku-reintegration-offer",
        "corpus_seeds")
PRESENTED = RUNS
"""Reports whose notebooks show every table and figure through Report.table/figure."""


def reports(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "research-kit"), "reports", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600, check=False)


def digests(folder: Path) -> dict[str, str]:
    """Every file under `folder` (tables and figures too) by its path relative to it."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    result = reports("--out", str(out), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.slow
def test_every_run_publishes_ipynb_html_pdf_and_manifest(published: Path) -> None:
    names = {p.name for p in published.iterdir()}
    assert {f"{run}.{ext}" for run in RUNS for ext in ("ipynb", "html", "pdf")} <= names
    manifest = json.loads((published / "manifest.json").read_text("utf-8"))
    files = digests(published)
    for run in RUNS:
        entry = manifest["outputs"][run]
        assert set(entry["inputs"]) >= {"notebook", "parameters", "corpus", "lexicon", "version"}
        for name, digest in entry["files"].items():
            assert files[name] == digest


@pytest.mark.slow
def test_regeneration_is_byte_identical_and_skips_when_nothing_changed(published: Path) -> None:
    before = digests(published)
    unchanged = reports("--out", str(published))
    assert unchanged.returncode == 0
    assert unchanged.stderr.count("skipped") == len(RUNS)
    forced = reports("--out", str(published), "--force", "--jobs", "2")
    assert forced.returncode == 0, forced.stderr
    assert digests(published) == before


@pytest.mark.slow
def test_html_is_self_contained_with_code_hidden(published: Path) -> None:
    for run in RUNS:
        html = (published / f"{run}.html").read_text("utf-8")
        assert "<script src=" not in html and 'href="http' not in html
        assert "url(http" not in html and "@import" not in html
        assert "import research_kit" not in html  # code cells are hidden
        assert "Provenance" in html and "corpus_manifest_sha256" in html
        assert "How to cite this report" in html


@pytest.mark.slow
def test_comparison_html_holds_the_framing_tables(published: Path) -> None:
    html = (published / "comparison_baku-reintegration-offer.html").read_text("utf-8")
    for heading in ("Framing vocabulary by voice", "legitimacy labels", "Naming choices",
                    "Who gets a voice", "Scare quotes", "Readability", "Keyness",
                    "Key terms in context", "Methods and known limits", "cleaning log"):
        assert heading in html
    for finding in ("de facto", "Khojaly", "near Stepanakert", "international negotiation format",
                    "Karabakh Armenian authorities", "Azerbaijani government"):
        assert finding in html
    assert "karabakh_armenian_authorities" not in html and "baku_framing" not in html
    assert html.count('src="data:image/png;base64') >= 3  # term, quote, readability figures


@pytest.mark.slow
def test_pdf_text_holds_the_key_findings(published: Path) -> None:
    text = " ".join(
        page.extract_text() for page in
        PdfReader(published / "comparison_baku-reintegration-offer.pdf").pages
    )
    for finding in ("Comparison report", "de facto", "Khojaly", "Harutyunyan",
                    "Reintegration", "commonspace.eu", "Mirror-Spectator"):
        assert finding in text


def _corpus_with(tmp_path: Path, text: str) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hostile.txt").write_text(text, "utf-8")
    return corpus


def _config(tmp_path: Path, runs: list[dict]) -> Path:
    config = tmp_path / "reports.yml"
    for run in runs:
        run["notebook"] = str(ROOT / "notebooks" / run["notebook"])
    config.write_text(yaml.safe_dump({"runs": runs}), "utf-8")
    return config


@pytest.mark.slow
def test_article_text_is_escaped_in_reports(tmp_path: Path) -> None:
    corpus = _corpus_with(
        tmp_path,
        "Talks <script>alert('title')</script> in Baku\n\n"
        "The de facto authorities said <img src=x onerror=alert(1)> nothing, officials said. "
        "“We will decide <b>later</b>,” he told reporters.",
    )
    config = _config(tmp_path, [{"notebook": "article_report.ipynb", "output": "hostile",
                                 "parameters": {"article_id": "hostile", "corpus": str(corpus)}}])
    result = reports("--config", str(config), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "hostile.html").read_text("utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>later" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.slow
def test_failing_run_keeps_its_copy_names_cell_and_spares_published(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "broken.html").write_text("previously published", "utf-8")
    config = _config(tmp_path, [
        {"notebook": "article_report.ipynb", "output": "broken",
         "parameters": {"article_id": "no-such-article"}},
        {"notebook": "article_report.ipynb", "output": "fine",
         "parameters": {"article_id": COMMONSPACE}},
    ])
    result = reports("--config", str(config), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    error = next(line for line in result.stderr.splitlines() if "error:" in line)
    assert "article_report.ipynb" in error and "cell" in error and "unknown article id" in error
    assert (out / "failed" / "broken.ipynb").is_file()
    assert (out / "broken.html").read_text("utf-8") == "previously published"
    assert (out / "fine.html").is_file() and (out / "fine.pdf").is_file()


@pytest.mark.parametrize("name", ["../escape", "a/b", ".hidden", "", None, "x" * 200])
def test_output_names_with_paths_are_refused(name: object) -> None:
    with pytest.raises(ResearchKitError, match="output name"):
        validate_output_name(name)


@pytest.mark.slow
def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "reports.yml"
    config.write_text("runs:\n  - notebook: missing.ipynb\n    output: x\n", "utf-8")
    with pytest.raises(ResearchKitError, match="not found"):
        load_config(config)
    result = reports("--config", str(config))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_plain_papermill_cli_from_another_directory(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(BIN / "papermill"), str(ROOT / "notebooks" / "article_report.ipynb"),
         str(tmp_path / "out.ipynb"), "-p", "article_id", MIRROR, "--no-progress-bar"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    executed = json.loads((tmp_path / "out.ipynb").read_text("utf-8"))
    outputs = json.dumps([c.get("outputs", []) for c in executed["cells"]])
    assert "Ruzanna Stepanian" in outputs


def test_notebooks_are_committed_without_outputs_and_with_one_parameters_cell() -> None:
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text("utf-8"))["cells"]
        tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, path.name
        assert all(not c.get("outputs") and not c.get("execution_count")
                   for c in cells if c["cell_type"] == "code"), path.name


def test_citation_cff_is_valid() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors", "version", "type", "license"} <= set(cff)
    assert all("name" in a or "family-names" in a for a in cff["authors"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_jupyterlab_serves_the_notebooks_and_the_project_kernel(tmp_path: Path) -> None:
    port, token = _free_port(), "research-kit-test"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    server = subprocess.Popen(
        [str(BIN / "jupyter"), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}", "--allow-root"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        def get(path: str) -> dict:
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                             headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.load(response)

        deadline = time.monotonic() + 60
        while True:
            try:
                get("/api/status")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        contents = {item["name"] for item in get("/api/contents/notebooks")["content"]}
        assert {"article_report.ipynb", "comparison_report.ipynb", "explore.ipynb"} <= contents
        assert "research-kit" in get("/api/kernelspecs")["kernelspecs"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    shutil.rmtree(tmp_path / "runtime", ignore_errors=True)


@pytest.mark.slow
def test_each_report_writes_its_tables_and_figures_listed_in_the_manifest(published: Path) -> None:
    manifest = read_manifest(published)
    for run in PRESENTED:
        files = manifest["outputs"][run]["files"]
        tables = [name for name in files if name.startswith(f"{run}/tables/")]
        svgs = [name for name in files if name.endswith(".svg")]
        assert tables and all(name.endswith(".csv") for name in tables), run
        assert svgs and all(name[:-4] + ".png" in files for name in svgs), run
        assert {f"{run}/citation.bib", f"{run}/citation.json"} <= set(files), run
        assert json.loads((published / run / "citation.json").read_text("utf-8"))[0]["title"]
        svg = (published / svgs[0]).read_text("utf-8")
        assert "<dc:date>" not in svg


@pytest.mark.slow
def test_pdf_reads_as_the_report_no_broken_words_no_nan_every_table_captioned(
        published: Path) -> None:
    """Read each PDF as a reader does: every word is one of the report's own words (a word split
    across lines would not be), no nan/None, every numbered table and figure is there, no text
    starts past the right margin (a cut-off column), no raw lexicon identifier."""
    from research_kit.lexicon import default_lexicon_path

    raw = lexicon_ids(default_lexicon_path())
    for run in PRESENTED:
        assert reader_problems(published / f"{run}.html", published / f"{run}.pdf", raw) == [], run


@pytest.mark.slow
def test_wide_tables_get_landscape_pages_and_the_text_returns_to_portrait(
        published: Path) -> None:
    """A table marked wide is on an A4 landscape page, and what follows is portrait again."""
    html = (published / "comparison_baku-reintegration-offer.html").read_text("utf-8")
    pages = PdfReader(published / "comparison_baku-reintegration-offer.pdf").pages
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages]
    assert sizes[0] == (595, 842) and sizes[-1] == (595, 842)
    if "rk-wide" in html:
        assert (842, 595) in sizes


@pytest.mark.slow
def test_report_opens_with_findings_written_from_its_tables(published: Path) -> None:
    html = (published / "article_commonspace.html").read_text("utf-8")
    findings = html[html.index('class="rk-findings"'):]
    findings = unescape(findings[:findings.index("</ul>")])
    assert html.index("rk-findings") < html.index("Table 1.")  # findings come first
    assert re.search(r"Of the \d+ words commonspace.eu quotes, by the speaker's side: "
                     r"Karabakh Armenian authorities \d+", findings)
    assert "(Table 4)" in findings  # pointing to the speakers table
    assert 'class="rk-contents"' in html  # a table of contents


@pytest.mark.slow
def test_one_report_from_the_command_line_runs_once_then_skips(tmp_path: Path) -> None:
    command = [str(BIN / "research-kit"), "report", "notebooks/article_report.ipynb",
               "-p", "article_id", MIRROR, "--output", "mine", "--out", str(tmp_path)]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600,
                           check=False)
    assert first.returncode == 0, first.stderr
    assert {"mine.ipynb", "mine.html", "mine.pdf"} <= {p.name for p in tmp_path.iterdir()}
    assert "IPKernelApp" not in first.stderr and "KeyboardInterrupt" not in first.stderr
    entry = read_manifest(tmp_path)["outputs"]["mine"]
    assert entry["parameters"] == {"article_id": MIRROR}
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600,
                           check=False)
    assert again.returncode == 0 and "skipped: mine" in again.stderr


def test_unknown_parameter_names_it_and_the_notebooks_parameters(tmp_path: Path) -> None:
    config = _config(tmp_path, [{"notebook": "article_report.ipynb", "output": "x",
                                 "parameters": {"artcle_id": MIRROR}}])
    with pytest.raises(ResearchKitError) as error:
        load_config(config)
    message = str(error.value)
    assert "artcle_id" in message and "article_id, corpus, lexicon, kwic_terms" in message


def test_a_corpus_outside_the_project_is_named_relative_to_it(tmp_path: Path) -> None:
    from research_kit.reports.config import command_run

    corpus = tmp_path / "beside" / "corpus.jsonl"
    corpus.parent.mkdir()
    corpus.write_text('{"text": "x"}\n', "utf-8")
    run = command_run(ROOT / "notebooks" / "comparison_report.ipynb", "x",
                      {"corpus": "beside/corpus.jsonl"}, cwd=tmp_path)
    given = run.parameters["corpus"]
    assert not Path(given).is_absolute()
    assert (ROOT / given).resolve() == corpus.resolve()


@pytest.mark.parametrize("lexicon", ["missing.yml", "."])
def test_lexicon_parameter_must_name_a_file(tmp_path: Path, lexicon: str) -> None:
    config = _config(tmp_path, [{"notebook": "article_report.ipynb", "output": "x",
                                 "parameters": {"lexicon": str(tmp_path / lexicon)}}])
    with pytest.raises(ResearchKitError, match=r"lexicon .*(does not exist|is a folder)"):
        load_config(config)


@pytest.mark.slow
def test_reports_out_naming_a_file_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("keep", "utf-8")
    result = reports("--out", str(target), "--force")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "not a folder" in result.stderr and target.read_text("utf-8") == "keep"


@pytest.mark.slow
def test_a_copy_of_the_project_in_another_folder_gives_the_same_bytes(tmp_path: Path) -> None:
    """Same inputs, two folders: the report, its tables and figures are byte-identical."""
    outputs = []
    for name in ("first", "second-folder/deeper"):
        project = tmp_path / name
        for part in ("notebooks", "data"):
            shutil.copytree(ROOT / part, project / part)
        shutil.copy(ROOT / "CITATION.cff", project)
        result = subprocess.run(
            [str(BIN / "research-kit"), "report", "notebooks/article_report.ipynb",
             "--output", "same"], cwd=project, capture_output=True, text=True, timeout=600,
            check=False)
        assert result.returncode == 0, result.stderr
        outputs.append(project / "reports")
    first, second = (digests(folder) for folder in outputs)
    assert first == second
    for path in outputs[0].rglob("*"):
        if path.is_file():
            assert str(tmp_path) not in path.read_bytes().decode("utf-8", "replace"), path


@pytest.mark.slow
def test_every_seed_report_regenerates_byte_identically_in_another_folder(
        tmp_path: Path) -> None:
    """Issue 11, item 6: `research-kit reports` (every run of notebooks/reports.yml) in two
    copies of the project in different folders gives the same bytes: HTML, PDF, executed
    notebooks, tables, figures, citations and the manifest, with no folder of the machine in
    any of them."""
    outputs = []
    for name in ("one", "two/deeper/still"):
        project = tmp_path / name
        for part in ("notebooks", "data"):
            shutil.copytree(ROOT / part, project / part)
        shutil.copy(ROOT / "CITATION.cff", project)
        result = reports("--jobs", "2", cwd=project)
        assert result.returncode == 0, result.stderr
        outputs.append(project / "reports")
    first, second = (digests(folder) for folder in outputs)
    assert first == second
    kinds = {Path(name).suffix for name in first}
    assert {".html", ".pdf", ".ipynb", ".csv", ".svg", ".png", ".bib", ".json"} <= kinds
    assert {name.split("/")[0].rsplit(".", 1)[0] for name in first} >= set(RUNS)
    for path in outputs[0].rglob("*"):
        if path.is_file():
            text = ("".join(page.extract_text() for page in PdfReader(path).pages)
                    if path.suffix == ".pdf" else path.read_bytes().decode("utf-8", "replace"))
            assert str(tmp_path) not in text and str(ROOT) not in text, path
