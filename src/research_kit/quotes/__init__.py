"""Quote attribution: who is quoted, with which cue, directly or indirectly.

Pure rules, linear scans and regexes compiled once: news text is processed at hundreds of
thousands of tokens per second without any model download. The rules are data
(``data/speech_verbs.yml`` and ``data/attribution.yml``); this package only knows sentence shapes:

- ``"…," he said.`` / ``"…," said Smith.`` / ``Smith said: "…"`` (direct, block, partial)
- ``Smith said (that) the plan … "soberly assess" …`` (indirect, mixed)
- ``…, Smith said.`` (a clause before the speaker: indirect or mixed)
- ``According to X, …`` / ``…, according to X.`` (according_to)
- quotes nobody is said to say (scare) and quotes that continue the last speaker.

Speakers are resolved after extraction: pronouns to the most recent compatible speaker, surnames
to the first-introduced full name that shares them, documents to the body that issued them.

Each module imports only from modules earlier in this list, so data flows one way: ``model``
(the records), ``rules``, ``marks``, ``phrases``, ``layout``, ``mentions``, ``content``, ``cues``,
``leftovers``, ``speakers``, ``extract``.
"""

from .extract import extract_quotes
from .layout import Layout
from .marks import Span, quoted_spans
from .model import Quote, QuoteKind
from .phrases import person_name
from .rules import Rules, Verb, compile_rules, load_rules, regular_forms
from .speakers import SpeakerKind, compress_acronym

__all__ = [
    "Layout",
    "Quote",
    "QuoteKind",
    "Rules",
    "Span",
    "SpeakerKind",
    "Verb",
    "compile_rules",
    "compress_acronym",
    "extract_quotes",
    "load_rules",
    "person_name",
    "quoted_spans",
    "regular_forms",
]
