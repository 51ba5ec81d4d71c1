"""The chart as text in the terminal: each view drawn with half blocks (colour) or plain letters."""

from __future__ import annotations

import os
from typing import Any

from acupoints import model as m
from acupoints.output.writers import console

_KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def map_keys(chart: Any) -> dict[str, str]:
    """A letter for each chosen point, in the legend's order; '+' past the 62nd."""
    return {e.code: (_KEYS[i] if i < len(_KEYS) else "+") for i, e in enumerate(chart.entries)}


def _raster(panel: Any, scale: float) -> tuple[list[list[int]], int, int]:
    """Pixels of a panel: 0 empty, 1 body, 2 body edge. A pixel is 1/scale cun square."""
    from acupoints.map.body import inside

    x0, y0, x1, y1 = panel.box
    w = max(1, int((x1 - x0) * scale) + 1)
    h = max(2, int((y1 - y0) * scale) + 1)
    h += h % 2
    grid = [[0] * w for _ in range(h)]
    for o in panel.outlines:
        xs = [p[0] for p in o.points]
        ys = [p[1] for p in o.points]
        for j in range(max(0, int((y1 - max(ys)) * scale)), min(h, int((y1 - min(ys)) * scale) + 2)):
            cy = y1 - (j + 0.5) / scale
            for i in range(max(0, int((min(xs) - x0) * scale)), min(w, int((max(xs) - x0) * scale) + 2)):
                if inside(o.points, x0 + (i + 0.5) / scale, cy):
                    grid[j][i] = 1
    for j in range(h):
        for i in range(w):
            if grid[j][i] and any(
                not (0 <= j + dj < h and 0 <= i + di < w) or grid[j + dj][i + di] == 0
                for dj, di in ((0, 1), (0, -1), (1, 0), (-1, 0))
            ):
                grid[j][i] = 2
    return grid, w, h


def _panel_cells(panel: Any, scale: float) -> tuple[list[list[Any]], int]:
    """Rows of cells; a cell is (top pixel, bottom pixel) or a point's code."""
    grid, w, h = _raster(panel, scale)
    rows: list[list[Any]] = [[(grid[2 * r][i], grid[2 * r + 1][i]) for i in range(w)] for r in range(h // 2)]
    x0, _, _, y1 = panel.box
    taken: set[tuple[int, int]] = set()
    for mk in panel.marks:
        col = min(w - 1, max(0, int((mk.x - x0) * scale)))
        row = min(h // 2 - 1, max(0, int((y1 - mk.y) * scale) // 2))
        for dr, dc in ((0, 0), (0, 1), (0, -1), (-1, 0), (1, 0)):
            r, c = row + dr, col + dc
            if 0 <= r < h // 2 and 0 <= c < w and (r, c) not in taken:
                rows[r][c] = mk.code
                taken.add((r, c))
                break
    return rows, w


def map_preview(chart: Any, *, width: int, colour: bool, rows: int = 22) -> Any:
    """The chart as text: each view drawn with half blocks (colour) or plain letters, and a legend."""
    from acupoints.map.palette import colour as channel_colour

    keys = map_keys(chart)
    meridian = {e.code: e.meridian for e in chart.entries}
    blocks: list[tuple[str, list[list[Any]], int]] = []
    for view in chart.views:
        height = rows if view.overview else max(8, rows // 2)
        spans = [(p.box[2] - p.box[0], p.box[3] - p.box[1]) for p in view.panels]
        scale = min(2 * height / max(h, 1e-6) for _, h in spans)
        total = sum(sw * scale for sw, _ in spans) + 2 * (len(spans) - 1)
        if total > width - 2:  # a narrow terminal: make the view smaller, not wrapped
            scale *= (width - 2) / total
        for p in view.panels:
            cells, w = _panel_cells(p, scale)
            name = view.name + (f" ({p.side})" if p.side else "")
            blocks.append((name, cells, w))
    shade = {0: None, 1: "grey62", 2: "grey39"}
    ascii_cell = {(0, 0): " ", (1, 0): "'", (0, 1): ".", (1, 1): ":"}

    def cell_text(c: Any) -> tuple[str, str | None]:
        if isinstance(c, str):
            style = f"bold white on {channel_colour(meridian[c])}" if colour else None
            return keys[c], style
        top, bottom = c
        if not colour:
            return ascii_cell[(1 if top else 0, 1 if bottom else 0)], None
        t, bt = shade[top], shade[bottom]
        if t and bt:
            return "▀", f"{t} on {bt}"
        if t:
            return "▀", t
        if bt:
            return "▄", bt
        return " ", None

    # lay the blocks out in rows that fit the width
    lines: list[Any] = []
    from rich.text import Text

    row: list[tuple[str, list[list[Any]], int]] = []
    used = 0

    def flush() -> None:
        if not row:
            return
        height = max(len(cells) for _, cells, _ in row)
        head = Text()
        for name, _, w in row:
            col_w = max(w, len(name))
            head.append(name.ljust(col_w + 2), style="bold" if colour else None)
        lines.append(head)
        for r in range(height):
            t = Text()
            for name, cells, w in row:
                col_w = max(w, len(name))
                if r < len(cells):
                    for c in cells[r]:
                        ch, style = cell_text(c)
                        t.append(ch, style=style)
                    t.append(" " * (col_w - w + 2))
                else:
                    t.append(" " * (col_w + 2))
            lines.append(t)
        lines.append(Text(""))

    for block in blocks:
        need = max(block[2], len(block[0])) + 2
        if row and used + need > width:
            flush()
            row, used = [], 0
        row.append(block)
        used += need
    flush()
    for e in chart.entries:
        t = Text()
        t.append(f"{keys[e.code]} ", style=f"bold white on {channel_colour(e.meridian)}" if colour else None)
        t.append(f" {e.code:<8}", style="bold cyan" if colour else None)
        t.append(f"{e.pinyin} {e.hanzi}  {e.english}  ({e.shown()})")
        lines.append(t)
    if chart.unplaced:
        lines.append(Text(f"Not drawn (no position yet): {', '.join(chart.unplaced)}"))
    lines.append(Text("Write the full chart with -o chart.svg.  " + m.NOTICE, style="dim" if colour else ""))
    if not colour:
        return "".join(line.plain.rstrip() + "\n" for line in lines)
    from rich.console import Group

    return Group(*lines)


def map_preview_for(chart: Any, output: str | None) -> Any:
    """The preview sized and coloured for where it goes: the terminal's width and colours, or plain
    (in a file, and on a terminal whose encoding lacks the half-block characters)."""
    if output and output != "-":
        return map_preview(chart, width=int(os.environ.get("COLUMNS", "100")), colour=False)
    from acupoints.output.streams import carries_unicode

    c = console()
    # the half blocks need a stream that can carry them; else the plain letters, as in a pipe
    colour = c.color_system is not None and not c.no_color and carries_unicode()
    return map_preview(chart, width=c.width, colour=colour)
