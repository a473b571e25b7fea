# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Article report
#
# One news article, cleaned and measured by research_kit: its framing vocabulary by voice, who it
# quotes and for which side, its scare quotes and readability. The provenance block says exactly
# what produced this report; regenerate it with `research-kit reports`.

# %% tags=["parameters"]
article_id = "mirror-spectator_karabakh-armenians-again-reject-reintegration-talks"
corpus = None  # folder or file of articles; None: the project's data/raw
lexicon = None  # framing lexicon (YAML); None: the shipped Karabakh lexicon
kwic_terms = None  # lexicon terms shown in context; None: the ones the article uses most

# %%
from IPython.display import HTML, display

import research_kit as rk
from research_kit import figures, views
from research_kit.reports import findings
from research_kit.reports.notebook import start_report

report = start_report(corpus, lexicon, article_id=article_id, kwic_terms=kwic_terms)
(record,) = views.select_articles(report.analyze(), [article_id])

# %% [markdown]
# ## Key findings

# %%
report.findings_here()

# %% [markdown]
# ## Provenance

# %%
report.provenance()

# %% [markdown]
# ## The article

# %%
display(HTML(views.text_html(record["title"] or "(untitled)", "h3")))
report.table(views.article_overview(record), "The article's metadata and size", key="article")

# %% [markdown]
# ## Framing vocabulary by voice
#
# Each lexicon concept found, counted by voice: in the headline, in the outlet's own words
# (authorial) or inside a quotation (quoted, credited to its speaker).

# %%
usage = rk.textstat_frequency([record], groups="outlet")
report.table(views.side_by_side(usage, by="outlet"),
             "Lexicon concepts by voice (matches)", key="terms")

# %%
report.figure(figures.plot_term_usage(usage, by="outlet", labels=report.labels),
              "Lexicon concepts per 1,000 words, by voice", key="terms-figure")

# %% [markdown]
# ## Who is quoted

# %%
sourcing = rk.textstat_sourcing([record], groups="outlet")
report.table(views.speakers([record], by="outlet").drop(columns="outlet"),
             "Who is quoted: speakers, their side and their quoted words", key="speakers")

# %%
report.table(rk.quotes_frame([record])[["location", "kind", "speaker", "side", "cue", "text"]],
             "Every quotation and reported statement", key="quotes")

# %% [markdown]
# ## Scare quotes
#
# Words the outlet puts in quotation marks without attributing them.

# %%
report.table(views.scare_quote_table([record])[["location", "text"]],
             "Scare quotes: quoted words nobody is said to say", key="scare",
             empty="No scare quotes in this article.")

# %% [markdown]
# ## Key terms in context

# %%
shown = kwic_terms if kwic_terms is not None else views.key_terms(record, report.lexicon)
report.table(views.kwic_table([record], shown, report.lexicon).drop(columns="id"),
             "Key terms in context", key="kwic", empty="None of the key terms occurs.")

# %% [markdown]
# ## Readability

# %%
readability = views.readability_table([record], by="outlet")
report.table(readability.drop(index=list(views.READABILITY_COUNTS)),
             "Readability formulas (textstat)", key="readability", full=readability)

# %% [markdown]
# ## The text
#
# The cleaned body; lexicon matches are highlighted (hover for the concept and voice).

# %%
display(HTML(views.body_html(record)))

# %% [markdown]
# ## Methods and known limits

# %%
report.methods("cleaning", "quotes", "sides", "terms", "keyness", "readability")

# %% [markdown]
# ## Appendix: cleaning log
#
# Every line taken out of the body, with the rule that fired.

# %%
report.table(rk.removals_frame([record]).drop(columns="id"),
             "Lines the cleaning removed, with the rule that fired", key="cleaning",
             empty="The cleaning removed nothing.")

# %% [markdown]
# ## How to cite this report

# %%
report.key_findings(findings.quoted_words_by_side(sourcing, "outlet", refs=("speakers",),
                                                  labels=report.labels))
report.citation(f"article report for {article_id}")
