"""Shell completion: what TAB offers in bash, zsh, fish and PowerShell, and how fast.

A TAB press runs `acupoints` with _ACUPOINTS_COMPLETE set, in the protocol Typer's scripts use
(so a script installed by an earlier version keeps working). `__main__` sends it here before
typer, rich or the catalog are imported: the answer comes from a completion table kept in the
cache, made once from the app's own parameters (so it cannot drift from cli.py) and from the
catalog, under a key made of the catalog's bytes and the package's files. A warm TAB then costs
an interpreter start, one small marshal read and a loop over 409 points.

What is offered, and why in that form:
- A value starts with what was typed, case aside: fish drops any other (it matches descriptions
  only when no value matches), and bash and zsh then insert it whole. So `st3` offers ST30..ST39,
  `ub6` offers UB60..UB67 (UB is an older name of BL: the resolver reads UB60 as BL60, and the
  description says so), `zus` offers zusanli.
- Pinyin is offered toneless and lowercase (nothing to quote, easy to type); a word typed with
  tones completes with tones. A toneless spelling that names several points (futu: LI18 and
  ST32) offers the codes instead, each described.
- English names and characters are offered where they name one point.
- File names only where a file goes: a saved prescription beside point names (show, check,
  map), `validate PATH`, `--catalog` and `-o`. Elsewhere an empty answer stays empty.

Every value offered resolves: the table is checked against the resolver when it is made.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

COMPLETE_VAR = "_ACUPOINTS_COMPLETE"
PROG = "acupoints"
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
TABLE_FORMAT = 1
# The answer's exit status that asks the shell script for its own file-name completion.
FILES_STATUS = 3

# Channel letters that complete to every point of the channel before a number is typed: the WHO
# codes and the older English ones. Single letters (K, H, B) and the French and German systems
# need the number first, or `he<TAB>` would drown hegu in the German heart channel.
_LETTERS_ALONE = frozenset("lu li st sp ht si bl ki pc te gb lr gv cv ub sj du ren liv lv kd tw th tb cx rn dm".split())
_FORMAT_HELP = {
    "table": "for people",
    "plain": "tab-separated, one record a line",
    "json": "JSON",
    "csv": "comma-separated",
    "yaml": "YAML",
    "markdown": "a handout for the patient",
    "anki": "a deck Anki imports",
    "preview": "a text preview",
    "svg": "an SVG chart",
    "png": "a PNG picture",
}


# -- the completers cli.py names ------------------------------------------------------------------
def completer(kind: str) -> Callable[[Any, str], list[tuple[str, str]]]:
    """A Typer `autocompletion=` callback for one kind of value. Its `kind` is what the completion
    table records for the parameter. The command answers a TAB from the table before Typer runs;
    the callback answers where Typer's own completion is asked (a script calling the app)."""

    def complete(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
        try:
            root = ctx.find_root().params or {}
            table = load_table(root.get("catalog"))
            found, _files = candidates(table, kind, incomplete, getattr(ctx.command, "name", None))
        except Exception:  # completion must never print a traceback into the shell
            return []
        return [(v, d) for v, d in found]

    complete.kind = kind  # type: ignore[attr-defined]  # typer copies it onto its wrapper
    complete.__name__ = f"complete_{kind.replace('-', '_').rstrip(',')}"
    return complete


POINT = completer("point")
POINT_OR_RX = completer("point-or-rx")
POINT_LIST = completer("points,")
CONDITION = completer("condition")
REGION = completer("region")
MODALITY = completer("modality")
MERIDIAN = completer("meridian")
CATEGORY = completer("category")
CAUTION = completer("caution")
LIMB = completer("limb")
VIEW = completer("view")
QUIZ_KIND = completer("quiz-kind")
FIELDS = completer("fields,")
FILE = completer("file")
SHELL = completer("shell")


# -- the table ------------------------------------------------------------------------------------
def _catalog_files(catalog: str | None) -> tuple[str, str]:
    """points.yaml and conditions.yaml as load_catalog finds them (--catalog, ACUPOINTS_CATALOG,
    the shipped one; conditions.yaml beside the catalog, else the shipped one)."""
    from ._store import data_dir

    points = catalog or os.environ.get("ACUPOINTS_CATALOG") or str(data_dir() / "points.yaml")
    beside = os.path.join(os.path.dirname(points) or ".", "conditions.yaml")
    return points, beside if os.path.isfile(beside) else str(data_dir() / "conditions.yaml")


def _read(path: str) -> bytes:
    if not os.path.isfile(path):  # a FIFO or a device would hang the TAB
        return b""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return b""


def _code_signature() -> bytes:
    """The package's files by size and time: an edited cli.py (a new option) is a new table."""
    parts: list[str] = []

    def walk(folder: str) -> None:
        with os.scandir(folder) as entries:
            for e in entries:
                if e.name.endswith(".py"):
                    st = e.stat()
                    parts.append(f"{e.path}:{st.st_size}:{st.st_mtime_ns}")
                elif e.is_dir() and not e.name.startswith(("_", ".")):
                    walk(e.path)

    walk(os.path.dirname(os.path.abspath(__file__)))
    return "\n".join(sorted(parts)).encode()


def load_table(catalog: str | None = None, app: Callable[[], Any] | None = None) -> dict[str, Any]:
    """The completion table for this catalog: from the cache, else made (and kept, when `app`
    gives the Typer app whose commands it describes; without it, only values are made)."""
    from . import _store

    points_path, conditions_path = _catalog_files(catalog)
    blobs = [_code_signature(), _read(points_path), _read(conditions_path)]
    path = _store.cache_file("completion", blobs, TABLE_FORMAT)
    table = _store.cache_load(path, TABLE_FORMAT)
    if table is None:
        table = build_table(points_path, app() if app is not None else None)
        if app is not None:
            _store.cache_save(path, table)
    return table


def build_table(catalog: str | None = None, app: Any = None) -> dict[str, Any]:
    """Everything a TAB may offer: the commands and their parameters (read from the Typer app
    itself, so they cannot drift from cli.py), the vocabularies, and the catalog's points, names
    and conditions."""
    grammar = _grammar(app) if app is not None else {"root": [], "commands": {}}
    table: dict[str, Any] = {"format": TABLE_FORMAT, **grammar, "vocab": _vocabularies()}
    try:
        from .catalog import load_catalog

        if catalog is not None and not os.path.isfile(catalog):
            raise FileNotFoundError(catalog)  # missing, or a FIFO or device that would hang the TAB
        table.update(_catalog_part(load_catalog(catalog)))
    except Exception:  # a catalog that does not load completes no points; the rest still works
        table.update(points=[], names=[], conditions=[])
    return table


def _grammar(app: Any) -> dict[str, Any]:
    """Commands, options and arguments, as click sees them, with the completer cli.py gave each."""
    import typer.main
    import typer.utils

    group: Any = typer.main.get_command(app)

    def describe(params: Iterable[Any], meta: dict[str, Any]) -> tuple[list[Any], list[Any]]:
        options: list[Any] = []
        arguments: list[Any] = []
        for p in params:
            info = getattr(meta.get(p.name), "default", None)
            kind = getattr(getattr(info, "autocompletion", None), "kind", None)
            choices = list(getattr(p.type, "choices", None) or ()) or None
            if choices and kind is None:
                kind = "choice"
            if p.param_type_name == "argument":
                arguments.append((p.name, p.nargs, kind, choices))
            else:
                takes = not (p.is_flag or getattr(p, "count", False))
                text = " ".join((p.help or "").split())
                options.append((list(p.opts) + list(p.secondary_opts), takes, bool(p.multiple), kind, choices, text))
        options.append((["-h", "--help"], False, False, None, None, "Show the help and exit."))
        return options, arguments

    root_meta = typer.utils.get_params_from_function(app.registered_callback.callback)
    root_options, _ = describe(group.params, root_meta)
    commands = {}
    by_name = {(c.name or c.callback.__name__): c for c in app.registered_commands}
    for name, cmd in group.commands.items():
        meta = typer.utils.get_params_from_function(by_name[name].callback)
        options, arguments = describe(cmd.params, meta)
        commands[name] = {"help": cmd.get_short_help_str(limit=80), "options": options, "arguments": arguments}
    return {"root": root_options, "commands": commands}


def _vocabularies() -> dict[str, list[tuple[str, str]]]:
    from . import model, quiz
    from .flags import LIMBS
    from .map.chart import VIEWS
    from .results import SEARCH_FIELDS

    return {
        "region": [(r, ", ".join(model.REGION_TREE.get(r, ()))) for r in model.REGIONS],
        "meridian": [(k, v) for k, v in model.MERIDIANS.items()],
        "category": [(c, "") for c in model.CATEGORIES],
        "modality": [(c, "") for c in model.MODALITIES],
        "caution": [(c, "") for c in model.CAUTION_KINDS],
        "limb": [(k, f"{side} {part}") for k, (side, part) in LIMBS.items()],
        "view": [(k, v.title) for k, v in VIEWS.items()],
        "quiz-kind": [(k, "") for k in quiz.KINDS],
        "shell": [(s, "") for s in SHELLS],
        "fields": [("all", "every field"), *((f, "") for f in model.EXPORT_FIELDS)],
        "fields:search": [("all", "every field"), *((f, "") for f in (*model.EXPORT_FIELDS, *SEARCH_FIELDS))],
        "format": [(k, v) for k, v in _FORMAT_HELP.items()],
    }


def _catalog_part(catalog: Any) -> dict[str, Any]:
    """The points (code, channel, number, description) and every name that completes to them,
    each checked against the resolver: a unique name is offered as itself, a shared one as its
    codes."""
    from . import codes

    points = []
    desc: dict[str, str] = {}
    for p in catalog:
        desc[p.code] = f"{p.pinyin} {p.hanzi}, {p.english}"
        points.append((p.code, p.code[: len(p.code) - len(str(p.number))], str(p.number), desc[p.code]))
    names: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}

    def add(kind: str, key: str, value: str) -> None:
        if not key or (kind, key) in names:
            return
        found = tuple(p.code for p in catalog.resolve(value))
        if found:
            names[(kind, key)] = (value if len(found) == 1 else "", found)

    for p in catalog:
        add("p", codes.toneless_key(p.pinyin), codes.toneless_key(p.pinyin))
        # no apostrophe (Fù'āi): in a shell it opens a quote, and Fùāi resolves all the same
        add("t", codes.toned_key(p.pinyin), p.pinyin.replace(" ", "").replace("'", "").replace("’", ""))
        for han in (p.hanzi, p.hanzi_simplified):
            if han:
                add("h", codes.hanzi_key(han), han)
        for name in (p.english, *p.aliases):
            if any(codes.is_cjk(c) for c in name):
                add("h", codes.hanzi_key(name), name)
            else:
                add("n", codes.name_key(name), name)
    return {
        "points": points,
        "names": [(kind, key, value, found) for (kind, key), (value, found) in names.items()],
        "conditions": [(k, v) for k, v in catalog.condition_names().items()],
    }


# -- what a TAB offers ----------------------------------------------------------------------------
Candidates = list[tuple[str, str]]


def candidates(
    table: dict[str, Any], kind: str | None, incomplete: str, command: str | None = None
) -> tuple[Candidates, str]:
    """(value, description) pairs for one kind of value, and whether the shell should complete
    file names itself instead: "" no, "any" any file, "rx" a saved prescription."""
    if kind is None:
        return [], ""
    if kind.endswith(","):  # a comma list: complete its last item
        head, comma, last = incomplete.rpartition(",")
        found, _files = candidates(table, kind[:-1], last, command)
        return [(head + comma + v, d) for v, d in found], ""
    if kind == "file":
        return [], "any"
    if kind == "point-or-rx":
        if incomplete.startswith(("~", ".", "/")) or "/" in incomplete:
            return [], "rx"
        return _points(table, incomplete) + [(f, "a saved prescription") for f in _yaml_files(incomplete)], ""
    if kind in ("point", "points"):
        return _points(table, incomplete), ""
    if kind == "condition":
        return _conditions(table, incomplete), ""
    if kind == "meridian":
        return _meridians(table, incomplete), ""
    vocab = table["vocab"]
    return _prefixed(vocab.get(f"{kind}:{command}") or vocab.get(kind, ()), incomplete), ""


def _prefixed(values: Iterable[Sequence[str]], incomplete: str) -> Candidates:
    low = incomplete.casefold()
    return [(v, d) for v, d in values if v.casefold().startswith(low)]


def _conditions(table: dict[str, Any], incomplete: str) -> Candidates:
    """Conditions by code, or by a word of their name (diab finds DPN; bash and zsh put the code)."""
    low = incomplete.casefold()
    by_code = [(c, n) for c, n in table["conditions"] if c.casefold().startswith(low)]
    if by_code or not low:
        return by_code
    return [(c, n) for c, n in table["conditions"] if any(w.startswith(low) for w in n.casefold().split())]


def _meridians(table: dict[str, Any], incomplete: str) -> Candidates:
    from . import codes

    found = _prefixed(table["vocab"]["meridian"], incomplete)
    names = dict(table["vocab"]["meridian"])
    older = codes.meridian_from(incomplete) if incomplete else ()
    if len(older) == 1 and not older[0].casefold().startswith(incomplete.casefold()):
        found.append((incomplete.upper(), f"{older[0]}, {names.get(older[0], '')}"))
    if not found and incomplete:
        low = incomplete.casefold()
        found = [(k, v) for k, v in names.items() if any(w.startswith(low) for w in v.casefold().split())]
    return found


def _points(table: dict[str, Any], incomplete: str) -> Candidates:
    """Codes, then names, that complete what was typed (see the module's docstring)."""
    import re

    from . import codes

    out: dict[str, str] = {}
    text = incomplete.strip()
    if not text:
        return [(code, d) for code, _g, _n, d in table["points"]]
    # codes in any system
    # spelt as the resolver reads codes (codes.code_candidates), but the number may be missing or partial
    flat = codes._SEPARATORS.sub("", codes._nfkc(text).casefold())
    match = re.match(r"^(3e|[a-zü]+)(\d*)$", flat)
    if match:
        letters, digits = match.groups()
        number = digits.lstrip("0") if digits else ""
        if digits and not number:
            groups: tuple[str, ...] = ()
        elif digits:
            groups = codes.PREFIXES.get(letters, ())
        elif letters == "ex":
            groups = ("EX-HN", "EX-CA", "EX-B", "EX-UE", "EX-LE")
        elif letters in _LETTERS_ALONE or letters.startswith("ex"):
            groups = codes.PREFIXES.get(letters, ())
        else:
            groups = ()
        typed_letters = text[: len(text) - len(digits)] if digits else text
        rank = {g: i for i, g in enumerate(groups)}  # P6: PC6 before LU6, as PREFIXES orders them
        for code, group, num, d in sorted(table["points"], key=lambda p: rank.get(p[1], -1)):
            if group not in rank or not num.startswith(number):
                continue
            if code.casefold().startswith(text.casefold()):
                out.setdefault(code, d)
            elif len(groups) == 1:  # the system typed, whose code the resolver reads back
                out.setdefault(typed_letters.upper() + num, f"{code}, {d}")
            else:  # a letter two systems share (P: PC or LU): the WHO codes, the typed form described
                out.setdefault(code, f"{typed_letters.upper()}{num} = {code}, {d}")
    # names: characters, pinyin with tones, or toneless pinyin and English
    kinds: tuple[str, ...]
    if any(codes.is_cjk(c) for c in text):
        kinds, key = ("h",), codes.hanzi_key(text)
    elif codes.has_tones(text):
        kinds, key = ("t",), codes.toned_key(text)
    else:
        kinds, key = ("p", "n"), codes.toneless_key(text)
    if key:
        descs = {code: d for code, _g, _n, d in table["points"]}
        capital = text[:1].isupper()
        for kind, k, value, found in table["names"]:
            if kind not in kinds or not k.startswith(key):
                continue
            if value:
                shown = value.capitalize() if kind == "p" and capital else value
                out.setdefault(shown, f"{found[0]}, {descs.get(found[0], '')}")
            else:
                for code in found:
                    out.setdefault(code, f"{descs.get(code, '')} ({value or k})")
    return list(out.items())


def _yaml_files(incomplete: str) -> list[str]:
    """Saved prescriptions (*.yaml, *.yml) in the current folder whose names start as typed."""
    try:
        with os.scandir(".") as entries:
            return sorted(
                e.name
                for e in entries
                if e.name.startswith(incomplete)
                and e.name.lower().endswith((".yaml", ".yml"))
                and not e.name.startswith(".")
                and e.is_file()
            )
    except OSError:
        return []


# -- reading the command line ---------------------------------------------------------------------
def split_words(text: str) -> list[str]:
    """The words of a command line as the shell would pass them; an unclosed quote keeps its
    word (click's split_arg_string, which Typer's protocol uses)."""
    import shlex

    lex = shlex.shlex(text, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out: list[str] = []
    try:
        for token in lex:
            out.append(token)
    except ValueError:
        out.append(lex.token)
    return out


def _find(options: list[Any], name: str) -> Any:
    for opt in options:
        if name in opt[0]:
            return opt
    return None


def answer(table: dict[str, Any], words: list[str], incomplete: str) -> tuple[Candidates, str]:
    """What to offer for `incomplete`, after `words` (the command line without the program)."""
    commands = table["commands"]
    command: str | None = None
    options = table["root"]
    pending: Any = None
    used: list[Any] = []
    positional: list[str] = []
    only_args = False
    for w in words:
        if pending is not None:
            if w == "=":  # bash splits --opt=value at the =
                continue
            pending = None
            continue
        if w == "--" and command is not None:
            only_args = True
            continue
        if w.startswith("-") and len(w) > 1 and not only_args:
            if w.startswith("--"):  # --opt, --opt=value
                name, eq, _ = w.partition("=")
                opt = _find(options, name)
                needs_value = not eq
            else:  # -f, -fjson
                opt = _find(options, w) or _find(options, w[:2])
                needs_value = len(w) == 2
            if opt is not None:
                used.append(opt)
                if opt[1] and needs_value:
                    pending = opt
            continue
        if command is None:
            if w not in commands:
                return [], ""
            command, options, used = w, commands[w]["options"], []
            continue
        positional.append(w)
    scope = commands[command] if command else None
    if pending is not None:
        return _values(table, pending, incomplete, command)
    if incomplete.startswith("-") and not only_args:
        name, eq, value = incomplete.partition("=")
        if eq:
            opt = _find(options, name)
            if opt is None or not opt[1]:
                return [], ""
            found, files = _values(table, opt, value, command)
            return [(f"{name}={v}", d) for v, d in found], files
        return [
            (n, opt[5]) for opt in options if opt[2] or opt not in used for n in opt[0] if n.startswith(incomplete)
        ], ""
    if scope is None:
        return [(n, c["help"]) for n, c in commands.items() if n.startswith(incomplete)], ""
    # which argument the word fills
    left = len(positional)
    for _name, nargs, kind, choices in scope["arguments"]:
        if nargs < 0 or left < nargs:
            if choices and kind == "choice":
                return _prefixed([(c, "") for c in choices], incomplete), ""
            return candidates(table, kind, incomplete, command)
        left -= nargs
    return [], ""


def _values(table: dict[str, Any], opt: Any, incomplete: str, command: str | None) -> tuple[Candidates, str]:
    _names, _takes, multiple, kind, choices, _help = opt
    if multiple and kind not in (None, "file", "choice") and not kind.endswith(","):
        kind += ","  # a repeatable option also takes a comma list: complete its last item
    if kind == "choice":
        formats = dict(table["vocab"]["format"])
        return _prefixed([(c, formats.get(c, "")) for c in choices or ()], incomplete), ""
    if kind is None:
        return [], ""
    return candidates(table, kind, incomplete, command)


# -- the shells -----------------------------------------------------------------------------------
def _args_for(shell: str) -> tuple[list[str], str]:
    """The words before the one completed, and that word, from the environment each script sets."""
    env = os.environ
    if shell == "bash":
        words = split_words(env.get("COMP_WORDS", ""))
        cword = int(env.get("COMP_CWORD", "0") or 0)
        return words[1:cword], (words[cword] if cword < len(words) else "")
    line = env.get("_TYPER_COMPLETE_ARGS", "")
    words = split_words(line)
    if shell in ("powershell", "pwsh"):
        incomplete = env.get("_TYPER_COMPLETE_WORD_TO_COMPLETE", "")
        return (words[1:-1] if incomplete else words[1:]), incomplete
    args = words[1:]
    if args and not line.endswith(" "):
        return args[:-1], args[-1]
    return args, ""


def _zsh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _format(shell: str, found: Candidates, files: str, incomplete: str = "") -> tuple[str, int]:
    if shell == "bash":
        return "\n".join(v for v, _ in found), FILES_STATUS if files else 0
    if shell == "zsh":
        # one line of zsh code: Typer's script evaluates it unquoted (which joins lines) and ours quoted
        if files:
            return ("_files -g '*.(yaml|yml)'" if files == "rx" else "_files"), 0
        if not found:
            return "", 0
        items = " ".join(
            _zsh_quote(v.replace("\\", "\\\\").replace(":", "\\:") + (":" + " ".join(d.split()) if d else ""))
            for v, d in found
        )
        # -U: the values are already matched here (st3 offers ST36, which zsh's own
        # case-sensitive matching would drop); -V keeps their order
        code = f"local -a _acupoints_c; _acupoints_c=({items}); _describe -V acupoints _acupoints_c -U"
        low = incomplete.casefold()
        if len(found) > 1 and not all(v.casefold().startswith(low) for v, _ in found):
            # codes for a name (futu: LI18, ST32): zsh would replace the word by what they share,
            # nothing; a menu keeps it until one is chosen
            code += "; compstate[insert]=menu"
        return code, 0
    if shell == "fish":
        action = os.environ.get("_TYPER_COMPLETE_FISH_ACTION", "get-args")
        if action == "is-args":  # Typer's script asks first: may files be offered?
            return "", 1 if files else 0
        return "\n".join(f"{v}\t{' '.join(d.split())}" if d else v for v, d in found), FILES_STATUS if files else 0
    # PowerShell, in Typer's format
    return "\n".join(f"{v}:::{' '.join(d.split()) or ' '}" for v, d in found), 0


def _root_catalog(words: list[str]) -> str | None:
    for i, w in enumerate(words):
        if w == "--catalog" and i + 1 < len(words):
            return words[i + 1]
        if w.startswith("--catalog="):
            return w.partition("=")[2]
        if not w.startswith("-"):
            break
    return None


def main(app: Callable[[], Any]) -> int:
    """Answer the shell's completion request in the environment; the exit status for the script.
    `app` gives the Typer app, imported only when the table must be made afresh."""
    instruction = os.environ.get(COMPLETE_VAR, "")
    action, _, shell = instruction.partition("_")
    if action not in ("complete", "source") or shell not in SHELLS:
        sys.stderr.write(f"acupoints: error: unknown completion instruction {instruction!r}\n")
        return 1
    if action == "source":
        sys.stdout.write(script(shell) + "\n")
        return 0
    try:
        words, incomplete = _args_for(shell)
        table = load_table(_root_catalog(words), app)
        found, files = answer(table, words, incomplete)
        text, status = _format(shell, found, files, incomplete)
    except Exception:  # completion must never print a traceback into the shell
        return 0
    if text:
        try:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        except (OSError, UnicodeEncodeError):
            return 0
    return status


# -- scripts and installation ---------------------------------------------------------------------
_BASH = """\
# acupoints completion for bash
_acupoints_completion() {
    local IFS=$'\\n'
    COMPREPLY=( $(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD=$COMP_CWORD \\
                  _ACUPOINTS_COMPLETE=complete_bash "$1" 2>/dev/null) )
    if [[ $? -eq 3 ]]; then
        compopt -o default  # a file name goes here: readline completes it
    fi
    return 0
}
complete -o filenames -o nosort -F _acupoints_completion acupoints"""

_ZSH = """\
#compdef acupoints
# acupoints completion for zsh

_acupoints() {
  eval "$(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _ACUPOINTS_COMPLETE=complete_zsh acupoints 2>/dev/null)"
}

if [[ "$funcstack[1]" == "_acupoints" ]]; then
  _acupoints "$@"  # autoloaded from fpath: this file is the function's body
else
  compdef _acupoints acupoints
fi"""

_FISH = """\
# acupoints completion for fish
function __acupoints_complete
    env _ACUPOINTS_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args \\
        _TYPER_COMPLETE_ARGS=(commandline -cp) acupoints 2>/dev/null
    if test $status -eq 3
        __fish_complete_path (commandline -ct)
    end
end
complete --command acupoints --no-files --keep-order --arguments '(__acupoints_complete)'"""


def script(shell: str) -> str:
    """The completion script for a shell."""
    if shell == "bash":
        return _BASH
    if shell == "zsh":
        return _ZSH
    if shell == "fish":
        return _FISH
    from typer.completion import get_completion_script

    return get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell)


def detect_shell() -> str:
    """The shell this runs in (a parent process), else the login shell ($SHELL): a script run by
    sh still installs for the user's bash. UsageError if neither is one completion knows."""
    from .errors import UsageError

    name = ""
    try:
        import shellingham  # type: ignore[import-untyped]  # typer's own dependency

        name = shellingham.detect_shell()[0].lower()
    except Exception:
        pass
    if name not in SHELLS:
        name = os.path.basename(os.environ.get("SHELL", "")).lower() or name
    if name not in SHELLS:
        raise UsageError(
            f"cannot tell which shell this is{f' ({name})' if name else ''}; name it: "
            "acupoints --install-completion bash|zsh|fish|powershell"
        )
    return name


def check_shell(shell: str | None) -> str:
    from .errors import UsageError

    if shell is None or shell == "":
        return detect_shell()
    if shell.lower() not in SHELLS:
        raise UsageError(f"unknown shell {shell!r}; use bash, zsh, fish or powershell")
    return shell.lower()


def _home() -> str:
    return os.path.expanduser("~")


def _append_line(rc: str, line: str) -> None:
    """Add a line to a start-up file unless it is there; appending keeps the file's mode and any
    symlink a dotfile manager made."""
    try:
        with open(rc, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except FileNotFoundError:
        text = ""
    if line in text:
        return
    os.makedirs(os.path.dirname(rc) or ".", exist_ok=True)
    with open(rc, "a", encoding="utf-8") as fh:
        fh.write(("" if not text or text.endswith("\n") else "\n") + line + "\n")


def install(shell: str) -> tuple[str, list[str]]:
    """Install the completion script for a shell where that shell reads it; the files written."""
    from pathlib import Path

    from ._store import write_atomic

    home = _home()
    if shell in ("powershell", "pwsh"):
        from typer.completion import install as typer_install

        _shell, where = typer_install(shell=shell, prog_name=PROG, complete_var=COMPLETE_VAR)
        return shell, [str(where)]
    if shell == "bash":
        target = os.path.join(home, ".bash_completions", f"{PROG}.sh")
        rc = os.path.join(home, ".bashrc")
        line = f"source '{target}'"
    elif shell == "zsh":
        zdot = os.environ.get("ZDOTDIR") or home
        target = os.path.join(home, ".zfunc", f"_{PROG}")
        rc = os.path.join(zdot, ".zshrc")
        line = "fpath+=~/.zfunc; autoload -Uz compinit; compinit"
    else:
        config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
        target = os.path.join(config, "fish", "completions", f"{PROG}.fish")
        rc = ""
        line = ""
    write_atomic(Path(target), (script(shell) + "\n").encode())
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(target, 0o666 & ~mask)  # a script the shell reads, with the mode a new file gets
    if rc:
        _append_line(rc, line)
        return shell, [target, rc]
    return shell, [target]
