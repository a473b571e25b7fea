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
# # Explore a corpus
#
# Start here in JupyterLab. This notebook loads the corpus, shows what the cleaning kept and
# removed, and lets you try the measures on your own terms before you commit them to a report. The
# logic lives in `research_kit`; change the parameters below and re-run.

# %% tags=["parameters"]
corpus = None  # folder or file of articles; None: the project's data/raw
lexicon = None  # framing lexicon (YAML); None: the shipped Karabakh lexicon

# %%
from IPython.display import HTML, display

import research_kit as rk
from research_kit import views
from research_kit.reports.notebook import start_report

report = start_report(corpus, lexicon)
records = report.analyze()
rk.articles_frame(records)

# %% [markdown]
# ## What cleaning removed
#
# Check this first: every removed line and the rule that fired.

# %%
rk.removals_frame(records)

# %% [markdown]
# ## Lexicon matches
#
# One row per match. Filter by `category`, `voice`, `speaker`.

# %%
rk.terms_frame(records).head(20)

# %% [markdown]
# ## Quotes

# %%
rk.quotes_frame(records)[["id", "kind", "speaker", "side", "cue", "text"]]

# %% [markdown]
# ## Try a concordance
#
# A lexicon concept name, or any regular expression.

# %%
rk.kwic({r["id"]: r["body"] for r in records}, r"talks?\b", window=6)

# %% [markdown]
# ## Try keyness
#
# Each outlet against the others.

# %%
for outlet, table in views.group_keyness(records, by="outlet", top=10).items():
    display(HTML(views.text_html(str(outlet), "h4")), table)
