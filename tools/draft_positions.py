"""For those who write positions: `python tools/draft_positions.py DRAFT.yaml ...`.

A draft holds `landmarks:`, `lines:` and `points:` in the form of data/positions.yaml; it is laid
over the shipped file and checked, so a new or corrected point can be tried before it is merged.
A tool for contributors: not shipped in the wheel, not part of the command line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from acupoints import _yamlload
from acupoints.catalog import load_catalog
from acupoints.map.chart import VIEW_NAMES, make_chart
from acupoints.map.positions import Positions, default_path


def check_files(paths: list[str]) -> int:
    """The shipped file with these files laid over it, checked: every problem, then each point
    of the given files with its sites and the views that show it. Exit status 1 when anything
    is wrong."""
    base_path = default_path()
    data, _ = _yamlload.load(base_path.read_text(encoding="utf-8"))
    mine: list[str] = []
    origin: dict[str, str] = {}  # name -> the draft that gives it
    problems: list[str] = []
    for path in paths:
        extra, dups = _yamlload.load(Path(path).read_text(encoding="utf-8"))
        problems += [f"{path}:{line}: {msg}" for line, msg in dups]
        for section in ("lines", "landmarks", "points"):
            add = (extra or {}).get(section) or {}
            merged = _yamlload.LineDict(data.get(section) or {})
            merged.key_lines = dict(getattr(data.get(section), "key_lines", {}))
            for k, v in add.items():
                origin[k] = path
                if k in merged:
                    problems.append(f"{path}:{add.line_of(k)}: {k}: already defined (in {section})")
                merged[k] = v
                merged.key_lines[k] = add.line_of(k)
            data[section] = merged
            if section == "points":
                mine += list(add)
    catalog = load_catalog()
    pos = Positions(base_path, data, {p.code: p.bilateral for p in catalog.points})
    for line in pos.problems:  # "positions.yaml:LINE: NAME: ...": name the draft a name came from
        name = line.split(": ", 2)[1] if line.count(": ") >= 2 else ""
        problems.append(f"{origin[name]}:{line.split(':', 1)[1]}" if name in origin else line)
    for line in problems:
        print(line)
    chart = make_chart([(catalog.point(c), None) for c in mine if c in pos], pos, VIEW_NAMES)
    for e in chart.entries:
        sites = pos.sites(e.code)
        where = "; ".join(
            f"{s.side} {s.part} u={s.u:.2f} y={s.y:.2f} xyz=({s.point[0]:.1f},{s.point[1]:.1f},{s.point[2]:.1f})"
            for s in sites
            if s.side != "right"
        )
        print(f"{e.code}: {e.sites} sites; views: {', '.join(e.views) or 'NONE'}; {where}")
    bad = problems or chart.unseen
    if chart.unseen:
        print("shown on no view: " + ", ".join(chart.unseen))
    print(f"{len(mine)} points in {', '.join(paths)}; {len(problems)} problems")
    sys.stdout.flush()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(check_files(sys.argv[1:]))
