"""Writers: a Result in, a format out.

- formats.py chooses the format, once: -f, else the -o suffix, else terminal or pipe;
- writers.py has one writer a format; each says which of the result's messages its document
  holds, and `write` sends the rest to stderr, one line each, so no format loses what another
  shows;
- views.py draws the Rich tables, cells.py says how a value sits in a cell.

Only this package (and the map's terminal preview) imports rich, and only inside the functions
that draw: json, csv, yaml and plain never pay for it. Nothing is imported here, so that the CLI
can read the format choices without loading the writers.
"""
