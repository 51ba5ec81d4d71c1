"""The `acupoints` command: arguments in, a domain call, a writer out.

Each command parses its arguments, calls the domain, and hands the Result to
`acupoints.output`, which picks the format once and writes it. Every error becomes one line
on stderr, `acupoints: error: ...`, and an exit code from errors.ExitCode (0 ok, also for an
empty result; 1 data or file error, or findings for `check`; 2 usage; 130 interrupted).
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from . import (
    __version__,
    errors,  # not the model: it loads with the catalog, not on every call
)
from . import completion as complete
from .output.formats import ExportFormat, MapFormat, RecordFormat, RxFormat

# click's exception classes, found through typer's public BadParameter: typer 0.24-0.25 use click
# itself, later versions a private copy (typer._click), and neither path is public in both.
_CLICK_ERRORS = {c.__name__: c for c in typer.BadParameter.__mro__}
ClickException: type[Exception] = _CLICK_ERRORS["ClickException"]
ClickUsageError: type[Exception] = _CLICK_ERRORS["UsageError"]


class Vocabulary(StrEnum):
    region = "region"
    meridian = "meridian"
    category = "category"
    modality = "modality"
    condition = "condition"
    caution = "caution"


def _fail(message: str, code: int) -> int:
    from .output.streams import write_err

    write_err(f"acupoints: error: {message}\n")
    return code


class _Group(TyperGroup):
    """Runs the command and turns every failure into one line and an exit code."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # --install-completion and --show-completion take an optional shell, which click cannot
        # express: `--install-completion zsh` run from bash must install for zsh, not for bash
        if not ctx.resilient_parsing:
            request = _completion_request(args)
            if request:
                _completion_action(*request)
        return super().parse_args(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if os.environ.get(complete.COMPLETE_VAR):  # a TAB press: answered from the completion table
            code: int = complete.main(lambda: app)
            if standalone_mode:
                sys.exit(code)
            return code
        try:
            rv = super().main(
                args,
                prog_name or "acupoints",
                complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
            code = rv if isinstance(rv, int) else 0
        except errors.CatalogError as exc:
            code = _fail(_catalog_line(exc), errors.ExitCode.DATA)
        except errors.AcupointsError as exc:
            code = _fail(str(exc), exc.exit_code)
        except ClickUsageError as exc:
            ctx: Any = getattr(exc, "ctx", None)
            if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:  # the bare `acupoints`
                from .output.streams import write_out

                try:  # help asked for by giving nothing: not an error
                    write_out(_short_help(ctx))
                    code = errors.ExitCode.OK
                except errors.AcupointsError as failed:  # stdout closed
                    code = _fail(str(failed), failed.exit_code)
            elif type(exc).__name__ == "NoSuchOption":
                found: Any = getattr(exc, "possibilities", None)
                hint = f"; did you mean {found[0]}?" if found else ""
                where = f" (see: acupoints {ctx.info_name} --help)" if ctx and ctx.parent else ""
                code = _fail(f"no option {getattr(exc, 'option_name', '')}{hint}{where}", errors.ExitCode.USAGE)
            else:
                cmd = ctx.command_path if ctx else "acupoints"
                code = _fail(f"{exc.format_message()} (see: {cmd} --help)", errors.ExitCode.USAGE)  # type: ignore[attr-defined]
        except ClickException as exc:
            code = _fail(exc.format_message(), exc.exit_code)  # type: ignore[attr-defined]
        except OSError as exc:  # a closed stdout written to outside the writers (quiz), a disk that fails
            where = f": {exc.filename}" if exc.filename else ""
            code = _fail(f"{exc.strerror or exc}{where}", errors.ExitCode.DATA)
        except (typer.Abort, KeyboardInterrupt):
            from .output.streams import write_err

            write_err("\n")
            code = errors.ExitCode.INTERRUPTED
        from .output.streams import finish

        finish()
        if standalone_mode:
            sys.exit(code)
        return code


def _short_help(ctx: Any) -> str:
    """What a bare `acupoints` prints: the usage, what the tool is, its commands and where the rest
    is; the whole help, with every option and example, is --help's."""
    fmt = ctx.make_formatter()
    ctx.command.format_usage(ctx, fmt)
    fmt.write_paragraph()
    fmt.write_text((ctx.command.help or "").split("\n\n")[0])
    ctx.command.format_commands(ctx, fmt)
    fmt.write_paragraph()
    fmt.write_text("Run 'acupoints COMMAND --help' for a command's options and examples, 'acupoints --help' for all.")
    fmt.write_paragraph()
    fmt.write_text(errors.NOTICE)
    return fmt.getvalue()


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
    # completion is ours (acupoints.completion): Typer's would install bash's script for any shell
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**_APP_SETTINGS)


def _version(value: bool) -> None:
    if value:
        from .output.streams import write_out

        write_out(f"acupoints {__version__}\n")
        raise typer.Exit()


_COMPLETION_OPTIONS = ("--install-completion", "--show-completion")


def _completion_request(args: Sequence[str]) -> tuple[str, str | None] | None:
    """(option, shell or None) when the root options ask for completion, else None."""
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, value = arg.partition("=")
        if name in _COMPLETION_OPTIONS:
            if eq:
                return name, value
            after = args[i + 1] if i + 1 < len(args) else None
            if after in ("-h", "--help"):
                return None  # the help, not an installation (see _completion_option)
            return name, after if after is not None and not after.startswith("-") else None
        if not arg.startswith("-"):
            return None  # a command: its options are its own
        i += 2 if arg == "--catalog" else 1
    return None


def _completion_action(option: str, shell: str | None) -> NoReturn:
    chosen = complete.check_shell(shell)
    if option == "--show-completion":
        sys.stdout.write(complete.script(chosen) + "\n")
        raise typer.Exit()
    try:
        chosen, written = complete.install(chosen)
    except OSError as exc:
        raise errors.OutputError(f"cannot install completion: {exc.strerror}: {exc.filename}") from None
    loads = f"; {written[1]} loads it" if len(written) > 1 else ""
    sys.stdout.write(f"{chosen} completion installed in {written[0]}{loads}\nIt takes effect in a new {chosen}.\n")
    raise typer.Exit()


def _completion_option(ctx: typer.Context, param: Any, value: str | None) -> None:
    # reached only where _Group.parse_args did not answer first: `--install-completion --help`
    if value in ("-h", "--help"):
        sys.stdout.write(ctx.get_help() + "\n")
        raise typer.Exit()
    if value is not None and not ctx.resilient_parsing:
        _completion_action(param.opts[0], value)


@app.callback()
def _root(
    ctx: typer.Context,
    catalog: Annotated[
        str | None,
        typer.Option(
            "--catalog",
            envvar="ACUPOINTS_CATALOG",
            metavar="PATH",
            autocompletion=complete.FILE,
            help="Read this catalog file instead of the shipped one.",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            metavar="[SHELL]",
            callback=_completion_option,
            expose_value=False,
            autocompletion=complete.SHELL,
            help="Install TAB completion for SHELL: bash, zsh, fish or powershell; when left out, the shell this "
            "runs in (else $SHELL). It takes effect in a new shell.",
        ),
    ] = None,
    show_completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            metavar="[SHELL]",
            callback=_completion_option,
            expose_value=False,
            autocompletion=complete.SHELL,
            help="Print the completion script for SHELL (when left out, the shell this runs in, else $SHELL), to "
            "install it yourself.",
        ),
    ] = None,
) -> None:
    ctx.obj = {"catalog": catalog}


def _load(ctx: typer.Context) -> Any:
    from .catalog import load_catalog

    return load_catalog(ctx.obj.get("catalog") if ctx.obj else None)


CONDITION_HELP = "A condition code (see: acupoints vocab condition)."

# The filters `list`, `export` and `quiz` share: each may be given more than once.
ConditionOpt = Annotated[
    list[str], typer.Option("--condition", "-c", autocompletion=complete.CONDITION, help=CONDITION_HELP)
]
RegionOpt = Annotated[
    list[str],
    typer.Option("--region", "-r", autocompletion=complete.REGION, help="A body region; includes its parts."),
]
ModalityOpt = Annotated[
    list[str],
    typer.Option(
        "--modality",
        "-m",
        autocompletion=complete.MODALITY,
        help="manual, electro, moxibustion, acupressure or cupping.",
    ),
]
MeridianOpt = Annotated[
    list[str],
    typer.Option(
        "--meridian", autocompletion=complete.MERIDIAN, help="A channel in any system (ST, UB, SJ, Du) or words."
    ),
]
CategoryOpt = Annotated[
    list[str],
    typer.Option("--category", autocompletion=complete.CATEGORY, help="A point category, e.g. he-sea, back-shu."),
]


FormatOpt = Annotated[
    RecordFormat | None,
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
        autocompletion=complete.FILE,
        help="Write to FILE (atomically) instead of stdout; the format follows its suffix unless -f is given.",
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")]
FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="A,B,...",
        autocompletion=complete.FIELDS,
        help="Columns or keys to output, e.g. code,pinyin,english, or all (see the README for the fields).",
    ),
]
BomOpt = Annotated[
    bool,
    typer.Option(
        "--bom",
        envvar="ACUPOINTS_BOM",
        help="Start csv and plain output with a UTF-8 byte order mark, so that Excel reads the characters "
        "right; other formats never get one.",
    ),
]


def _write(
    result: Any, fmt: StrEnum | None, output: str | None, force: bool, choices: type[StrEnum], *, bom: bool = False
) -> None:
    """Hand a result to the writers: the format is chosen there, once, for every command."""
    from .output.formats import choose, offered
    from .output.writers import write

    if choices is MapFormat:  # a chart previews on a terminal and in a pipe alike; FILE.txt holds the preview
        options: dict[str, Any] = {"terminal": "preview", "pipe": "preview", "suffixes": {".txt": "preview"}}
    else:
        options = {}
    chosen = choose(fmt.value if fmt else None, output, offered(choices), **options)
    write(result, chosen, output, force=force, bom=bom)


def _fields(fields: str | None, extra: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    if not fields:
        return None
    from . import model as m

    chosen = tuple(f.strip() for f in fields.split(",") if f.strip())
    if "all" in chosen:
        return (*m.EXPORT_FIELDS, *extra)
    for f in chosen:
        if f not in m.EXPORT_FIELDS and f not in extra:
            import difflib

            close = difflib.get_close_matches(f, m.EXPORT_FIELDS, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise errors.UsageError(f"unknown field {f!r}{hint} (fields: all, {', '.join((*m.EXPORT_FIELDS, *extra))})")
    return chosen


class with_patient_flags:  # noqa: N801  (used as a decorator)
    """Give a command one option per patient flag, built from the declaration in acupoints.flags,
    and hand it the flags as one `flags` argument.

    The options are built when typer first asks for the command's signature, which it does only
    for the command being run: `list` and `show` never load the flags.
    """

    def __init__(self, func: Callable[..., Any]) -> None:
        self.func = func
        self.__name__ = func.__name__
        self.__qualname__ = func.__qualname__
        self.__module__ = func.__module__
        self.__doc__ = func.__doc__

    @functools.cached_property
    def __signature__(self) -> inspect.Signature:
        from .flags import specs

        sig = inspect.signature(self.func, eval_str=True)
        made = []
        for spec in specs():
            if spec.limbs:
                opt = typer.Option(spec.option, metavar="LIMB", help=spec.help, autocompletion=complete.LIMB)
                annotation: Any = Annotated[list[str], opt]
                default: Any = []
            else:
                annotation, default = Annotated[bool, typer.Option(spec.option, help=spec.help)], False
            made.append(
                inspect.Parameter(spec.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
            )
        params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in sig.parameters.values() if p.name != "flags"]
        at = next((i for i, p in enumerate(params) if p.name in ("fmt", "output", "force")), len(params))
        params[at:at] = made
        return sig.replace(parameters=params)

    @functools.cached_property
    def __annotations__(self) -> dict[str, Any]:  # type: ignore[override]
        return {p.name: p.annotation for p in self.__signature__.parameters.values()}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from .flags import Flags, specs

        values: dict[str, Any] = {}
        for s in specs():
            given = kwargs.pop(s.name)
            values[s.name] = tuple(given) if s.limbs else given
        return self.func(*args, flags=Flags(**values), **kwargs)


@app.command()
def show(
    ctx: typer.Context,
    points: Annotated[
        list[str],
        typer.Argument(
            metavar="POINT...",
            help="Codes or names: ST36, st-36, UB40, zusanli, 足三里.",
            autocompletion=complete.POINT_OR_RX,
        ),
    ],
    fields: FieldsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    bom: BomOpt = False,
) -> None:
    """Show everything about one or more points.

    Examples:

      acupoints show ST36

      acupoints show zusanli 'Sān Yīn Jiāo' 合谷

      acupoints show LI4 -f json

      acupoints show ST36 SP6 --fields code,needling,cautions -f csv
    """
    from .results import PointPages

    chosen = _fields(fields)
    catalog = _load(ctx)
    # rxfile.is_rx_file, without importing rxfile for a plain lookup (show is the quickest command)
    saved = [t for t in points if t.lower().endswith((".yaml", ".yml"))]
    if saved:  # a saved prescription shows as a prescription: points with their sides, pairs, flags, plan
        from . import rxfile

        if len(points) > 1:
            raise errors.UsageError("show one saved prescription at a time, with no other points")
        if chosen:
            raise errors.UsageError("--fields picks the fields of points, not of a saved prescription")
        _write(rxfile.SavedView(rxfile.read(saved[0]), catalog), fmt, output, force, RecordFormat, bom=bom)
        return
    _write(PointPages([catalog.lookup(t) for t in points], catalog, chosen), fmt, output, force, RecordFormat, bom=bom)


ExcludeCautionOpt = Annotated[
    list[str],
    typer.Option(
        "--exclude-caution",
        metavar="KIND",
        autocompletion=complete.CAUTION,
        help="Leave out points with this kind of caution, e.g. pregnancy.",
    ),
]


@app.command("list")
def list_(
    ctx: typer.Context,
    condition: ConditionOpt = [],  # noqa: B006
    region: RegionOpt = [],  # noqa: B006
    modality: ModalityOpt = [],  # noqa: B006
    meridian: MeridianOpt = [],  # noqa: B006
    category: CategoryOpt = [],  # noqa: B006
    exclude_caution: ExcludeCautionOpt = [],  # noqa: B006
    fields: FieldsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    bom: BomOpt = False,
) -> None:
    """List points in WHO order, narrowed by any mix of filters.

    Each filter may be given more than once or as a comma list (--meridian ST,SP): any of its
    values matches; different filters must all match.

    Examples:

      acupoints list --condition DPN --region lower-limb --modality electro

      acupoints list --condition CIPN -f json

      acupoints list --meridian ST --category he-sea --fields code,pinyin,english
    """
    from .results import PointList

    chosen = _fields(fields)
    found = _load(ctx).filter(
        condition=condition,
        region=region,
        modality=modality,
        meridian=meridian,
        category=category,
        exclude_caution=exclude_caution,
    )
    title = f"{len(found)} point{'' if len(found) == 1 else 's'}"
    _write(PointList(found, chosen, title=title), fmt, output, force, RecordFormat, bom=bom)


@app.command()
def meridian(
    ctx: typer.Context,
    channel: Annotated[
        str,
        typer.Argument(
            metavar="CHANNEL", help="ST, UB, SJ, Du, Ren, EX, or a name: stomach.", autocompletion=complete.MERIDIAN
        ),
    ],
    fields: FieldsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    bom: BomOpt = False,
) -> None:
    """Show a channel as it is learned: its points in order, with a short summary.

    Examples:

      acupoints meridian ST

      acupoints meridian stomach

      acupoints meridian UB --fields code,pinyin,categories

      acupoints meridian LR -f json
    """
    from .results import ChannelView

    chosen = _fields(fields)
    view = _load(ctx).channel(channel)
    _write(ChannelView(view["channel"], view["points"], chosen), fmt, output, force, RecordFormat, bom=bom)


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[list[str], typer.Argument(metavar="TEXT...", help="Words to look for.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many.")] = 20,
    min_score: Annotated[
        float | None, typer.Option("--min-score", metavar="SCORE", help="Only hits scoring at least this much.")
    ] = None,
    fields: FieldsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    bom: BomOpt = False,
) -> None:
    """Find points by code, name, symptom, action, condition or location, best match first.

    Symptoms and conditions are matched with their synonyms (shingles finds the PHN points);
    typos are forgiven below exact matches ('zusnli' still finds ST36). -f json gives each hit's
    score and the fields that matched.

    Examples:

      acupoints search numb toes

      acupoints search headache -n 5 -f json

      acupoints search 'motion sickness' --min-score 5
    """
    from .results import SEARCH_FIELDS, SearchResults

    chosen = _fields(fields, extra=SEARCH_FIELDS)
    catalog = _load(ctx)
    query = " ".join(text)
    hits = catalog.search_hits(query, limit=limit, min_score=min_score)
    suggestions = catalog.searcher().suggest(query) if not hits else []
    points = [catalog.point(h.code) for h in hits]
    _write(SearchResults(points, hits, chosen, query, suggestions), fmt, output, force, RecordFormat, bom=bom)


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
    bom: BomOpt = False,
) -> None:
    """List the values a filter takes, with how many points each has.

    Examples:

      acupoints vocab region

      acupoints vocab -f json
    """
    from .results import Vocabularies

    catalog = _load(ctx)
    kinds = [kind.value] if kind else [v.value for v in Vocabulary]
    result = Vocabularies([(k, catalog.vocabulary(k)) for k in kinds], kind is not None)
    _write(result, fmt, output, force, RecordFormat, bom=bom)


RxFormatOpt = Annotated[
    RxFormat | None,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table, plain, json, csv, yaml, or markdown (a handout for the patient).",
    ),
]


@app.command()
def evidence(
    ctx: typer.Context,
    condition: Annotated[
        str | None,
        typer.Argument(
            metavar="[CONDITION]", help="A condition code; all when left out.", autocompletion=complete.CONDITION
        ),
    ] = None,
    point: Annotated[
        str | None,
        typer.Option(
            "--point", "-p", metavar="POINT", autocompletion=complete.POINT, help="The studies that used this point."
        ),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    bom: BomOpt = False,
) -> None:
    """What the studies say: the direction and certainty of the evidence, then each study.

    Negative and inconclusive trials and guidelines that make no recommendation are shown beside
    the positive ones.

    Examples:

      acupoints evidence CIPN

      acupoints evidence --point ST36

      acupoints evidence DPN -f json
    """
    from . import evidence as ev

    catalog = _load(ctx)
    conds = [catalog.check_value("condition", condition)] if condition else list(catalog.conditions)
    view = ev.for_point(catalog, point, conds) if point else ev.for_conditions(catalog, conds)
    _write(view, fmt, output, force, RecordFormat, bom=bom)


@app.command()
@with_patient_flags
def prescribe(
    ctx: typer.Context,
    condition: Annotated[
        str, typer.Option("--condition", "-c", autocompletion=complete.CONDITION, help=CONDITION_HELP)
    ],
    modality: Annotated[
        str | None,
        typer.Option(
            "--modality",
            "-m",
            autocompletion=complete.MODALITY,
            help="manual, electro, moxibustion, acupressure, cupping.",
        ),
    ] = None,
    region: Annotated[
        list[str],
        typer.Option("--region", "-r", autocompletion=complete.REGION, help="Only points in this region (repeatable)."),
    ] = [],  # noqa: B006
    max_points: Annotated[int, typer.Option("--max", "-n", min=1, max=40, help="At most this many points.")] = 8,
    include: Annotated[
        list[str],
        typer.Option(
            "--include", metavar="CODES", autocompletion=complete.POINT_LIST, help="Points to include, e.g. LI4,ST36."
        ),
    ] = [],  # noqa: B006
    avoid: Annotated[
        list[str],
        typer.Option("--avoid", metavar="CODES", autocompletion=complete.POINT_LIST, help="Points to leave out."),
    ] = [],  # noqa: B006
    flags: Any = None,
    fmt: RxFormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    bom: BomOpt = False,
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
    from .prescribe import PrescriptionReport
    from .prescribe import prescribe as build

    catalog = _load(ctx)
    rx = build(
        catalog,
        condition,
        modality=modality,
        region=region,
        max_points=max_points,
        include=include,
        avoid=avoid,
        flags=flags,
    )
    _write(PrescriptionReport(rx, catalog), fmt, output, force, RxFormat, bom=bom)


@app.command()
@with_patient_flags
def check(
    ctx: typer.Context,
    points: Annotated[
        list[str],
        typer.Argument(
            metavar="POINT... | RX.yaml",
            help="Point codes or names, or a saved prescription.",
            autocompletion=complete.POINT_OR_RX,
        ),
    ],
    pair: Annotated[
        list[str],
        typer.Option("--pair", metavar="A-B[:SIDE]", help="An electroacupuncture pair to check, e.g. LR3-GB42:left."),
    ] = [],  # noqa: B006
    modality: Annotated[
        str | None,
        typer.Option("--modality", "-m", autocompletion=complete.MODALITY, help="The modality planned."),
    ] = None,
    condition: Annotated[
        str | None,
        typer.Option(
            "--condition",
            "-c",
            autocompletion=complete.CONDITION,
            help="The condition treated: its rules apply too (no moxibustion where it dulls sensation).",
        ),
    ] = None,
    flags: Any = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    bom: BomOpt = False,
) -> None:
    """Check points or a saved prescription for a patient, with the rules prescribe uses.

    Exit 0 when the rules exclude nothing (cautions, such as the lung under BL13, are listed and
    leave it at 0), 1 when they exclude a point, a side or a pair, or a point is unknown or
    listed twice, 2 for unusable input (a malformed prescription file, bad pair syntax, a
    catalog that does not load). A point may name its side: LI4:right.

    Examples:

      acupoints check GB21 LI4 SP6 --pregnant

      acupoints check rx.yaml --anticoagulants

      acupoints check LR3 GB42 --pair LR3-GB42 --modality electro --pacemaker
    """
    from . import rxfile
    from .rules import effective_modality
    from .safety import CheckReport
    from .safety import check as run_check

    try:  # check is a gate: a catalog that does not load is unusable input (2), not a finding (1)
        catalog = _load(ctx)
    except errors.CatalogError as exc:
        raise errors.UsageError(_catalog_line(exc)) from None
    texts: list[str] = []
    pairs: list[tuple[str, str, str]] = []
    notes: list[str] = []
    asked = modality
    for item in points:
        if not item.strip():  # unusable input, not an unknown point (which is a finding)
            raise errors.UnknownPointError(item)
        if rxfile.is_rx_file(item):
            saved = rxfile.read(item)
            texts += saved.point_texts()
            pairs += saved.pairs
            flags = flags.merged(saved.flags)  # the saved flags still hold
            condition = condition or saved.condition
            # the modality the prescription uses; asking again for the one it was made for changes nothing
            if asked is None or asked == saved.modality:
                modality = saved.modality_used or saved.modality
        else:
            texts.append(item)
    from ._many import many

    for spec in many(pair, "--pair"):
        try:
            pairs.append(rxfile.parse_pair(spec, lambda t: bool(catalog.resolve(t))))
        except errors.UsageError as exc:
            raise errors.UsageError(f"--pair {exc}") from None
    if modality:
        modality = catalog.check_value("modality", modality)
    if condition:
        condition = catalog.check_value("condition", condition)
    if pairs and not modality:
        modality = "electro"
    if modality == "electro" and not pairs and flags.pacemaker and asked is None:
        modality, note = effective_modality(modality, flags)
        notes += [note] if note else []
    findings = run_check(catalog, texts, pairs=tuple(pairs), flags=flags, modality=modality, condition=condition)
    report = CheckReport(texts, findings, catalog, tuple(notes))
    _write(report, fmt, output, force, RecordFormat, bom=bom)
    if not report.ok:
        raise typer.Exit(errors.ExitCode.DATA)


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
    from .results import PointList

    catalog = _load(ctx)
    found = catalog.filter(condition=condition, region=region, modality=modality, meridian=meridian, category=category)
    _write(PointList(found), fmt, output, force, ExportFormat)


@app.command()
def quiz(
    ctx: typer.Context,
    count: Annotated[int, typer.Option("--count", "-n", min=1, max=500, help="How many questions.")] = 10,
    seed: Annotated[int | None, typer.Option("--seed", help="The same seed asks the same questions.")] = None,
    kind: Annotated[
        list[str],
        typer.Option(
            "--kind",
            autocompletion=complete.QUIZ_KIND,
            help="code-to-name, name-to-code, location-to-code or category (repeatable).",
        ),
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
    from ._many import many
    from .output.streams import writing_out
    from .output.writers import console as make_console

    catalog = _load(ctx)
    kinds = many(kind, "--kind") or q.KINDS
    for k in kinds:
        if k not in q.KINDS:
            raise errors.UsageError(f"unknown question kind {k!r}; use {', '.join(q.KINDS)}")
    points = catalog.filter(condition=condition, region=region, meridian=meridian, category=category)
    questions = q.make_questions(catalog, points, count, seed, kinds)
    with writing_out():  # a reader that has gone (| head) ends the quiz quietly
        console = make_console()
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


@app.command("map")
def map_(
    ctx: typer.Context,
    points: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[POINT... | RX.yaml]",
            help="Codes or names, or a saved prescription (its sides are kept).",
            autocompletion=complete.POINT_OR_RX,
        ),
    ] = None,
    condition: ConditionOpt = [],  # noqa: B006
    meridian: MeridianOpt = [],  # noqa: B006
    view: Annotated[
        list[str],
        typer.Option(
            "--view",
            metavar="VIEW",
            autocompletion=complete.VIEW,
            help="Only these views (repeatable): front, back, side, head, hand-back, palm, leg-outer, "
            "leg-inner, foot-top, sole. Default: every view that shows a chosen point.",
        ),
    ] = [],  # noqa: B006
    everything: Annotated[
        bool, typer.Option("--all", help="Every point of the catalog (409 on the shipped one).")
    ] = False,
    channels: Annotated[
        bool,
        typer.Option(
            "--channels",
            help="Draw the channel line of each charted point's channel (--meridian draws its own channels anyway).",
        ),
    ] = False,
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
            autocompletion=complete.FILE,
            help="Write to FILE (atomically): FILE.svg an SVG chart, FILE.png a picture, FILE.json the places "
            "as data, FILE.txt the preview.",
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Show where points are: a chart with each point marked on every view that shows it.

    Points come from the arguments, --condition, --meridian, --all or a saved prescription.
    With -o chart.svg an SVG chart (points coloured by channel, labelled with their codes, a
    legend; each --meridian channel drawn as a line through its points); without it, a small
    preview in the terminal.

    Examples:

      acupoints map ST36 SP6 GB34 LI4 -o chart.svg

      acupoints map --condition CIPN

      acupoints map rx.yaml -o rx-chart.svg

      acupoints map --meridian ST --view front -f json

      acupoints map --all --channels -o atlas.svg
    """
    from .map.report import gather, make_report

    catalog = _load(ctx)
    try:
        chosen = gather(catalog, points or [], condition, meridian, everything)
    except errors.UsageError as exc:
        if "name points" not in str(exc):
            raise
        raise errors.UsageError(
            "name points, or give --condition, --meridian, --all or a saved prescription (see: acupoints map --help)"
        ) from None
    lines = [p.meridian for p in catalog.filter(meridian=meridian)] if meridian else []
    if channels:
        lines += [catalog.point(c).meridian for c in chosen]
    _write(make_report(catalog, chosen, view, lines), fmt, output, force, MapFormat)


@app.command()
def site(
    ctx: typer.Context,
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="The folder to write (built beside it, then renamed into place).",
        ),
    ],
    condition: ConditionOpt = [],  # noqa: B006
    region: RegionOpt = [],  # noqa: B006
    modality: ModalityOpt = [],  # noqa: B006
    meridian: MeridianOpt = [],  # noqa: B006
    category: CategoryOpt = [],  # noqa: B006
    exclude_caution: ExcludeCautionOpt = [],  # noqa: B006
    force: Annotated[bool, typer.Option("--force", help="Replace DIR if it holds a site built before.")] = False,
) -> None:
    """Write the atlas as a static site: a page a point, channel, condition and category, with
    charts, cautions, studies, references and a search box; it works from disk, offline.

    The same filters as `list` narrow which points get pages. Needs the `site` extra:
    pip install 'acupoints[site]'.

    Examples:

      acupoints site -o atlas

      acupoints site -o cipn-atlas --condition CIPN

      acupoints site -o atlas --force
    """
    from .site import build_site

    built = build_site(
        _load(ctx),
        output,
        force=force,
        condition=condition,
        region=region,
        modality=modality,
        meridian=meridian,
        category=category,
        exclude_caution=exclude_caution,
    )
    sys.stderr.write(f"acupoints: note: {built.summary()}\n")


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[
        str | None,
        typer.Argument(
            metavar="[PATH]", help="A catalog file; the one in use when left out.", autocompletion=complete.FILE
        ),
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
    problems: list[str] = []
    try:
        catalog = load_catalog(target, cache=False)
    except errors.CatalogError as exc:
        problems = exc.problems
    else:  # the files that need the points to be checked: each reports its own problems
        checks = {"positions": catalog.positions, "plain": catalog.plain_locations, "synonyms": catalog.synonyms}
        found: dict[str, Any] = {}
        for name, check in checks.items():
            try:
                found[name] = check()
            except errors.CatalogError as exc:
                problems += exc.problems
    from .output.streams import write_err, write_out

    if problems:
        write_err("".join(problem + "\n" for problem in problems))
        _exit(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", errors.ExitCode.DATA)
    shown = target or str(catalog.path)
    write_out(
        f"{shown}: valid: {len(catalog)} points, {len(catalog.references)} references, "
        f"{len(catalog.sources)} caution sources\n"
        f"{catalog.data_file('conditions.yaml')}: valid: {len(catalog.conditions)} conditions "
        f"({', '.join(catalog.conditions)})\n"
        f"{found['positions'].path}: valid: {len(found['positions'].placed)} of the {len(catalog)} points placed\n"
        f"{catalog.data_file('plain-locations.yaml')}: valid: {len(found['plain'])} of the {len(catalog)} points "
        "in plain words\n"
        f"{catalog.data_file('synonyms.yaml')}: valid: {len(found['synonyms'])} groups of synonyms\n"
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
    from .output.streams import utf8_args

    args = utf8_args(sys.argv[1:] if args is None else args)
    name = _command_name(args)
    chosen = [c for c in app.registered_commands if (c.name or c.callback.__name__) == name]  # type: ignore[union-attr]
    target = app
    if chosen:
        target = typer.Typer(**_APP_SETTINGS)
        target.registered_callback = app.registered_callback
        target.registered_commands = chosen
    target(args=args, prog_name="acupoints")
