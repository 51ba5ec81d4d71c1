"""The channels' colours, shared by the SVG chart and the terminal preview."""

from __future__ import annotations

# One colour a channel: distinct hues, dark enough to read on the body's light fill.
CHANNEL_COLOURS = {
    "LU": "#1f77b4",
    "LI": "#0e9aa7",
    "ST": "#e8710a",
    "SP": "#b8860b",
    "HT": "#d62728",
    "SI": "#d44e9e",
    "BL": "#2ca02c",
    "KI": "#1b2a6b",
    "PC": "#8e5cc4",
    "TE": "#8c564b",
    "GB": "#5b7f1d",
    "LR": "#00838f",
    "GV": "#4d4d4d",
    "CV": "#b3125b",
    "EX": "#111111",
}


def colour(meridian: str) -> str:
    return CHANNEL_COLOURS.get(meridian, "#111111")
