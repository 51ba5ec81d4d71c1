"""`map` as a domain call: which points, on which sides, drawn on which views; the chart as a Result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from acupoints.errors import NOTICE, UsageError
from acupoints.output.formats import Format
from acupoints.output.writers import register
from acupoints.results import NOTICE_MESSAGE, Message, MessageKind, Result

if TYPE_CHECKING:
    from acupoints.catalog import Catalog
    from acupoints.map.chart import Chart


def gather(
    catalog: Catalog, texts: list[str], conditions: list[str], meridians: list[str], everything: bool = False
) -> dict[str, set[str] | None]:
    """code -> the sides to draw (None: every side), in the order asked; `everything` adds every
    point of the catalog. A saved prescription's point kept to one side is drawn on that side only."""
    from acupoints import rxfile

    chosen: dict[str, set[str] | None] = {}
    for text in texts:
        if rxfile.is_rx_file(text):
            for item in rxfile.read(text).points:
                code = catalog.lookup(item.code).code
                chosen[code] = {item.sides} if item.sides in ("left", "right") else None
        else:
            chosen.setdefault(catalog.lookup(text).code, None)
    if conditions or meridians:
        for p in catalog.filter(condition=conditions, meridian=meridians):
            chosen.setdefault(p.code, None)
    if everything:
        for p in catalog.points:
            chosen.setdefault(p.code, None)
    if not chosen:
        raise UsageError("name points, or give a condition, a channel or a saved prescription")
    return chosen


def _some(codes: Sequence[str], most: int = 12) -> str:
    """Codes for a one-line message: all of a few, the first of many and how many more."""
    return ", ".join(codes) if len(codes) <= most else f"{', '.join(codes[:most])} and {len(codes) - most} more"


@dataclass(frozen=True)
class ChartReport(Result):
    chart: Chart
    title: str
    formats = ("preview", "svg", "png", "json")

    def data(self) -> dict[str, Any]:
        from acupoints.map.chart import to_data

        return {**to_data(self.chart), "warnings": [m.text for m in self.warnings()], "notice": NOTICE}

    def warnings(self) -> list[Message]:
        out = []
        if self.chart.unplaced:
            out.append(Message(MessageKind.WARNING, f"no position yet for {_some(self.chart.unplaced)}: not drawn"))
        if self.chart.unseen:
            out.append(Message(MessageKind.WARNING, f"not seen in the views asked for: {_some(self.chart.unseen)}"))
        return out

    def messages(self) -> list[Message]:
        return [*self.warnings(), NOTICE_MESSAGE]


def channel_lines(catalog: Catalog, meridians: list[str]) -> list[tuple[str, list[str]]]:
    """(channel, its point codes in WHO order) for each channel named; the extra points (EX) are
    no channel and have no line."""
    out = []
    for mer in dict.fromkeys(meridians):
        points = sorted((p for p in catalog.points if p.meridian == mer), key=lambda p: p.number)
        if mer != "EX" and len(points) > 1:
            out.append((mer, [p.code for p in points]))
    return out


def make_report(
    catalog: Catalog,
    chosen: dict[str, set[str] | None],
    views: list[str] | None = None,
    channels: list[str] | None = None,
) -> ChartReport:
    """The chart of the chosen points; `channels` (meridian codes) are drawn as lines."""
    from acupoints._many import many
    from acupoints.map.chart import check_views, make_chart

    views = list(many(views, "view"))  # --view front,back as --view front --view back
    check_views(views)
    chart = make_chart(
        [(catalog.point(c), s) for c, s in chosen.items()],
        catalog.positions(),
        views or None,
        channel_lines(catalog, channels or []),
    )
    names = list(chosen)
    title = "acupoints: " + (", ".join(names) if len(names) <= 8 else f"{len(names)} points")
    return ChartReport(chart, title)


def _render(fmt: Format, result: Result, output: str | None) -> tuple[Any, frozenset[MessageKind]]:
    """The chart as an SVG, a PNG or a terminal preview; each holds the notice, and the warnings go
    to stderr."""
    from .preview import map_preview_for

    assert isinstance(result, ChartReport)
    held = frozenset({MessageKind.NOTICE})
    if fmt.value in ("svg", "png"):
        from acupoints.map.svg import to_png, to_svg

        drawing = to_svg(result.chart, title=result.title, notice=NOTICE)
        return (drawing if fmt.value == "svg" else to_png(drawing)), held
    return map_preview_for(result.chart, output), held


def _writer(fmt: Format) -> Callable[[Result, str | None], tuple[Any, frozenset[MessageKind]]]:
    return lambda result, output: _render(fmt, result, output)


for _fmt in (Format.PREVIEW, Format.SVG, Format.PNG):
    register(_fmt, _writer(_fmt))
