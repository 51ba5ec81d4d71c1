"""`acupoints site`: the catalog as a static atlas of linked pages, for a browser, offline.

An index with a search box; a page a point (everything `show` gives, its chart from `map`
inline as SVG, its cautions and what the rules say for a patient, the studies that used it);
a page a channel (the `meridian` view and the channel's chart); a page a condition (the
`evidence` view, the course the studies used, its cautions, its points on a chart); a page a
category; the references with their DOI and PMID links. Every page carries the notice.

The pages are rendered by Jinja2 templates (acupoints/site/templates, auto-escaping on) from the
same result objects the other formats write: PointPages, ChannelView, EvidenceView, ChartReport,
the rule engine's findings. Nothing here builds HTML by joining strings.

Jinja2 is the optional extra `site` (pip install "acupoints[site]"): it is imported only when a
site is built, and its absence is said in one line.
"""

from __future__ import annotations

from .build import Built, build_site

__all__ = ["Built", "build_site"]
