"""The `acupoints` command: arguments in, a domain call, a renderer out.

Every error becomes one line on stderr, `acupoints: error: ...`, and an exit code from
model.ExitCode (0 ok, also for an empty result; 1 data or file error; 2 usage; 130 interrupted).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated, Any, NoReturn

import typer
from typer._click import exceptions as click_exc
from typer.core import TyperGroup

from . import (
    __version__,
    errors,  # not the model: it loads with the catalog, not on every call
)


class Format(StrEnum):
    table = "table"
    plain = "plain"
    json = "json"
    csv = "csv"
    yaml = "yaml"


class RxFormat(StrEnum):
    table = "table"
    plain = "plain"
    json = "json"
    csv = "csv"
    yaml = "yaml"
    markdown = "markdown"


class Vocabulary(StrEnum):
    region = "region"
    meridian = "meridian"
    category = "category"
    modality = "modality"
    condition = "condition"
    caution = "caution"


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"acupoints: error: {message}\n")
    return code


class _Group(TyperGroup):
    """Runs the command and turns every failure into one line and an exit code."""

    def main(
        self,
        args: Any = None,
        prog_name: Any = None,
        complete_var: Any = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            rv = super().main(args, prog_name or "acupoints", complete_var, standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) else 0
        except errors.CatalogError as exc:
            code = _fail(_catalog_line(exc), errors.ExitCode.DATA)
        except errors.AcupointsError as exc:
            code = _fail(str(exc), exc.exit_code)
        except click_exc.NoSuchOption as exc:
            hint = f"; did you mean {exc.possibilities[0]}?" if exc.possibilities else ""
            where = f" (see: acupoints {exc.ctx.info_name} --help)" if exc.ctx and exc.ctx.parent else ""
            code = _fail(f"no option {exc.option_name}{hint}{where}", errors.ExitCode.USAGE)
        except click_exc.UsageError as exc:
            cmd = exc.ctx.command_path if exc.ctx else "acupoints"
            code = _fail(f"{exc.format_message()} (see: {cmd} --help)", errors.ExitCode.USAGE)
        except click_exc.ClickException as exc:
            code = _fail(exc.format_message(), exc.exit_code)
        except (typer.Abort, KeyboardInterrupt):
            sys.stderr.write("\n")
            code = errors.ExitCode.INTERRUPTED
        if standalone_mode:
            sys.exit(code)
        return code


def _catalog_line(exc: errors.CatalogError) -> str:
    more = len(exc.problems) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''}; run: acupoints validate)" if more else ""
    return exc.problems[0] + tail


_APP_SETTINGS: dict[str, Any] = {
    "cls": _Group,
    "name": "acupoints",
    "help": (
        "An offline reference to the WHO acupuncture points, for people and scripts.\n\n"
        "Examples:\n\n"
        "  acupoints show zusanli\n\n"
        "  acupoints list --condition DPN --region lower-limb --modality electro\n\n"
        "  acupoints list --condition CIPN -f json\n\n"
        "  acupoints search 'numb toes'\n\n"
        f"{errors.NOTICE}"
    ),
    "no_args_is_help": True,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**_APP_SETTINGS)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"acupoints {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    catalog: Annotated[
        str | None,
        typer.Option(
            "--catalog",
            envvar="ACUPOINTS_CATALOG",
            metavar="PATH",
            help="Read this catalog file instead of the shipped one.",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    ctx.obj = {"catalog": catalog}


def _complete_points(ctx: typer.Context, incomplete: str) -> list[str]:
    """Point codes for TAB: read from the cached catalog, so a press costs one quick load."""
    from .catalog import load_catalog

    try:
        catalog = load_catalog((ctx.find_root().params or {}).get("catalog"))
    except Exception:  # completion must never print a traceback into the shell
        return []
    prefix = incomplete.upper()
    return [c for c in catalog.codes if c.startswith(prefix)]


def _completer(kind: str) -> Any:
    def complete(incomplete: str) -> list[str]:
        from . import model

        values = {
            "condition": list(model.CONDITIONS),
            "region": list(model.REGIONS),
            "modality": list(model.MODALITIES),
            "meridian": list(model.MERIDIANS),
            "category": list(model.CATEGORIES),
            "caution": list(model.CAUTION_KINDS),
            "limb": ["left-arm", "right-arm", "left-leg", "right-leg"],
        }[kind]
        return [v for v in values if v.lower().startswith(incomplete.lower())]

    return complete


def _load(ctx: typer.Context) -> Any:
    from .catalog import load_catalog

    return load_catalog(ctx.obj.get("catalog") if ctx.obj else None)


# The filters `list`, `export` and `quiz` share: each may be given more than once.
ConditionOpt = Annotated[
    list[str], typer.Option("--condition", "-c", autocompletion=_completer("condition"), help="DPN, CIPN or PHN.")
]
RegionOpt = Annotated[
    list[str],
    typer.Option("--region", "-r", autocompletion=_completer("region"), help="A body region; includes its parts."),
]
ModalityOpt = Annotated[
    list[str],
    typer.Option(
        "--modality",
        "-m",
        autocompletion=_completer("modality"),
        help="manual, electro, moxibustion, acupressure or cupping.",
    ),
]
MeridianOpt = Annotated[
    list[str],
    typer.Option(
        "--meridian", autocompletion=_completer("meridian"), help="A channel code in any system: ST, UB, SJ, Du, EX."
    ),
]
CategoryOpt = Annotated[
    list[str],
    typer.Option("--category", autocompletion=_completer("category"), help="A point category, e.g. he-sea, back-shu."),
]


FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table, plain (tab-separated), json, csv or yaml. Default: table on a terminal, plain in a pipe.",
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE (atomically) instead of stdout; the format follows its suffix unless -f is given.",
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")]
FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="A,B,...",
        help="Columns or keys to output, e.g. code,pinyin,english (see the README for all fields).",
    ),
]


def _fmt(fmt: Format | None, output: str | None) -> str:
    from .render import pick_format

    return pick_format(fmt.value if fmt else None, output)


@app.command()
def show(
    ctx: typer.Context,
    points: Annotated[
        list[str],
        typer.Argument(
            metavar="POINT...",
            help="Codes or names: ST36, st-36, UB40, zusanli, 足三里.",
            autocompletion=_complete_points,
        ),
    ],
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Show everything about one or more points.

    Examples:

      acupoints show ST36

      acupoints show zusanli 'Sān Yīn Jiāo' 合谷

      acupoints show LI4 -f json
    """
    from . import render

    catalog = _load(ctx)
    found = []
    for text in points:
        if _is_rx_file(text):  # a saved prescription: show its points
            found += [catalog.lookup(p["code"]) for p in _read_rx(text)["points"]]
        else:
            found.append(catalog.lookup(text))
    render.emit(render.show_points(found, catalog, _fmt(fmt, output)), output, force=force)


@app.command("list")
def list_(
    ctx: typer.Context,
    condition: ConditionOpt = [],  # noqa: B006
    region: RegionOpt = [],  # noqa: B006
    modality: ModalityOpt = [],  # noqa: B006
    meridian: MeridianOpt = [],  # noqa: B006
    category: CategoryOpt = [],  # noqa: B006
    exclude_caution: Annotated[
        list[str],
        typer.Option(
            "--exclude-caution",
            metavar="KIND",
            autocompletion=_completer("caution"),
            help="Leave out points with this kind of caution, e.g. pregnancy.",
        ),
    ] = [],  # noqa: B006
    fields: FieldsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """List points in WHO order, narrowed by any mix of filters.

    Each filter may be given more than once (any of its values matches); different filters
    must all match.

    Examples:

      acupoints list --condition DPN --region lower-limb --modality electro

      acupoints list --condition CIPN -f json

      acupoints list --meridian ST --category he-sea --fields code,pinyin,english
    """
    from . import render

    chosen = render.check_fields(fields)
    catalog = _load(ctx)
    found = catalog.filter(
        condition=condition,
        region=region,
        modality=modality,
        meridian=meridian,
        category=category,
        exclude_caution=exclude_caution,
    )
    render.emit(render.point_list(found, _fmt(fmt, output), chosen, title=f"{len(found)} points"), output, force=force)


@app.command()
def meridian(
    ctx: typer.Context,
    channel: Annotated[str, typer.Argument(metavar="CHANNEL", help="ST, UB, SJ, Du, Ren, EX ... in any system.")],
    fields: FieldsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Show a channel as it is learned: its points in order, with a short summary.

    Examples:

      acupoints meridian ST

      acupoints meridian UB --fields code,pinyin,categories

      acupoints meridian LR -f json
    """
    from . import render

    chosen = render.check_fields(fields)
    view = _load(ctx).channel(channel)
    render.emit(render.channel_view(view, _fmt(fmt, output), chosen), output, force=force)


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[list[str], typer.Argument(metavar="TEXT...", help="Words to look for.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many.")] = 20,
    fields: FieldsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Find points by code, name, location, action or indication, best match first.

    Typos are forgiven: 'zusnli' still finds ST36.

    Examples:

      acupoints search numbness toes

      acupoints search 'knee pain' -n 5 -f json
    """
    from . import render

    chosen = render.check_fields(fields)
    catalog = _load(ctx)
    query = " ".join(text)
    found = [p for p, _ in catalog.search(query, limit=limit)]
    render.emit(
        render.point_list(found, _fmt(fmt, output), chosen, title=f"best matches for {query!r}"), output, force=force
    )


@app.command()
def vocab(
    ctx: typer.Context,
    kind: Annotated[
        Vocabulary | None,
        typer.Argument(help="region, meridian, category, modality, condition or caution; all when left out."),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """List the values a filter takes, with how many points each has.

    Examples:

      acupoints vocab region

      acupoints vocab -f json
    """
    from . import render

    catalog = _load(ctx)
    chosen = _fmt(fmt, output)
    kinds = [kind.value] if kind else [v.value for v in Vocabulary]
    if chosen in ("json", "yaml") and not kind:
        data = {k: [{"value": v, "points": n, "about": a} for v, n, a in catalog.vocabulary(k)] for k in kinds}
        render.emit(render.to_json(data) if chosen == "json" else render.to_yaml(data), output, force=force)
        return
    parts = [render.vocab_table(k, catalog.vocabulary(k), chosen) for k in kinds]
    if all(isinstance(x, str) for x in parts):
        if chosen == "plain" and not kind:
            parts = [
                "".join(f"{k}\t{line}\n" for line in part.splitlines()) for k, part in zip(kinds, parts, strict=True)
            ]
        render.emit("".join(parts), output, force=force)
    else:
        from rich.console import Group

        render.emit(Group(*parts), output, force=force)


def _flags(
    pregnant: bool,
    pacemaker: bool,
    anticoagulants: bool,
    lymphoedema: list[str],
    diabetic_foot: bool,
    low_platelets: bool,
) -> Any:
    from .safety import Flags, parse_limb

    return Flags(
        pregnant,
        pacemaker,
        anticoagulants,
        tuple(dict.fromkeys(parse_limb(x) for x in lymphoedema)),
        diabetic_foot,
        low_platelets,
    )


PregnantOpt = Annotated[bool, typer.Option("--pregnant", help="The patient is pregnant.")]
PacemakerOpt = Annotated[
    bool, typer.Option("--pacemaker", help="Any implanted electronic device (pacemaker, defibrillator).")
]
AnticoagOpt = Annotated[
    bool, typer.Option("--anticoagulants", help="Takes anticoagulants, or has a bleeding disorder.")
]
LymphOpt = Annotated[
    list[str],
    typer.Option(
        "--lymphoedema",
        metavar="LIMB",
        help="A limb with or at risk of lymphoedema: left-arm, right-arm, left-leg, right-leg (repeatable).",
    ),
]
FootOpt = Annotated[bool, typer.Option("--diabetic-foot", help="A neuropathic diabetic foot.")]
PlateletOpt = Annotated[bool, typer.Option("--low-platelets", help="A low platelet count.")]
RxFormatOpt = Annotated[
    RxFormat | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table, plain, json, csv, yaml, or markdown (a handout for the patient).",
    ),
]


def _codes_list(values: list[str]) -> tuple[str, ...]:
    return tuple(x.strip() for v in values for x in v.split(",") if x.strip())


@app.command()
def evidence(
    ctx: typer.Context,
    condition: Annotated[
        str | None, typer.Argument(metavar="[CONDITION]", help="DPN, CIPN or PHN; all when left out.")
    ] = None,
    point: Annotated[
        str | None,
        typer.Option(
            "--point", "-p", metavar="POINT", autocompletion=_complete_points, help="The studies that used this point."
        ),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """What the studies say: the direction and certainty of the evidence, then each study.

    Negative and inconclusive trials and guidelines that make no recommendation are shown beside
    the positive ones.

    Examples:

      acupoints evidence CIPN

      acupoints evidence --point ST36

      acupoints evidence DPN -f json
    """
    from . import render

    catalog = _load(ctx)
    conds = [catalog.check_value("condition", condition)] if condition else list(catalog.conditions)
    sections = []
    if point:
        p = catalog.lookup(point)
        for cond in conds:
            used = [r for r in catalog.references.values() if r.condition == cond and p.code in r.codes]
            maybe = [r for r in catalog.references.values() if r.condition == cond and p.code in r.uncertain_codes]
            if not used and not maybe:
                continue
            notes = [
                f"{r.short} names '{' or '.join(r.uncertain_codes)}': whether it used {p.code} is uncertain."
                for r in maybe
            ]
            if any(r.points_source == "secondary" for r in used):
                notes.append("Point lists marked [secondary summary] come from a third-party summary, not the paper.")
            notes.append("That a study chose a point does not show that the point works.")
            sections.append(
                {
                    "title": f"{p.code} {p.pinyin} in {cond} studies",
                    "condition": cond,
                    "point": p.code,
                    "summary": [f"{len(used)} {cond} stud{'y' if len(used) == 1 else 'ies'} used {p.code}."],
                    "studies": used + maybe,
                    "notes": notes,
                }
            )
        if not sections:
            sections.append(
                {
                    "title": f"{p.code} {p.pinyin}",
                    "point": p.code,
                    "studies": [],
                    "summary": [f"No study in the references used {p.code}."],
                    "notes": [],
                }
            )
    else:
        for cond in conds:
            info = catalog.conditions[cond]
            refs = sorted((r for r in catalog.references.values() if r.condition == cond), key=lambda r: -r.year)
            summary = [info["evidence"]["direction"]]
            summary += [
                f"- {d['text']} ({', '.join(catalog.references[i].short for i in d['cites'])})"
                for d in info["evidence"]["details"]
            ]
            summary.append(f"Where it is felt: {' '.join(info['felt'].split())}")
            notes = []
            if any(r.points_source == "secondary" for r in refs):
                notes.append("Point lists marked [secondary summary] come from a third-party summary, not the paper.")
            sections.append(
                {
                    "title": f"{cond}: {info['name']}",
                    "condition": cond,
                    "summary": summary,
                    "studies": refs,
                    "notes": notes,
                }
            )
    render.emit(render.evidence_view(sections, _fmt(fmt, output)), output, force=force)


@app.command()
def prescribe(
    ctx: typer.Context,
    condition: Annotated[
        str, typer.Option("--condition", "-c", autocompletion=_completer("condition"), help="DPN, CIPN or PHN.")
    ],
    modality: Annotated[
        str | None,
        typer.Option(
            "--modality",
            "-m",
            autocompletion=_completer("modality"),
            help="manual, electro, moxibustion, acupressure, cupping.",
        ),
    ] = None,
    region: Annotated[
        list[str],
        typer.Option(
            "--region", "-r", autocompletion=_completer("region"), help="Only points in this region (repeatable)."
        ),
    ] = [],  # noqa: B006
    max_points: Annotated[int, typer.Option("--max", "-n", min=1, max=40, help="At most this many points.")] = 8,
    include: Annotated[
        list[str], typer.Option("--include", metavar="CODES", help="Points to include, e.g. LI4,ST36.")
    ] = [],  # noqa: B006
    avoid: Annotated[list[str], typer.Option("--avoid", metavar="CODES", help="Points to leave out.")] = [],  # noqa: B006
    pregnant: PregnantOpt = False,
    pacemaker: PacemakerOpt = False,
    anticoagulants: AnticoagOpt = False,
    lymphoedema: LymphOpt = [],  # noqa: B006
    diabetic_foot: FootOpt = False,
    low_platelets: PlateletOpt = False,
    fmt: RxFormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Build a point prescription for a neuropathy, with reasons, pairs, course and warnings.

    Points are ranked by the studies that used them (by design and result, not proof that they
    work); every patient flag changes the result, and a point left out says why. Save it with
    -o rx.yaml; `check` and `show` read it back. -f markdown writes a handout for the patient.

    Examples:

      acupoints prescribe --condition CIPN --modality electro --lymphoedema left-arm

      acupoints prescribe --condition DPN --diabetic-foot --max 6 -o rx.yaml

      acupoints prescribe --condition PHN --pregnant -f markdown -o handout.md
    """
    from . import render
    from .prescribe import prescribe as build

    flags = _flags(pregnant, pacemaker, anticoagulants, lymphoedema, diabetic_foot, low_platelets)
    catalog = _load(ctx)
    rx = build(
        catalog,
        condition,
        modality=modality,
        region=tuple(region),
        max_points=max_points,
        include=_codes_list(include),
        avoid=_codes_list(avoid),
        flags=flags,
    )
    chosen = fmt.value if fmt else None
    if not chosen and output and output.endswith(".md"):
        chosen = "markdown"
    render.emit(render.prescription_view(rx, catalog, _fmt_value(chosen, output)), output, force=force)


def _fmt_value(fmt: str | None, output: str | None) -> str:
    from .render import pick_format

    return pick_format(fmt, output)


def _read_rx(path: str) -> dict[str, Any]:
    from pathlib import Path

    from . import _yamlload
    from .prescribe import load_saved

    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise errors.UsageError(f"{path}: no such file (a saved prescription is read from a .yaml file)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise errors.UsageError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data, _ = _yamlload.load(text)
    except _yamlload.YamlProblem as exc:
        raise errors.UsageError(f"{path}:{exc.line}: {exc.message}") from None
    return load_saved(data)


def _is_rx_file(text: str) -> bool:
    """A saved prescription: any argument ending in .yaml or .yml (no point name does)."""
    return text.lower().endswith((".yaml", ".yml"))


@app.command()
def check(
    ctx: typer.Context,
    points: Annotated[
        list[str], typer.Argument(metavar="POINT... | RX.yaml", help="Point codes or names, or a saved prescription.")
    ],
    pair: Annotated[
        list[str],
        typer.Option("--pair", metavar="A-B[:SIDE]", help="An electroacupuncture pair to check, e.g. LR3-GB42:left."),
    ] = [],  # noqa: B006
    modality: Annotated[
        str | None,
        typer.Option("--modality", "-m", autocompletion=_completer("modality"), help="The modality planned."),
    ] = None,
    pregnant: PregnantOpt = False,
    pacemaker: PacemakerOpt = False,
    anticoagulants: AnticoagOpt = False,
    lymphoedema: LymphOpt = [],  # noqa: B006
    diabetic_foot: FootOpt = False,
    low_platelets: PlateletOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Check points or a saved prescription for a patient: exit 0 when nothing is found, 1 otherwise.

    Reports unknown or duplicated points, cautions for the patient's flags (with their sources),
    pneumothorax, vessel and organ risks, and electroacupuncture pairs that break the rules.

    Examples:

      acupoints check GB21 LI4 SP6 --pregnant

      acupoints check rx.yaml --anticoagulants

      acupoints check LR3 GB42 --pair LR3-GB42 --modality electro --pacemaker
    """
    from . import render
    from .prescribe import saved_flags
    from .safety import check as run_check

    flags = _flags(pregnant, pacemaker, anticoagulants, lymphoedema, diabetic_foot, low_platelets)
    texts: list[str] = []
    pairs: list[tuple[str, str, str]] = []
    for item in points:
        if _is_rx_file(item):
            rx = _read_rx(item)
            texts += [p["code"] for p in rx["points"]]
            for pr in rx.get("pairs") or []:
                a, b = pr["points"]
                pairs.append((a, b, pr.get("sides", "both")))
            flags = flags.merged(saved_flags(rx))  # the saved flags still hold
            modality = modality or rx.get("modality")
        else:
            texts.append(item)
    for spec in pair:
        ends, _, side = spec.partition(":")
        a, sep, b = ends.partition("-")
        if not sep or not a or not b:
            raise errors.UsageError(f"--pair {spec!r}: write two points joined by '-', e.g. LR3-GB42:left")
        pairs.append((a, b, side or "both"))
    catalog = _load(ctx)
    if modality:
        modality = catalog.check_value("modality", modality)
    if pairs and not modality:
        modality = "electro"
    findings = run_check(catalog, texts, pairs=tuple(pairs), flags=flags, modality=modality)
    render.emit(render.check_view(findings, texts, catalog, _fmt(fmt, output)), output, force=force)
    if findings:
        raise typer.Exit(errors.ExitCode.DATA)


class ExportFormat(StrEnum):
    anki = "anki"


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", case_sensitive=False, help="anki: a deck Anki imports.")
    ] = ExportFormat.anki,
    condition: ConditionOpt = [],  # noqa: B006
    region: RegionOpt = [],  # noqa: B006
    modality: ModalityOpt = [],  # noqa: B006
    meridian: MeridianOpt = [],  # noqa: B006
    category: CategoryOpt = [],  # noqa: B006
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Export flashcards: one note a point, narrowed by the same filters as `list`.

    The Anki file is tab-separated (Front, Back, Tags) with Anki's file headers: File > Import
    in Anki reads it as it is, into the deck "Acupoints".

    Examples:

      acupoints export --format anki -o acupoints.txt

      acupoints export --format anki --meridian ST -o stomach.txt
    """
    from . import render

    catalog = _load(ctx)
    found = catalog.filter(condition=condition, region=region, modality=modality, meridian=meridian, category=category)
    render.emit(render.anki_deck(found), output, force=force)


@app.command()
def quiz(
    ctx: typer.Context,
    count: Annotated[int, typer.Option("--count", "-n", min=1, max=500, help="How many questions.")] = 10,
    seed: Annotated[int | None, typer.Option("--seed", help="The same seed asks the same questions.")] = None,
    kind: Annotated[
        list[str], typer.Option("--kind", help="code-to-name, name-to-code, location-to-code or category (repeatable).")
    ] = [],  # noqa: B006
    condition: ConditionOpt = [],  # noqa: B006
    region: RegionOpt = [],  # noqa: B006
    meridian: MeridianOpt = [],  # noqa: B006
    category: CategoryOpt = [],  # noqa: B006
) -> None:
    """Drill points: code to name, name to code, location to code, and categories.

    Any spelling the name resolver accepts counts (st-36, Zusanli, 足三里). Answers can be piped
    in, one a line. Ctrl-C or the end of input stops the quiz with the score so far.

    Examples:

      acupoints quiz --meridian ST --count 5

      acupoints quiz --category he-sea --seed 7

      printf 'ST36\\nzusanli\\n' | acupoints quiz --count 2 --seed 1
    """
    from . import quiz as q
    from . import render

    catalog = _load(ctx)
    kinds = tuple(kind) or q.KINDS
    for k in kinds:
        if k not in q.KINDS:
            raise errors.UsageError(f"unknown question kind {k!r}; use {', '.join(q.KINDS)}")
    points = catalog.filter(condition=condition, region=region, meridian=meridian, category=category)
    questions = q.make_questions(catalog, points, count, seed, kinds)
    console = render.console()
    score, asked, missed = 0, 0, []
    interrupted = False
    try:
        for n, question in enumerate(questions, 1):
            console.print(f"\n{n}/{len(questions)}. {question.prompt}")
            console.print("> ", end="")
            line = sys.stdin.readline()
            if not line:
                console.print()
                break
            asked += 1
            point = catalog.point(question.code)
            if q.is_right(catalog, question, line):
                score += 1
                console.print(f"Right: {q.key_facts(point)}", style="green")
            else:
                missed.append(point.code)
                console.print(f"Not quite. {q.key_facts(point)}", style="yellow")
    except KeyboardInterrupt:
        interrupted = True
        console.print()
    tail = "" if asked == len(questions) else f" (stopped after {asked} of {len(questions)})"
    console.print(f"\nScore: {score}/{asked}{tail}", style="bold")
    if missed:
        console.print("Missed: " + ", ".join(dict.fromkeys(missed)))
    if interrupted:
        raise typer.Exit(errors.ExitCode.INTERRUPTED)


class MapFormat(StrEnum):
    preview = "preview"
    svg = "svg"
    png = "png"
    json = "json"


@app.command("map")
def map_(
    ctx: typer.Context,
    points: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[POINT... | RX.yaml]",
            help="Codes or names, or a saved prescription (its sides are kept).",
            autocompletion=_complete_points,
        ),
    ] = None,
    condition: ConditionOpt = [],  # noqa: B006
    meridian: MeridianOpt = [],  # noqa: B006
    view: Annotated[
        list[str],
        typer.Option(
            "--view",
            metavar="VIEW",
            help="Only these views (repeatable): front, back, side, head, hand-back, palm, leg-outer, "
            "leg-inner, foot-top, sole. Default: every view that shows a chosen point.",
        ),
    ] = [],  # noqa: B006
    fmt: Annotated[
        MapFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="preview (text, the default), svg, png (needs the png extra), or json (each site's place "
            "on each view, in cun).",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (atomically): FILE.svg an SVG chart, FILE.png a picture, FILE.json the places "
            "as data, FILE.txt the preview.",
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Show where points are: a chart with each point marked on every view that shows it.

    Points come from the arguments, --condition, --meridian or a saved prescription. With -o
    chart.svg an SVG chart (points coloured by channel, labelled with their codes, a legend);
    without it, a small preview in the terminal.

    Examples:

      acupoints map ST36 SP6 GB34 LI4 -o chart.svg

      acupoints map --condition CIPN

      acupoints map rx.yaml -o rx-chart.svg

      acupoints map --meridian ST --view front -f json
    """
    from . import chart as chart_mod
    from . import render

    catalog = _load(ctx)
    chosen: dict[str, Any] = {}  # code -> sides (None: every side)
    for text in points or []:
        if _is_rx_file(text):
            for item in _read_rx(text)["points"]:
                code = catalog.lookup(item["code"]).code
                sides = item.get("sides")  # both, left, right or midline
                chosen[code] = {sides} if sides in ("left", "right") else None
        else:
            chosen.setdefault(catalog.lookup(text).code, None)
    if condition or meridian:
        for p in catalog.filter(condition=condition, meridian=meridian):
            chosen.setdefault(p.code, None)
    if not chosen:
        raise errors.UsageError(
            "name points, or give --condition, --meridian or a saved prescription (see: acupoints map --help)"
        )
    chart_mod.check_views(view)
    chosen_fmt = fmt.value if fmt else None
    if not chosen_fmt and output and output != "-":
        suffix = output.lower().rsplit(".", 1)[-1] if "." in output else ""
        if suffix not in ("svg", "png", "json", "txt"):
            raise errors.UsageError(
                f"{output}: write a .svg, .png, .json or .txt file, or give -f svg|png|json|preview"
            )
        chosen_fmt = {"txt": "preview"}.get(suffix, suffix)
    if chosen_fmt == "png" and not output and render.is_terminal():
        raise errors.UsageError("a PNG is binary: write it to a file with -o chart.png")
    positions = catalog.positions()
    chart = chart_mod.make_chart([(catalog.point(c), s) for c, s in chosen.items()], positions, view or None)
    if chart.unplaced:
        _warn(f"no position yet for {_some(chart.unplaced)}: not drawn")
    if chart.unseen:
        _warn(f"not seen in the views asked for: {_some(chart.unseen)}")
    if chosen_fmt in ("svg", "png"):
        from .svg import to_png, to_svg

        names = list(chosen)
        title = "acupoints: " + (", ".join(names) if len(names) <= 8 else f"{len(names)} points")
        drawing = to_svg(chart, title=title, notice=errors.NOTICE)
        render.emit(drawing if chosen_fmt == "svg" else to_png(drawing), output, force=force)
    elif chosen_fmt == "json":
        render.emit(render.to_json(chart_mod.to_data(chart)), output, force=force)
    else:
        render.emit(render.map_preview_for(chart, output), output, force=force)


def _some(codes: list[str], most: int = 12) -> str:
    """Codes for a one-line message: all of a few, the first of many and how many more."""
    return ", ".join(codes) if len(codes) <= most else f"{', '.join(codes[:most])} and {len(codes) - most} more"


def _warn(message: str) -> None:
    sys.stderr.write(f"acupoints: warning: {message}\n")


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[
        str | None, typer.Argument(metavar="[PATH]", help="A catalog file; the one in use when left out.")
    ] = None,
) -> None:
    """Check a catalog file, and the positions that `map` draws, listing every problem, each as
    FILE:LINE: CODE: message.

    Exit status 0 when valid, 1 when not.

    Examples:

      acupoints validate

      acupoints validate my-points.yaml
    """
    from .catalog import load_catalog

    target = path or (ctx.obj or {}).get("catalog")
    try:
        catalog = load_catalog(target, cache=False)
        positions = catalog.positions()
    except errors.CatalogError as exc:
        for problem in exc.problems:
            sys.stderr.write(problem + "\n")
        _exit(f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''} found", errors.ExitCode.DATA)
    shown = target or str(catalog.path)
    sys.stdout.write(
        f"{shown}: valid: {len(catalog)} points, {len(catalog.references)} references, "
        f"{len(catalog.sources)} caution sources\n"
        f"{catalog.data_file('conditions.yaml')}: valid: {len(catalog.conditions)} conditions "
        f"({', '.join(catalog.conditions)})\n"
        f"{positions.path}: valid: {len(positions.placed)} of the {len(catalog)} points placed\n"
    )


def _exit(message: str, code: int) -> NoReturn:
    _fail(message, code)
    raise typer.Exit(code)


def _command_name(args: list[str]) -> str | None:
    """The subcommand an argument list calls, skipping the root options before it."""
    it = iter(args)
    for arg in it:
        if arg == "--catalog":
            next(it, None)
        elif not arg.startswith("-"):
            return arg
    return None


def run(args: list[str] | None = None) -> None:
    """Run the command line. Typer builds the parameters of every command before it parses
    (about 2 ms a command); a call runs one, so only that one is registered. Help, an unknown
    command and a bare `acupoints` get the whole app, so listings and suggestions stay complete.
    """
    args = sys.argv[1:] if args is None else args
    name = _command_name(args)
    chosen = [c for c in app.registered_commands if (c.name or c.callback.__name__) == name]  # type: ignore[union-attr]
    target = app
    if chosen:
        target = typer.Typer(**_APP_SETTINGS)
        target.registered_callback = app.registered_callback
        target.registered_commands = chosen
    target(args=args, prog_name="acupoints")
