"""Writers: a Result in, a format out. The format is chosen in one place (formats.choose), and
every writer says which of the result's messages its document holds; the rest go to stderr,
one line each, so no format loses what another shows.

Only this package (and the map's terminal preview) imports rich, and only inside the
functions that draw: json, csv, yaml and plain never pay for it.
"""

from __future__ import annotations

from .formats import choose, is_terminal
from .writers import emit, write, write_file

__all__ = ["choose", "emit", "is_terminal", "write", "write_file"]
