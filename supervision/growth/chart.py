"""One criterion's levels over time as an SVG chart (pygal), safe under the app's strict CSP:
no script at all, and the chart's own stylesheet allowed by its hash alone."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from xml.etree import ElementTree

import pygal
from pygal.style import Style

from supervision.growth.series import CriterionGrowth

_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    colors=("#1d4ed8", "#b45309"),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    dot_opacity="1",
    stroke_width="3",
)


@dataclass(frozen=True)
class Svg:
    body: str
    content_security_policy: str


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def level_chart(criterion: CriterionGrowth) -> Svg:
    """Released levels 1-5 in release order; a level that was not given (not visible in the
    vignette, or the criterion not in that rubric version) is a gap in the line, never a 0."""
    chart = pygal.Line(
        js=[],  # no script: the page works without JavaScript and the CSP allows none
        style=_STYLE,
        width=720,
        height=300,
        range=(1, 5),
        y_labels=[1, 2, 3, 4, 5],
        allow_interruptions=True,
        show_legend=any(level is not None for level in criterion.self_levels),
        legend_at_bottom=True,
        show_minor_x_labels=True,
        x_label_rotation=0,
        truncate_label=12,
        dots_size=5,
        disable_xml_declaration=True,
        no_data_text="No released levels yet",
    )
    chart.x_labels = [point.released_at.strftime("%d %b %y") for point in criterion.points]
    chart.add("Released level", criterion.levels)
    if any(level is not None for level in criterion.self_levels):
        chart.add("My own level", criterion.self_levels, stroke_style={"dasharray": "6,4"})
    tree = chart.render_tree()
    styles: list[str] = []
    for parent in list(tree.iter()):
        for child in list(parent):
            name = _local(child.tag)
            if name == "script" or (name == "g" and "tooltip" in (child.get("class") or "")):
                parent.remove(child)
            elif name == "style" and child.text:
                styles.append(child.text)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
        for css in styles
    )
    body = ElementTree.tostring(tree, encoding="unicode")  # pygal's tree, lxml not installed
    style_src = hashes or "'none'"
    return Svg(body, f"default-src 'none'; style-src {style_src}; frame-ancestors 'none'")
