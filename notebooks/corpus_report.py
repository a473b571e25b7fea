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
# # Corpus report
#
# How a whole collection of articles frames its subject over time and across outlets: which
# lexicon terms it uses, and whose words it quotes, per week or month and per outlet. The corpus is
# read as a stream and reduced to counts, so it can hold many thousands of articles. The provenance
# block says exactly what produced this report; regenerate it with `research-kit reports`.

# %% tags=["parameters"]
corpus = None  # folder or file (.txt, .html, .jsonl, .csv, .parquet); None: the project's data/raw
group_by = "outlet"  # metadata field to compare: outlet, publisher, author, language or event_id
time_unit = "month"  # "week" (starting Monday) or "month"
lexicon = None  # framing lexicon (YAML); None: the shipped Karabakh lexicon
categories = None  # lexicon categories to count; None: all
top = 10  # terms shown in the trend tables and figure
jobs = 1  # processes analysing the corpus (results do not depend on it)

# %%
import research_kit as rk
from research_kit import corpus as corpus_tables
from research_kit import figures
from research_kit.reports.notebook import start_report

report = start_report(corpus, lexicon, group_by=group_by, time_unit=time_unit,
                      categories=categories, top=top)
tables = report.load_corpus(jobs=jobs)

# %% [markdown]
# ## Provenance

# %%
report.provenance()

# %% [markdown]
# ## The corpus
#
# Articles and words per period and group: every rate below divides by these words.

# %%
report.table(rk.corpus_overview(tables, groups=group_by, period=time_unit),
             "Articles and words per period and group", key="overview")

# %% [markdown]
# ## Framing vocabulary over time
#
# The most frequent lexicon terms, in matches per 1,000 words of each period's articles (all
# outlets together).

# %%
trend = rk.textstat_frequency(tables, groups=None, period=time_unit, categories=categories,
                               by_voice=False)
terms = corpus_tables.top_terms(trend, top)
report.table(corpus_tables.trend_table(trend, time_unit, include=terms),
             "The most frequent lexicon terms per 1,000 words, by period", key="trend")

# %%
report.figure(figures.plot_over_time(corpus_tables.trend_table(trend, time_unit, include=terms),
                                     ylabel="matches per 1,000 words"),
              "The most frequent lexicon terms over time", key="trend-figure")

# %% [markdown]
# ## Framing vocabulary by group
#
# The same terms per group and period, counted by voice: in the headline, in the outlet's own words
# (authorial), or inside a quotation (quoted).

# %%
report.table(rk.textstat_frequency(tables, groups=group_by, period=time_unit, terms=terms),
             "The same terms by group, period and voice", key="terms-by-group")

# %% [markdown]
# ## Who gets a voice
#
# Attributed quotes (scare quotes excluded) by the speaker's side, per period and group, with the
# side's share of the quoted words.

# %%
sourcing = rk.textstat_sourcing(tables, groups=group_by, period=time_unit)
report.table(sourcing, "Attributed quotes and quoted words by side, period and group",
             key="sourcing")

# %%
report.figure(figures.plot_over_time(
    corpus_tables.trend_table(rk.textstat_sourcing(tables, groups=None, period=time_unit),
                              time_unit, column="side", value="words"),
    ylabel="quoted words", labels=report.labels),
    "Quoted words by the speaker's side over time", key="sourcing-figure")

# %% [markdown]
# ## Methods and known limits

# %%
report.methods("periods", "rates", "corpus_measures")

# %% [markdown]
# ## How to cite this report

# %%
report.citation(f"corpus report by {group_by} and {time_unit}")
