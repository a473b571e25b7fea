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
top = 15  # rows shown per table; every row goes to the table files (CSV)
tables_dir = None  # folder for the tables (CSV) and figures outside research-kit; None: none
validation = None  # folder written by `research-kit agreement --out`; None: no validation
aliases = None  # speaker aliases file (YAML) that merges or splits speaker entities; None: none

# %%
import research_kit as rk
from research_kit import comparison, figures, views
from research_kit.reports.notebook import start_report

report = start_report(corpus, lexicon, aliases=aliases, files=tables_dir, event_id=event_id,
                      article_ids=article_ids, group_by=group_by, top=top)
chosen = views.select_articles(report.analyze(), article_ids, event_id)
tables = rk.corpus_tables(chosen)
shown = comparison.largest_groups(tables, group_by)
report.use_groups(shown)
groups = sorted(set(views.group_labels(chosen, group_by).values()))

# %% [markdown]
# ## Key findings

# %%
report.findings_here()

# %% [markdown]
# ## Provenance

# %%
report.provenance()

# %% [markdown]
# ## Events and groups
#
# Articles and words per event and group: the denominators of every rate below.

# %%
comparison.events_section(report, tables, group_by, top)

# %% [markdown]
# ## The articles
#
# The articles compared, and whether two groups printed the same text: a framing difference
# between two copies of one text is not the groups' own.

# %%
comparison.articles_section(report, chosen, group_by, top)
shared = comparison.shared_section(report, chosen, group_by)

# %% [markdown]
# ## Framing vocabulary by voice
#
# The lexicon's framing concepts, counted by voice: in the headline, in the outlet's own words
# (authorial), or inside a quotation (quoted); then rates per 1,000 words with intervals, and
# tests of whether the groups differ.

# %%
framing = comparison.role_section(report, tables, "framing", group_by, framing_categories, top)

# %% [markdown]
# ## Labels
#
# Words that deny, qualify or assign an actor's legitimacy or standing.

# %%
labels = comparison.role_section(report, tables, "labels", group_by, label_categories, top)

# %% [markdown]
# ## Naming choices
#
# Contested names of places, people, laws and events.

# %%
names = comparison.role_section(report, tables, "names", group_by, name_categories, top)

# %% [markdown]
# ## Other lexicon categories

# %%
other = comparison.role_section(report, tables, "other", group_by, top=top)

# %% [markdown]
# ## Who gets a voice
#
# Attributed quotes (direct, partial, mixed, block, indirect and "according to") by the speaker's
# side, and the words inside them.

# %%
sourcing = comparison.sourcing_section(report, tables, group_by)

# %%
comparison.speakers_section(report, chosen, group_by, top)

# %% [markdown]
# ### Named and unnamed sources
#
# Attributed quotes by the speaker's type: people, organisations, documents, unnamed
# ("anonymous") sources, and quotes whose speaker could not be resolved.

# %%
report.table(rk.anonymous_sourcing(chosen, by=group_by),
             f"Attributed quotes by speaker type and {group_by}", key="speaker-types",
             empty=f"No attributed quote occurs in {views.articles_phrase(chosen)}.")

# %% [markdown]
# ### How each side's actors are named
#
# For every lexicon side, the names, titles, descriptions and labels each group uses for the
# speakers of that side, with counts.

# %%
naming = rk.naming(chosen, by=group_by)
report.table(naming.head(top), f"How each {group_by} names the actors it quotes", key="naming",
             full=naming, columns={"text": "name used", "count": "times"},
             empty=f"No quoted actor of a lexicon side occurs in "
                   f"{views.articles_phrase(chosen)}.")

# %% [markdown]
# ## Scare quotes
#
# Words a group puts in quotation marks without attributing them to anyone.

# %%
scare = views.with_group(views.scare_quote_table(chosen), chosen, group_by, by_id=True)
report.table(scare[[group_by, "location", "text"]].head(top),
             f"Scare quotes by {group_by}", key="scare", full=scare,
             empty=f"No scare quote occurs in {views.articles_phrase(chosen)}.")

# %% [markdown]
# ## Readability

# %%
readability = views.with_group(rk.readability_frame(chosen), chosen, group_by)
scores = views.readability_table(chosen, by=group_by)
report.table(scores.drop(index=list(views.READABILITY_COUNTS))[shown],
             f"Readability by {group_by}: the mean of each formula over the articles "
             "(textstat)", key="readability", full=scores)

# %%
report.figure(figures.plot_readability(readability[readability[group_by].isin(shown)],
                                       by=group_by, colors=report.colors),
              f"Grade-level readability formulas by {group_by}", key="readability-figure")

# %% [markdown]
# ## Keyness
#
# Each group's most over-used words against the others (G² > 0, largest first).

# %%
comparison.keyness_section(report, chosen, group_by, shown, top)

# %% [markdown]
# ## Key terms in context

# %%
terms = kwic_terms or comparison.top_role_terms(tables, report.lexicon, ("framing", "labels"), 4)
kwic = views.with_group(views.kwic_table(chosen, terms, report.lexicon), chosen, group_by,
                        by_id=True)
report.table(kwic[[group_by, "concept", "left", "match", "right"]].head(2 * top),
             "Key terms in context", key="kwic", full=kwic,
             empty=f"No framing term or label occurs in {views.articles_phrase(chosen)}.")

# %% [markdown]
# ## Validation of the automatic codes
#
# How far trained coders agreed with each other and with research_kit's codes on a sample of the
# corpus (see the validation report and docs/validation.md).

# %%
comparison.validation_section(report, validation)

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
removed = views.with_group(rk.removals_frame(chosen), chosen, group_by, by_id=True)
report.table(removed[[group_by, "line", "rule", "action", "text"]].head(top),
             "Lines the cleaning removed, with the rule that fired", key="cleaning",
             full=removed, empty="No line was removed from these articles.")

# %% [markdown]
# ## How to cite this report

# %%
report.key_findings(comparison.key_findings(report, group_by, groups,
                                            [framing, labels, names, other], sourcing, shared))
report.citation(f"comparison of {len(chosen)} articles by {group_by}")
