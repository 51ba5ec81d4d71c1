"""Where the points are: the body, the positions file, charts, and their SVG, PNG and text forms."""
