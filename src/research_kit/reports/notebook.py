"""What a report notebook calls, so notebooks stay narratives: set-up, tables, figures, findings.

`start_report` replaces the set-up cell each notebook repeated (default corpus, lexicon, what the
provenance block records). The returned `Report` numbers and captions tables and figures in
order, writes them as files when the report runner asks for it (CSV; SVG and 300-dpi PNG), gives
the provenance table, the shared methods text and the citation, and puts the key findings at the
top of the report once the tables they come from are computed (an updated display, so the
findings are written from the tables, yet read first).
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import HTML, Markdown, display

from ..corpus import CorpusTables, corpus_tables
from ..duplicates import Mode
from ..figures import group_colors
from ..lexicon import Lexicon, load_lexicon
from ..views import provenance_frame, text_html
from . import present
from .cache import cache_key, cached, cached_value
from .config import ARTIFACTS_ENV, default_corpus
from .findings import Finding
from .methods import methods_markdown
from .provenance import citation, provenance

FINDINGS_DISPLAY = "research-kit-key-findings"


def lexicon_labels(lexicon: Lexicon) -> dict[str, str]:
    """Display labels for the lexicon's categories and sides (its own, else in words), and for
    the readability measures."""
    labels = dict(present.MEASURES)
    labels |= {c.name: getattr(c, "label", None) or present.humanize(c.name)
              for c in lexicon.categories}
    labels.update({side.name: side.label for side in lexicon.sides})
    return labels


@dataclass
class Report:
    """One report being written: its corpus, lexicon, parameters, and what it has shown."""

    corpus: str
    lexicon: Lexicon
    parameters: dict[str, Any] = field(default_factory=dict)
    files: Path | None = None
    labels: dict[str, str] = field(default_factory=dict)
    aliases: str | None = None
    colors: dict[str, str] = field(default_factory=dict)
    _refs: dict[str, str] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=lambda: {"Table": 0, "Figure": 0})
    _findings: Any = None

    def analyze(self, duplicates: Mode = "keep") -> list[dict[str, Any]]:
        """Every article record of the corpus (for large corpora use `load_corpus`);
        `duplicates` keeps, marks or drops near-duplicate articles as in `pipeline.analyze`.

        Under the report runner, the other runs of the same call with the same corpus,
        lexicon, aliases and mode read these records instead of analysing again (`cache`).
        """

        def compute() -> list[dict[str, Any]]:
            from ..pipeline import analyze  # textstat and NLTK: only when analysing

            return analyze([self.corpus], lexicon=self.lexicon, aliases=self.aliases,
                           duplicates=duplicates)

        return cached(self._key("records", duplicates, self.aliases), compute)

    def load_corpus(self, jobs: int = 1) -> CorpusTables:
        """The corpus reduced to its tables (`corpus.load_corpus`: streamed on `jobs` processes,
        no text kept), or, when another run of the same call has analysed this corpus, the
        tables of those records (the same tables: `load_corpus` reduces the same records)."""
        records = cached_value(self._key("records", "keep", None))
        if records is not None:
            return corpus_tables(records)  # type: ignore[arg-type]

        def compute() -> CorpusTables:
            from ..corpus import load_corpus

            return load_corpus([self.corpus], lexicon=self.lexicon, jobs=jobs)

        return cached(self._key("tables", "keep", None), compute)

    def _key(self, kind: str, duplicates: str, aliases: str | None) -> str:
        """What an analysis of this report's corpus depends on, as a cache key."""
        from .provenance import corpus_hash, sha256_bytes

        corpus = Path(self.corpus)
        return cache_key(kind, {
            "corpus": str(corpus.resolve()), "corpus_sha256": corpus_hash(corpus),
            "lexicon": self.lexicon.path, "lexicon_sha256": self.lexicon.sha256,
            "aliases": aliases,
            "aliases_sha256": sha256_bytes(Path(aliases).read_bytes()) if aliases else None,
            "duplicates": duplicates,
        })

    def use_groups(self, groups: Iterable[Any]) -> dict[str, str]:
        """Fix one colour per group for every figure of this report (call once, with all)."""
        self.colors = group_colors([str(g) for g in groups])
        return self.colors

    def ref(self, key: str) -> str:
        """"Table 3" or "Figure 2": how the text refers to a table or figure shown earlier."""
        return self._refs[key]

    def _next(self, kind: str, key: str | None, caption: str) -> tuple[int, str]:
        self._counts[kind] += 1
        number = self._counts[kind]
        key = key or present.slug(caption)
        self._refs[key] = f"{kind} {number}"
        return number, f"{kind.lower()}-{number}"

    def table(self, frame: pd.DataFrame, caption: str, *, key: str | None = None,
              full: pd.DataFrame | None = None, **options: Any) -> HTML:
        """Show `frame` as "Table N. caption" for readers; options as `present.table_html`.

        The table is also written to `tables/NN-key.csv` when the runner asks for files: `full`
        when given (every row and column, values as computed), else `frame`.
        """
        number, anchor = self._next("Table", key, caption)
        saved = frame if full is None else full
        if self.files is not None and not saved.empty:
            name = f"{number:02d}-{key or present.slug(caption)}.csv"
            present.save_table(saved, self.files / "tables" / name)
        labels = {**self.labels, **options.pop("labels", {})}
        return HTML(present.table_html(frame, caption, number, anchor=anchor, labels=labels,
                                       **options))

    def figure(self, fig: Any, caption: str, *, key: str | None = None) -> HTML:
        """Show a Matplotlib figure as "Figure N. caption" (alt text: the caption), then close it.

        The figure is also written as `figures/NN-key.svg` and `.png` (300 dpi) when asked for.
        """
        import matplotlib.pyplot as plt

        number, anchor = self._next("Figure", key, caption)
        if self.files is not None:
            name = f"{number:02d}-{key or present.slug(caption)}"
            present.save_figure(fig, self.files / "figures" / name)
        shown = HTML(present.figure_html(fig, caption, number, anchor=anchor))
        plt.close(fig)
        return shown

    def findings_here(self) -> None:
        """Reserve the place of the key findings (the top); `key_findings` fills it in later."""
        self._findings = display(HTML('<p class="rk-empty">Key findings follow from the '
                                      "tables below.</p>"), display_id=FINDINGS_DISPLAY)

    def key_findings(self, findings: Sequence[Finding]) -> None:
        """Write the findings where `findings_here` was called, each pointing to its table."""
        items = []
        for finding in findings:
            refs = ", ".join(self.ref(key) for key in finding.refs)
            text = html.escape(finding.text)
            if finding.uncertainty:
                text += f" {html.escape(finding.uncertainty)}"
            if refs:
                text += f" ({html.escape(refs)})"
            items.append(f"<li>{text}</li>")
        body = (f'<ul class="rk-findings">{"".join(items)}</ul>' if items else
                '<p class="rk-empty">No finding stands out in these tables.</p>')
        if self._findings is None:
            display(HTML(body))
        else:
            self._findings.update(HTML(body))

    def provenance(self) -> HTML:
        """The provenance block: versions, hashes, commit and the report's parameters."""
        stated = provenance(self.parameters, self.corpus, self.lexicon.path)
        stated["parameters"] = "; ".join(
            f"{name} = {_stated(value)}" for name, value in self.parameters.items()
        ) or "none"
        return self.table(provenance_frame(stated), "Provenance: what produced this report",
                          key="provenance", max_chars=300)

    def methods(self, *topics: str) -> Markdown:
        """The shared "Methods and known limits" text for the topics this report relies on."""
        return Markdown(methods_markdown(*topics))

    def citation(self, what: str) -> HTML:
        """How to cite this report: the project's citation, then what the report is."""
        return HTML(text_html(f"{citation()} Report: {what}."))


def _stated(value: Any) -> str:
    """A parameter value as a reader reads it: "not set" for None, lists comma-separated."""
    if value is None:
        return "not set"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "none"
    return str(value)


def start_report(corpus: str | None, lexicon: str | None, *, aliases: str | None = None,
                 files: str | None = None, **parameters: Any) -> Report:
    """Open a report on `corpus` (None: the project's data) with `lexicon` (None: the shipped one).

    `aliases` is the user's speaker aliases file (merges and splits of speaker entities), used
    by every analysis of the report. `files` is a folder for the tables (CSV) and figures (SVG,
    PNG) when the notebook runs outside `research-kit report(s)`, which gives its own.
    `parameters` are the report's own parameters, stated in its provenance block (with `aliases`
    when given).
    """
    lex = load_lexicon(lexicon)
    files = os.environ.get(ARTIFACTS_ENV) or files
    stated = {**parameters, "aliases": aliases} if aliases else dict(parameters)
    return Report(str(corpus or default_corpus()), lex, stated,
                  files=Path(files) if files else None, labels=lexicon_labels(lex),
                  aliases=aliases)

