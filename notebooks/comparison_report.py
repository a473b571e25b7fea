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
# # Comparison report
#
# How several outlets framed one event: the vocabulary each uses and in whose voice, the labels and
# names it chooses, whom it quotes and how many words each side gets, and how hard it is to read.
# The provenance block says exactly what produced this report; regenerate it with
# `research-kit reports`.

# %% tags=["parameters"]
event_id = "2023-03-27-baku-reintegration-offer"  # or None with article_ids
article_ids = []  # explicit article ids; overrides event_id when given
group_by = "outlet"  # metadata column the comparison groups by
corpus = None  # folder or file of articles; None: the project's data/raw
lexicon = None  # framing lexicon (YAML); None: the shipped Karabakh lexicon
framing_categories = ["baku_framing", "stepanakert_framing"]
label_categories = ["legitimacy_labels"]
name_categories = ["place_names", "peacekeeper_hq", "corridor_names", "population_names",
                   "conflict_names"]
kwic_terms = ["reintegration", "integration into Azerbaijan", "international negotiation format",
              "de facto"]
validation = None  # folder written by `research-kit agreement --out`; None: no validation

# %%
from IPython.display import HTML, display

import research_kit as rk
from research_kit import figures, views
from research_kit.reports.notebook import start_report

report = start_report(corpus, lexicon, event_id=event_id, article_ids=article_ids,
                      group_by=group_by)
chosen = views.select_articles(report.analyze(), article_ids, event_id)

# %% [markdown]
# ## Provenance

# %%
report.provenance()

# %% [markdown]
# ## The articles

# %%
rk.articles_frame(chosen)[["id", group_by, "date", "title", "byline", "words", "quotes"]]

# %% [markdown]
# ## Framing vocabulary by voice
#
# Baku's and Stepanakert's framing concepts, counted by voice: in the headline, in the outlet's
# own words (authorial), or inside a quotation (quoted). Rates are per 1,000 words of each
# outlet's text.

# %%
framing = rk.textstat_frequency(chosen, groups=group_by, categories=framing_categories)
views.side_by_side(framing, by=group_by)

# %%
figures.plot_term_usage(framing, by=group_by);

# %% [markdown]
# ## Legitimacy labels
#
# Words that deny or qualify an authority's legitimacy, by voice.

# %%
views.side_by_side(
    rk.textstat_frequency(chosen, groups=group_by, categories=label_categories), by=group_by)

# %% [markdown]
# ## Naming choices
#
# Contested place names, the peacekeepers' headquarters, the corridor, the population and the
# conflict.

# %%
views.side_by_side(
    rk.textstat_frequency(chosen, groups=group_by, categories=name_categories), by=group_by)

# %% [markdown]
# ## Who gets a voice
#
# Attributed quotes (direct, partial, mixed, block, indirect and "according to") by the speaker's
# side, and the words inside them.

# %%
sourcing = rk.textstat_sourcing(chosen, groups=group_by)
sourcing

# %%
figures.plot_quoted_words(sourcing, by=group_by);

# %%
views.speakers(chosen, by=group_by)

# %% [markdown]
# ## Scare quotes

# %%
views.scare_quote_table(chosen)

# %% [markdown]
# ## Readability

# %%
views.readability_table(chosen, by=group_by)

# %%
figures.plot_readability(rk.readability_frame(chosen), by=group_by);

# %% [markdown]
# ## Keyness
#
# Each group's most over-used words against the others (G² > 0, largest first).

# %%
for group, table in views.group_keyness(chosen, by=group_by).items():
    display(HTML(views.text_html(str(group), "h4")), table)

# %% [markdown]
# ## Key terms in context

# %%
views.kwic_table(chosen, kwic_terms, report.lexicon)

# %% [markdown]
# ## Validation of the automatic codes
#
# How far trained coders agreed with each other and with research_kit's codes on a sample of the
# corpus (see the validation report and docs/validation.md).

# %%
from research_kit.validation import report as validation_report

display(*validation_report.comparison_section(validation))

# %% [markdown]
# ## Methods and known limits

# %%
report.methods("cleaning", "quotes", "sides", "terms", "keyness", "readability")

# %% [markdown]
# ## Appendix: cleaning log
#
# Every line taken out of the articles' bodies, with the rule that fired.

# %%
rk.removals_frame(chosen)

# %% [markdown]
# ## How to cite this report

# %%
report.citation(f"comparison of {len(chosen)} articles by {group_by}")
