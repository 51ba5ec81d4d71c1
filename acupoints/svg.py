"""Kept for scripts written against 0.1: the SVG writer now lives in acupoints.map.svg."""

from acupoints.map.palette import CHANNEL_COLOURS, colour  # noqa: F401
from acupoints.map.svg import to_png, to_svg  # noqa: F401
