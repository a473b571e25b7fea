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
# # Validation report
#
# How well trained human coders agree with each other on a sample of research_kit's units, and how
# well research_kit's automatic codes agree with the coders. The coders coded blind: their sheets
# never showed the automatic codes, which stayed in the sample's key. The provenance block names
# the sheets and the key by their SHA-256; `research-kit agreement` gives the same tables as CSV.

# %% tags=["parameters"]
sheets = []  # one coded sheet per coder (.xlsx or .csv), as written by `research-kit sample`
key = None  # the sample's key (SHEET.key.json): needed for CSV sheets and the automatic codes
bootstrap = 1000  # bootstrap resamples for the intervals
seed = 0  # bootstrap seed: the same seed gives the same intervals

# %%
import matplotlib.pyplot as plt
from IPython.display import HTML, display

from research_kit import views
from research_kit.reports import citation
from research_kit.validation import report, validate

result = validate(sheets, key, bootstrap=bootstrap, seed=seed)
meta = result.meta

# %% [markdown]
# ## Provenance

# %%
report.provenance(result)

# %% [markdown]
# ## The sample and the codebook

# %%
display(HTML(views.text_html(
    f"{meta['units']} {meta['unit']} (sample {meta['sample_id']}) coded by "
    f"{len(meta['coders'])} coders: {', '.join(meta['coders'])}.")))
report.variables_table(result)

# %% [markdown]
# ## Reliability between coders
#
# Krippendorff's alpha per variable, nominal or ordinal as the codebook declares: 1 is perfect
# agreement, 0 agreement at chance. The interval is a 95% percentile bootstrap over units and
# P(α < .800) the share of bootstrap resamples below .800. Krippendorff (2004) advises relying on
# variables with α ≥ .800 and drawing only tentative conclusions from .667 ≤ α < .800.

# %%
report.reliability_table(result)

# %%
alpha_figure = report.plot_alpha(result).figure
display(alpha_figure)
plt.close(alpha_figure)

# %% [markdown]
# ## The automatic codes against the coders
#
# research_kit's code for each unit against the coders' majority. Accuracy, precision and recall
# have Wilson score intervals; F1 and macro-F1 (the mean F1 over the codes in use) have percentile
# bootstrap intervals.

# %%
if meta["key"]:
    display(report.automatic_table(result), report.codes_table(result))
else:
    display(HTML(views.text_html("No key was given, so the automatic codes are not compared.")))

# %% [markdown]
# ## Where the coders disagree
#
# Every unit and variable the coders coded differently (a blank is "not coded"): the material for
# a coder-training session or a revision of the codebook.

# %%
report.disagreements_table(result)

# %% [markdown]
# ## Where research_kit and the coders' majority differ
#
# The units research_kit coded otherwise than the coders' majority: where its rules fail.

# %%
report.auto_errors_table(result)

# %% [markdown]
# ## Methods and known limits

# %%
report.methods()

# %% [markdown]
# ## How to cite this report

# %%
display(HTML(views.text_html(
    f"{citation()} Report: validation of {meta['units']} {meta['unit']} by "
    f"{len(meta['coders'])} coders.")))
