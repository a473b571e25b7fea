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
# How groups of outlets (by outlet, stance, language or any other metadata column) framed one or
# many events: the vocabulary each uses and in whose voice, the labels and names it chooses, whom
# it quotes and how many words each side gets, and how hard it is to read — with intervals and
# tests that say how sure we can be. Sections follow the lexicon's category roles. The provenance
# block says exactly what produced this report; regenerate it with `research-kit reports`.

# %% tags=["parameters"]
corpus = None  # folder or file of articles; None: the project's data/raw
lexicon = None  # framing lexicon (YAML); None: the shipped Karabakh lexicon
event_id = "2023-03-27-baku-reintegration-offer"  # one id, a list of ids, or "all"
article_ids = []  # explicit article ids; overrides event_id when given
group_by = "outlet"  # metadata column the comparison groups by (outlet, stance, language, ...)
framing_categories = None  # None: the lexicon's categories with role "framing"
label_categories = None  # None: role "labels"
name_categories = None  # None: role "names"
kwic_terms = None  # None: the four most frequent framing and label terms
top = 15  # rows shown per table; the full tables go to tables_dir
tables_dir = None  # folder for every table in full (CSV); None: not written
validation = None  # folder written by `research-kit agreement --out`; None: no validation
aliases = None  # speaker aliases file (YAML) that merges or splits speaker entities; None: none

# %%
from IPython.display import HTML, display

import research_kit as rk
from research_kit import comparison, figures, views
from research_kit.reports.notebook import start_report

report = start_report(corpus, lexicon, aliases=aliases, event_id=event_id,
                      article_ids=article_ids, group_by=group_by, top=top)
chosen = views.select_articles(report.analyze(), article_ids, event_id)
tables = rk.corpus_tables(chosen)
shown = comparison.largest_groups(tables, group_by)

# %% [markdown]
# ## Provenance

# %%
report.provenance()

# %% [markdown]
# ## Events and groups
#
# Articles and words per event and group: the denominators of every rate below.

# %%
comparison.events_section(tables, group_by, top, tables_dir)

# %% [markdown]
# ## The articles

# %%
views.with_group(rk.articles_frame(chosen), chosen, group_by)[
    ["id", group_by, "date", "title", "words", "quotes"]].head(top)

# %% [markdown]
# ## Framing vocabulary by voice
#
# The lexicon's framing concepts, counted by voice: in the headline, in the outlet's own words
# (authorial), or inside a quotation (quoted); then rates per 1,000 words with intervals, and
# tests of whether the groups differ.

# %%
comparison.role_section(tables, report.lexicon, "framing", group_by, framing_categories, top,
                        tables_dir)

# %% [markdown]
# ## Labels
#
# Words that deny, qualify or assign an actor's legitimacy or standing.

# %%
comparison.role_section(tables, report.lexicon, "labels", group_by, label_categories, top,
                        tables_dir)

# %% [markdown]
# ## Naming choices
#
# Contested names of places, people, laws and events.

# %%
comparison.role_section(tables, report.lexicon, "names", group_by, name_categories, top,
                        tables_dir)

# %% [markdown]
# ## Other lexicon categories

# %%
comparison.role_section(tables, report.lexicon, "other", group_by, top=top,
                        tables_dir=tables_dir)

# %% [markdown]
# ## Who gets a voice
#
# Attributed quotes (direct, partial, mixed, block, indirect and "according to") by the speaker's
# side, and the words inside them.

# %%
comparison.sourcing_section(tables, group_by, tables_dir)

# %%
views.or_note(views.speakers(chosen, by=group_by).head(top),
              f"No attributed quote occurs in {views.articles_phrase(chosen)}.")

# %% [markdown]
# ### Named and unnamed sources
#
# Attributed quotes by the speaker's type: people, organisations, documents, unnamed
# ("anonymous") sources, and quotes whose speaker could not be resolved.

# %%
sourcing_types = rk.anonymous_sourcing(chosen, by=group_by)
(report.table(sourcing_types, f"Attributed quotes by speaker type and {group_by}",
              key="speaker-types")
 if not sourcing_types.empty else
 views.or_note(sourcing_types, f"No attributed quote occurs in {views.articles_phrase(chosen)}."))

# %% [markdown]
# ### How each side's actors are named
#
# For every lexicon side, the names, titles, descriptions and labels each group uses for the
# speakers of that side, with counts.

# %%
naming = rk.naming(chosen, by=group_by)
(report.table(naming.head(top), f"How each {group_by} names the actors it quotes",
              key="naming")
 if not naming.empty else
 views.or_note(naming, f"No quoted actor of a lexicon side occurs in "
                       f"{views.articles_phrase(chosen)}."))

# %% [markdown]
# ## Scare quotes

# %%
views.or_note(views.scare_quote_table(chosen).head(top),
              f"No scare quote occurs in {views.articles_phrase(chosen)}.")

# %% [markdown]
# ## Readability

# %%
readability = views.with_group(rk.readability_frame(chosen), chosen, group_by)
views.readability_table(chosen, by=group_by)[shown]

# %%
report.figure(figures.plot_readability(readability[readability[group_by].isin(shown)],
                                       by=group_by),
              f"Readability by {group_by}", key="readability")

# %% [markdown]
# ## Keyness
#
# Each group's most over-used words against the others (G² > 0, largest first).

# %%
for group, table in views.group_keyness(chosen, by=group_by).items():
    if group in shown:
        display(HTML(views.text_html(str(group), "h4")), table)

# %% [markdown]
# ## Key terms in context

# %%
terms = kwic_terms or comparison.top_role_terms(tables, report.lexicon, ("framing", "labels"), 4)
views.or_note(views.kwic_table(chosen, terms, report.lexicon).head(2 * top),
              f"No framing term or label occurs in {views.articles_phrase(chosen)}.")

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

# %%
comparison.methods()

# %% [markdown]
# ## Appendix: cleaning log
#
# Every line taken out of the articles' bodies, with the rule that fired (the first rows).

# %%
views.or_note(rk.removals_frame(chosen).head(top), "No line was removed from these articles.")

# %% [markdown]
# ## How to cite this report

# %%
report.citation(f"comparison of {len(chosen)} articles by {group_by}")
