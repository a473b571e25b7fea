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
kwic_terms = ["reintegration", "integration into Azerbaijan", "international negotiation format",
              "de facto"]

# %%
from IPython.display import HTML, display

import research_kit as rk
from research_kit import figures, views
from research_kit.reports.notebook import start_report

report = start_report(corpus, lexicon, article_id=article_id, kwic_terms=kwic_terms)
(record,) = views.select_articles(report.analyze(), [article_id])

# %% [markdown]
# ## Provenance

# %%
report.provenance()

# %% [markdown]
# ## The article

# %%
display(HTML(views.text_html(record["title"] or "(untitled)", "h3")))
views.article_overview(record)

# %% [markdown]
# ## Framing vocabulary by voice
#
# Each lexicon concept found, counted by voice: in the headline, in the outlet's own words
# (authorial) or inside a quotation (quoted, credited to its speaker).

# %%
usage = rk.textstat_frequency([record], groups="outlet")
views.side_by_side(usage, by="outlet")

# %%
figures.plot_term_usage(usage, by="outlet");

# %% [markdown]
# ## Who is quoted

# %%
views.speakers([record], by="outlet").drop(columns="outlet")

# %%
rk.quotes_frame([record])[["location", "kind", "speaker", "side", "cue", "text"]]

# %% [markdown]
# ## Scare quotes
#
# Words the outlet puts in quotation marks without attributing them.

# %%
views.scare_quote_table([record])[["location", "text"]]

# %% [markdown]
# ## Key terms in context

# %%
views.kwic_table([record], kwic_terms, report.lexicon).drop(columns="id")

# %% [markdown]
# ## Readability

# %%
views.readability_table([record], by="outlet")

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
rk.removals_frame([record]).drop(columns="id")

# %% [markdown]
# ## How to cite this report

# %%
report.citation(f"article report for {article_id}")
