"""Rendering: an executed notebook → self-contained HTML (nbconvert) → PDF (WeasyPrint)."""

from __future__ import annotations

import logging
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

HTML_TEMPLATE = "research_kit"
_SECTION = re.compile(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"', re.S)


def _template_dir() -> str:
    return str(resources.files("research_kit").joinpath("templates"))


WIDE_SECTION = "rk-wide-section"
"""Cell tag (class `celltag_rk-wide-section`) of every cell of a section with a wide table."""


def mark_wide_sections(nb: Any) -> Any:
    """A copy of the notebook whose sections (from one `## ` heading to the next) that hold a
    wide table (`figure.rk-wide`, see `present.table_html`) have every cell tagged
    `WIDE_SECTION`, so the whole section, heading and text included, is printed on landscape
    pages: the heading stays with its table, and the rest of the section fills the landscape
    page instead of leaving it almost empty."""
    import copy

    nb = copy.deepcopy(nb)
    sections: list[list[Any]] = [[]]
    for cell in nb.cells:
        if cell.cell_type == "markdown" and str(cell.source).lstrip().startswith("## "):
            sections.append([])
        sections[-1].append(cell)
    for cells in sections:
        if any("rk-wide" in str(output.get("data", {}).get("text/html", ""))
               for cell in cells for output in cell.get("outputs", [])):
            for cell in cells:
                cell.metadata["tags"] = [*cell.metadata.get("tags", []), WIDE_SECTION]
    return nb


def render_html(nb: Any, title: str) -> str:
    """Self-contained HTML: code hidden, images embedded, no script, font or CSS from the web."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name=HTML_TEMPLATE,
        extra_template_basedirs=[_template_dir()],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    html, _ = exporter.from_notebook_node(mark_wide_sections(nb),
                                          resources={"metadata": {"name": title}})
    return add_contents(html)


def add_contents(html: str) -> str:
    """A table of contents of the report's sections (its `##` headings), after the title.

    The headings are nbconvert's own (already escaped, with their anchors); in the PDF each
    entry also gets its page number.
    """
    sections = _SECTION.findall(html)
    if len(sections) < 2:
        return html
    items = "".join(f'<li><a href="#{anchor}">{text.strip()}</a></li>'
                    for anchor, text in sections)
    nav = (f'<nav class="rk-contents" aria-label="Contents"><p class="rk-contents-title">'
           f"Contents</p><ol>{items}</ol></nav>")
    return html.replace("</h1>", "</h1>" + nav, 1)


FONT_FILES = {
    "research-kit sans": (("DejaVuSans.ttf", "normal", "normal"),
                          ("DejaVuSans-Bold.ttf", "bold", "normal"),
                          ("DejaVuSans-Oblique.ttf", "normal", "italic"),
                          ("DejaVuSans-BoldOblique.ttf", "bold", "italic")),
    "research-kit mono": (("DejaVuSansMono.ttf", "normal", "normal"),
                          ("DejaVuSansMono-Bold.ttf", "bold", "normal"),
                          ("DejaVuSansMono-Oblique.ttf", "normal", "italic"),
                          ("DejaVuSansMono-BoldOblique.ttf", "bold", "italic")),
}
"""The PDF's fonts: the DejaVu files matplotlib ships (a locked dependency), never the system's."""


def font_css() -> str:
    """A stylesheet for the PDF only: every text in the DejaVu fonts shipped with matplotlib.

    The HTML names system fonts (JupyterLab's stylesheet lists Helvetica and Arial first), so
    the PDF would change with the fonts a machine has installed (installing Liberation fonts
    turns Arial into Liberation Sans); with the fonts taken from the locked environment, the same
    lock file gives the same PDF anywhere. Only the PDF embeds the fonts, never their paths.
    """
    from importlib.util import find_spec

    spec = find_spec("matplotlib")  # its data folder, without importing matplotlib
    assert spec is not None and spec.submodule_search_locations
    folder = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"
    faces = [
        f'@font-face {{ font-family: "{family}"; src: url("{(folder / name).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for family, files in FONT_FILES.items() for name, weight, style in files
    ]
    return "\n".join([
        *faces,
        'html, body, body * { font-family: "research-kit sans" !important; }',
        'code, pre, kbd, samp, code *, pre * { font-family: "research-kit mono" !important; }',
    ])


def render_pdf(html: str) -> bytes:
    """PDF from the report's HTML with WeasyPrint: pip-installed, no TeX, no browser download.

    Font subsets carry a timestamp from fontTools unless SOURCE_DATE_EPOCH is set, so it is
    pinned (to the caller's value, if any) for byte-identical PDFs; the fonts are matplotlib's
    DejaVu files (`font_css`), whatever fonts the machine has.
    """
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = previous or "0"
    try:
        fonts = weasyprint.text.fonts.FontConfiguration()
        return weasyprint.HTML(string=html, base_url=None).write_pdf(
            stylesheets=[weasyprint.CSS(string=font_css(), font_config=fonts)],
            font_config=fonts)
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
