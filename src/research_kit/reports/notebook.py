"""What every report notebook does first and last, as one call each, so notebooks stay narratives.

`start_report` replaces the set-up cell each notebook repeated (default corpus, lexicon, what the
provenance block records); the returned `Report` gives the provenance table, the methods text and
the citation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from IPython.display import HTML, Markdown

from ..lexicon import Lexicon, load_lexicon
from ..pipeline import analyze
from ..views import provenance_frame, text_html
from .config import default_corpus
from .methods import methods_markdown
from .provenance import citation, provenance


@dataclass
class Report:
    """One report being written: its corpus, lexicon and the parameters it states."""

    corpus: str
    lexicon: Lexicon
    parameters: dict[str, Any] = field(default_factory=dict)

    def analyze(self) -> list[dict[str, Any]]:
        """Every article record of the corpus (for large corpora use `corpus.load_corpus`)."""
        return analyze([self.corpus], lexicon=self.lexicon)

    def provenance(self) -> pd.DataFrame:
        """The provenance block: versions, hashes, commit and the report's parameters."""
        return provenance_frame(provenance(self.parameters, self.corpus, self.lexicon.path))

    def methods(self, *topics: str) -> Markdown:
        """The shared "Methods and known limits" text for the topics this report relies on."""
        return Markdown(methods_markdown(*topics))

    def citation(self, what: str) -> HTML:
        """How to cite this report: the project's citation, then what the report is."""
        return HTML(text_html(f"{citation()} Report: {what}."))


def start_report(corpus: str | None, lexicon: str | None, **parameters: Any) -> Report:
    """Open a report on `corpus` (None: the project's data) with `lexicon` (None: the shipped one).

    `parameters` are the report's own parameters, stated in its provenance block.
    """
    return Report(str(corpus or default_corpus()), load_lexicon(lexicon), dict(parameters))
