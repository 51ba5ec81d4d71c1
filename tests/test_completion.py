"""Shell completion (issue 15): what a TAB offers, in bash, zsh and fish, and that it resolves.

Three layers: the protocol the scripts speak (environment variables in, values out, as Typer's
scripts and ours send them), real shells driving the installed scripts (skipped, with the
reason, where a shell is not installed), and the values themselves, each of which `show` must
resolve to the point it describes.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import acupoints_exe

from acupoints import completion
from acupoints.map.chart import VIEW_NAMES

ST3X = {"ST3", *(f"ST3{i}" for i in range(10))}


# -- the protocol ---------------------------------------------------------------------------------
def ask(shell: str, line: str, *, cwd: Path | None = None, extra: dict[str, str] | None = None):
    """Run the command as the shell's script does for the command line `line` (cursor at its end);
    returns (values, descriptions, exit status, raw stdout)."""
    env = {**os.environ, "_ACUPOINTS_COMPLETE": f"complete_{shell}", **(extra or {})}
    if shell == "bash":
        words = line.split(" ")  # bash's COMP_WORDS: a trailing space is an empty word
        env |= {"COMP_WORDS": "\n".join(words), "COMP_CWORD": str(len(words) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": line}
        if shell == "fish":
            env.setdefault("_TYPER_COMPLETE_FISH_ACTION", "get-args")
    done = subprocess.run([acupoints_exe()], env=env, capture_output=True, text=True, timeout=30, cwd=cwd)
    assert done.stderr == "", done.stderr
    out = done.stdout
    values: list[str] = []
    descriptions: list[str] = []
    if shell == "bash":
        values = out.splitlines()
    elif shell == "fish":
        for row in out.splitlines():
            value, _, desc = row.partition("\t")
            values.append(value)
            descriptions.append(desc)
    elif shell == "zsh" and "_describe" in out:
        match = re.search(r"_acupoints_c=\((.*)\); _describe", out)
        assert match, out
        for item in shlex.split(match.group(1)):  # POSIX single quotes, as zsh reads them
            parts = re.split(r"(?<!\\):", item, maxsplit=1)  # value:description, \: in the value
            values.append(parts[0].replace("\\:", ":").replace("\\\\", "\\"))
            descriptions.append(parts[1] if len(parts) > 1 else "")
    return values, descriptions, done.returncode, out


SHELLS = ["bash", "zsh", "fish"]


@pytest.mark.parametrize("shell", SHELLS)
def test_show_zus_completes_to_zusanli(shell):
    values, descriptions, status, _ = ask(shell, "acupoints show zus")
    assert values == ["zusanli"] and status == 0
    if shell != "bash":  # bash shows no descriptions
        assert "ST36" in descriptions[0] and "足三里" in descriptions[0]


@pytest.mark.parametrize("shell", SHELLS)
def test_check_st3_offers_the_st3x_codes(shell):
    values, descriptions, status, _ = ask(shell, "acupoints check st3")
    assert set(values) == ST3X and status == 0
    if shell != "bash":
        assert "Leg Three Miles" in descriptions[values.index("ST36")]


@pytest.mark.parametrize("shell", SHELLS)
def test_map_view_offers_every_view(shell):
    values, descriptions, _, _ = ask(shell, "acupoints map --view ")
    assert values == list(VIEW_NAMES)
    if shell != "bash":
        assert descriptions[values.index("hand-back")] == "Backs of the hands"
    values, _, _, _ = ask(shell, "acupoints map --view le")
    assert values == ["leg-outer", "leg-inner"]


@pytest.mark.parametrize("shell", SHELLS)
def test_older_codes_complete_in_their_own_system(shell):
    """UB6 offers UB60..UB67 (and UB6): they start as typed, so fish keeps them, and they resolve to BL."""
    values, descriptions, _, _ = ask(shell, "acupoints check UB6")
    assert values == ["UB6"] + [f"UB6{i}" for i in range(8)]
    if shell != "bash":
        assert descriptions[1].startswith("BL60, ")


@pytest.mark.parametrize("shell", SHELLS)
def test_a_shared_toneless_name_offers_its_codes(shell):
    values, descriptions, _, out = ask(shell, "acupoints show futu")
    assert values == ["LI18", "ST32"]
    if shell == "zsh":
        assert "compstate[insert]=menu" in out  # or zsh would replace futu by what LI18 and ST32 share
    if shell != "bash":
        assert "Support the Prominence" in descriptions[0] and "Crouching Rabbit" in descriptions[1]
        assert all("futu" in d for d in descriptions)  # fish matches descriptions when no value matches


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("acupoints show Zús", ["Zúsānlǐ"]),  # typed with tones: completed with tones
        ("acupoints show Zus", ["Zusanli"]),  # the case typed is kept
        ("acupoints show 足三", ["足三里"]),
        ("acupoints show Leg\\ Three\\ M", ["Leg Three Miles"]),
        ("acupoints evidence --point st36", ["ST36"]),
        ("acupoints evidence ", ["DPN", "CIPN", "PHN"]),
        ("acupoints evidence c", ["CIPN"]),
        ("acupoints evidence diab", ["DPN"]),  # a word of the condition's name
        ("acupoints meridian s", ["ST", "SP", "SI"]),
        ("acupoints meridian ub", ["UB"]),  # an older code the command reads
        ("acupoints list --meridian L", ["LU", "LI", "LR"]),
        ("acupoints list --category he", ["he-sea"]),
        ("acupoints list --modality e", ["electro"]),
        ("acupoints list --exclude-caution preg", ["pregnancy"]),
        ("acupoints list --region lower", ["lower-back", "lower-limb", "lower-leg"]),
        ("acupoints list --condition C", ["CIPN"]),
        ("acupoints list --fields code,pin", ["code,pinyin"]),
        ("acupoints search x --fields sc", ["score"]),
        ("acupoints list -f j", ["json"]),
        ("acupoints list --format=j", ["--format=json"]),
        ("acupoints prescribe --format ", ["table", "plain", "json", "csv", "yaml", "markdown"]),
        ("acupoints prescribe --lymphoedema left", ["left-arm", "left-leg"]),
        ("acupoints prescribe --include LI4,st36", ["LI4,ST36"]),
        ("acupoints check --modality m", ["manual", "moxibustion"]),
        ("acupoints quiz --kind ", ["code-to-name", "name-to-code", "location-to-code", "category"]),
        ("acupoints map -f ", ["preview", "svg", "png", "json"]),
        ("acupoints vocab ", ["region", "meridian", "category", "modality", "condition", "caution"]),
        ("acupoints export -f ", ["anki"]),
        ("acupoints --install-completion ", ["bash", "zsh", "fish", "powershell", "pwsh"]),
        ("acupoints sh", ["show"]),
        ("acupoints --ver", ["--version"]),
        ("acupoints search ", []),  # free text: nothing, and no file names
        ("acupoints quiz --count ", []),
        ("acupoints nosuchcommand ", []),
    ],
)
def test_values_by_kind(line, expected):
    values, _, status, _ = ask("fish", line)
    assert values == expected and status == 0


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("acupoints list --region lower-limb,fo", ["lower-limb,forearm", "lower-limb,foot"]),
        ("acupoints list --condition DPN,C", ["DPN,CIPN"]),
        ("acupoints map --view front,b", ["front,back"]),
        ("acupoints prescribe --lymphoedema left-arm,right-l", ["left-arm,right-leg"]),
        ("acupoints list --fields code,a", ["code,all", "code,aliases", "code,actions"]),
        ("acupoints prescribe --condition DPN,C", []),  # one condition: no list to complete
    ],
)
def test_a_repeatable_option_completes_the_last_item_of_a_comma_list(line, expected):
    assert ask("fish", line)[0] == expected


def test_a_comma_list_completes_its_last_item():
    values, _, _, _ = ask("fish", "acupoints prescribe --avoid ST36,LI")
    assert values[:20] == [f"ST36,LI{i}" for i in range(1, 21)]  # then the names that start with li
    assert "ST36,Lieque" in values and all(v.startswith("ST36,") for v in values)


def test_powershell_gets_typers_format():
    env = {
        **os.environ,
        "_ACUPOINTS_COMPLETE": "complete_powershell",
        "_TYPER_COMPLETE_ARGS": "acupoints show zus",
        "_TYPER_COMPLETE_WORD_TO_COMPLETE": "zus",
    }
    done = subprocess.run([acupoints_exe()], env=env, capture_output=True, text=True, timeout=30)
    assert done.stdout == "zusanli:::ST36, Zúsānlǐ 足三里, Leg Three Miles\n" and done.returncode == 0


def test_option_names_with_their_help():
    values, descriptions, _, _ = ask("fish", "acupoints map --")
    assert "--view" in values and "--channels" in values and "--help" in values
    assert descriptions[values.index("--view")].startswith("Only these views")
    values, _, _, _ = ask("fish", "acupoints show --format json --")
    assert "--format" not in values and "--output" in values  # given once already
    values, _, _, _ = ask("fish", "acupoints map --view front --")
    assert "--view" in values  # repeatable


def test_the_catalog_option_is_followed(mini):
    values, _, _, _ = ask("bash", f"acupoints --catalog {mini} show ")
    assert values == ["LI4", "ST36"]
    values, _, _, _ = ask("bash", "acupoints show u", extra={"ACUPOINTS_CATALOG": str(mini)})
    assert values == ["Union Valley"]


def test_an_edited_catalog_is_not_served_stale(mini):
    assert ask("bash", f"acupoints --catalog {mini} show He")[0] == ["Hegu"]
    mini.write_text(mini.read_text(encoding="utf-8").replace("Hégǔ", "Hékǒu"), encoding="utf-8")
    assert ask("bash", f"acupoints --catalog {mini} show He")[0] == ["Hekou"]


def test_a_broken_catalog_still_completes_everything_else(tmp_path):
    bad = tmp_path / "points.yaml"
    bad.write_text("points: [\n", encoding="utf-8")
    assert ask("bash", f"acupoints --catalog {bad} show st3")[0] == []
    assert ask("bash", f"acupoints --catalog {bad} map --view fr")[0] == ["front"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_as_catalog_does_not_hang_a_tab(tmp_path):
    fifo = tmp_path / "points.yaml"
    os.mkfifo(fifo)
    assert ask("bash", f"acupoints --catalog {fifo} show st3")[0] == []  # ask() times out if it hangs
    assert ask("bash", f"acupoints --catalog {fifo} map --view fr")[0] == ["front"]


# -- file names, only where a file goes -----------------------------------------------------------
def test_file_names_only_where_a_file_goes(tmp_path):
    (tmp_path / "rx.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    for line in ("acupoints validate ", "acupoints list -o ", "acupoints --catalog "):
        assert ask("bash", line)[2:] == (completion.FILES_STATUS, "")  # bash's script then completes files
        assert ask("zsh", line)[3].strip() == "_files"
        assert ask("fish", line)[2] == completion.FILES_STATUS
        assert ask("fish", line, extra={"_TYPER_COMPLETE_FISH_ACTION": "is-args"})[2] == 1  # Typer's script
    for line in ("acupoints search ", "acupoints show zzz", "acupoints list --region zzz"):
        assert ask("bash", line)[2:] == (0, "")
        assert ask("zsh", line)[3] == ""  # no _files
        assert ask("fish", line, extra={"_TYPER_COMPLETE_FISH_ACTION": "is-args"})[2] == 0
    # a saved prescription goes where points go
    assert ask("bash", "acupoints check rx", cwd=tmp_path)[0] == ["rx.yaml"]
    assert ask("bash", "acupoints map ", cwd=tmp_path)[0][-1] == "rx.yaml"
    assert ask("zsh", "acupoints show ./", cwd=tmp_path)[3].strip() == "_files -g '*.(yaml|yml)'"


def test_bad_requests_never_print_a_traceback():
    for extra in (
        {"COMP_CWORD": "x"},
        {"COMP_CWORD": "99"},
        {"COMP_WORDS": "acupoints 'unclosed"},
    ):
        env = {**os.environ, "_ACUPOINTS_COMPLETE": "complete_bash", "COMP_WORDS": "acupoints show", **extra}
        done = subprocess.run([acupoints_exe()], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and done.stderr == ""
    env = {**os.environ, "_ACUPOINTS_COMPLETE": "complete_tcsh"}
    done = subprocess.run([acupoints_exe()], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_a_warm_tab_imports_neither_typer_nor_the_catalog(tmp_path):
    """The fast path: once the table is cached, a TAB loads no typer, rich, yaml or catalog."""
    env = {
        **os.environ,
        "_ACUPOINTS_COMPLETE": "complete_bash",
        "COMP_WORDS": "acupoints\nshow\nzus",
        "COMP_CWORD": "2",
        "ACUPOINTS_CACHE_DIR": str(tmp_path),
    }
    code = "import sys; sys.argv = ['acupoints']; from acupoints.__main__ import main; main()"
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert first.stdout == "zusanli\n"
    assert list(tmp_path.glob("completion-*.marshal"))
    warm = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert warm.stdout == "zusanli\n"
    imported = {line.split("|")[-1].strip() for line in warm.stderr.splitlines() if line.startswith("import time")}
    for heavy in ("typer", "rich", "yaml", "acupoints.catalog", "acupoints.cli", "acupoints.model"):
        assert heavy not in imported, heavy


def test_the_typer_app_answers_the_same_when_called_directly(cli):
    """A script that calls the app (not the console command) gets the same answer, not Typer's."""
    code, out, _ = cli(
        env={"_ACUPOINTS_COMPLETE": "complete_bash", "COMP_WORDS": "acupoints show zus", "COMP_CWORD": "2"}
    )
    assert out == "zusanli\n" and code == 0


def test_the_completers_answer_through_typer_too():
    """Each parameter's autocompletion= callback answers when Typer itself calls it."""

    class Ctx:
        command = type("C", (), {"name": "map"})()

        def find_root(self):
            return type("R", (), {"params": {"catalog": None}})()

    assert completion.VIEW(Ctx(), "fr") == [("front", "Front")]
    assert ("ST36", "Zúsānlǐ 足三里, Leg Three Miles") in completion.POINT(Ctx(), "st3")


# -- every value offered resolves -----------------------------------------------------------------
@pytest.fixture(scope="module")
def table():
    from acupoints.cli import app

    return completion.build_table(None, app)


def _resolves(catalog, value: str, description: str) -> bool:
    found = catalog.resolve(value)
    return len(found) == 1 and (found[0].code == value or found[0].code in description.replace(",", " ").split())


def test_every_value_offered_for_a_point_resolves_to_it(catalog, table):
    """Prefixes of every point's codes, names and characters: what is offered resolves to the point
    it describes, and the point itself is offered once its name is typed in full."""
    from acupoints import codes

    older = {"BL": "UB", "TE": "SJ", "GV": "Du", "CV": "Ren", "LR": "Liv", "KI": "K"}
    for p in catalog:
        typed = {p.code.lower(), p.code[:-1] if len(p.code) > 3 else p.code}
        letters = p.code.rstrip("0123456789")
        if letters in older:
            typed.add(older[letters] + str(p.number))
        toneless = codes.toneless_key(p.pinyin)
        typed |= {toneless[:3], toneless, p.pinyin[:3], p.english[:4].lower(), p.hanzi[:1], p.english}
        for text in typed:
            offered, _ = completion.candidates(table, "point", text)
            assert offered, (p.code, text)
            for value, description in offered:
                assert _resolves(catalog, value, description), (text, value, description)
        full, _ = completion.candidates(table, "point", toneless)
        assert any(p.code == v or p.code in d.replace(",", " ").split() for v, d in full), (p.code, full)


@pytest.mark.parametrize(
    "typed", ["zus", "st3", "UB6", "futu", "Zús", "Leg Th", "足三", "p6", "ex-le1", "exle1", "du2"]
)
def test_show_resolves_what_completion_offers(cli, table, typed):
    offered, _ = completion.candidates(table, "point", typed)
    assert offered
    for value, _desc in offered:
        code, out, err = cli("show", value, "-f", "json")
        assert code == 0, (typed, value, err)


# -- installation ---------------------------------------------------------------------------------
def _install(tmp_path: Path, *args: str, shell_env: str = "/bin/bash") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": shell_env}
    env.pop("ZDOTDIR", None)
    env.pop("XDG_CONFIG_HOME", None)
    return subprocess.run([acupoints_exe(), *args], env=env, capture_output=True, text=True, timeout=60)


def test_install_completion_for_the_shell_named_not_the_one_running(tmp_path):
    """Run from bash (Typer installed bash's script here), `--install-completion zsh` installs zsh's."""
    bash = shutil.which("bash") or pytest.skip("bash is not installed")
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": bash}
    done = subprocess.run(
        [bash, "-c", f"{shlex.quote(acupoints_exe())} --install-completion zsh"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "zsh completion installed" in done.stdout
    script = (tmp_path / ".zfunc" / "_acupoints").read_text(encoding="utf-8")
    assert script.startswith("#compdef acupoints") and "complete_zsh" in script
    assert "fpath+=~/.zfunc" in (tmp_path / ".zshrc").read_text(encoding="utf-8")
    assert not (tmp_path / ".bash_completions").exists() and not (tmp_path / ".bashrc").exists()


@pytest.mark.parametrize(
    ("args", "script", "rc"),
    [
        (["--install-completion", "bash"], ".bash_completions/acupoints.sh", ".bashrc"),
        (["--install-completion=zsh"], ".zfunc/_acupoints", ".zshrc"),
        (["--install-completion", "fish"], ".config/fish/completions/acupoints.fish", None),
    ],
)
def test_install_completion_writes_the_script_and_loads_it_once(tmp_path, args, script, rc):
    shell = args[-1].rpartition("=")[2]
    (tmp_path / ".bashrc").write_text("# mine\nexport A=1", encoding="utf-8")
    (tmp_path / ".bashrc").chmod(0o640)
    for _ in range(2):  # twice: the start-up file gets its line once
        done = _install(tmp_path, *args)
        assert done.returncode == 0 and done.stderr == "", done.stderr
    installed = (tmp_path / script).read_text(encoding="utf-8")
    assert installed == completion.script(shell) + "\n"
    assert _install(tmp_path, "--show-completion", shell).stdout == installed
    if rc:
        text = (tmp_path / rc).read_text(encoding="utf-8")
        loader = f"source '{tmp_path / script}'" if shell == "bash" else "fpath+=~/.zfunc"
        assert text.count(loader) == 1
    if shell == "bash":  # appended to, not rewritten: its mode and its lines stay
        assert (tmp_path / ".bashrc").read_text(encoding="utf-8").startswith("# mine\nexport A=1\n")
        assert (tmp_path / ".bashrc").stat().st_mode & 0o777 == 0o640


def test_a_shell_that_cannot_be_told_is_one_line(tmp_path):
    """Run by sh (no completion) with a login shell completion does not know either: name it."""
    sh = shutil.which("sh") or pytest.skip("sh is not installed")
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/tcsh"}
    done = subprocess.run(
        [sh, "-c", f"{shlex.quote(acupoints_exe())} --install-completion"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and done.stdout == "" and not any(tmp_path.iterdir())
    assert done.stderr == (
        "acupoints: error: cannot tell which shell this is (tcsh); "
        "name it: acupoints --install-completion bash|zsh|fish|powershell\n"
    )


def test_help_after_the_option_installs_nothing(tmp_path):
    done = _install(tmp_path, "--install-completion", "--help")
    assert done.returncode == 0 and "--install-completion [SHELL]" in done.stdout
    assert not any(tmp_path.iterdir())


def test_an_unknown_shell_is_one_line(tmp_path):
    done = _install(tmp_path, "--install-completion", "tcsh")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "acupoints: error: unknown shell 'tcsh'; use bash, zsh, fish or powershell\n"


# -- real shells ----------------------------------------------------------------------------------
class Terminal:
    """A shell on a pseudo-terminal: keys in, the screen's bytes out."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        import pty

        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child
            os.chdir(cwd)
            os.execvpe(argv[0], argv, env)
        self.out = b""

    def _read_until(self, pattern: bytes, start: int, timeout: float) -> bool:
        import select

        end = time.monotonic() + timeout
        while not re.search(pattern, self.out[start:]):
            if time.monotonic() > end:
                return False
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    return False
                if not data:
                    return False
                self.out += data
        return True

    def type(self, keys: str, pattern: bytes, timeout: float = 20.0) -> bytes:
        """Type keys; the screen's output from then on, once it shows the pattern."""
        start = len(self.out)
        os.write(self.fd, keys.encode())
        if not self._read_until(pattern, start, timeout):
            raise AssertionError(f"no {pattern!r} in {self.out[start:]!r}")
        return self.out[start:]

    def tab_until(self, pattern: bytes, most: int = 3, wait: float = 5.0) -> bytes:
        """Press TAB until the screen shows the pattern: readline lists the choices on a second
        TAB, and neither shell lists on the TAB that changed the word (st3 -> ST3)."""
        start = len(self.out)
        for _ in range(most):
            os.write(self.fd, b"\t")
            if self._read_until(pattern, start, wait):
                return self.out[start:]
        raise AssertionError(f"no {pattern!r} in {self.out[start:]!r}")

    def close(self) -> None:
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def _shell_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZDOTDIR", "XDG_", "BASH_ENV", "ENV", "PROMPT"))}
    return env | {
        "HOME": str(home),
        "PATH": f"{Path(acupoints_exe()).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "TERM": "dumb",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "INPUTRC": "/dev/null",
    }


# A prompt to wait for, and a function with the command's name that prints its arguments: Enter
# then shows what completion put on the line. The scripts call the real command through `env`,
# which no shell function shadows.
SETUP_BASH = "PS1='READY$ '; acupoints() { local IFS='|'; echo \"ARGS:$*|\"; }\n"
SETUP_ZSH = "unsetopt BEEP; PROMPT='READY$ '; acupoints() { print -r -- \"ARGS:${(j:|:)@}|\" }\n"
PROMPT = rb"READY\$ "
ARGS = rb"ARGS:[^\r\n]*\r?\n"  # the line the function prints


@pytest.fixture
def bash_terminal(tmp_path):
    bash = shutil.which("bash")
    if not bash:
        pytest.skip("bash is not installed")
    home = tmp_path / "home"
    home.mkdir()
    assert _install(home, "--install-completion", "bash").returncode == 0
    # the ~/.bashrc the install wrote (and not the system's)
    term = Terminal([bash, "--rcfile", str(home / ".bashrc"), "-i"], _shell_env(home), tmp_path)
    term.type(SETUP_BASH, PROMPT)
    yield term
    term.close()


@pytest.fixture
def zsh_terminal(tmp_path):
    zsh = shutil.which("zsh")
    if not zsh:
        pytest.skip("zsh is not installed (apt-get install zsh)")
    home = tmp_path / "home"
    home.mkdir()
    assert _install(home, "--install-completion", "zsh").returncode == 0
    term = Terminal([zsh, "-i"], _shell_env(home), tmp_path)  # ~/.zshrc: fpath, compinit, autoload
    term.type(SETUP_ZSH, PROMPT)
    yield term
    term.close()


@pytest.mark.parametrize("terminal", ["bash_terminal", "zsh_terminal"])
def test_real_shell_completes_show_zus(request, terminal):
    term = request.getfixturevalue(terminal)
    term.type("acupoints show zus\t", rb"anli")
    assert b"ARGS:show|zusanli|" in term.type("\n", ARGS)


@pytest.mark.parametrize("terminal", ["bash_terminal", "zsh_terminal"])
def test_real_shell_completes_check_st3(request, terminal):
    term = request.getfixturevalue(terminal)
    term.type("acupoints check st3", rb"st3")
    listing = term.tab_until(rb"ST39")  # the word becomes ST3, then the codes are listed
    assert all(code.encode() in listing for code in ST3X)
    assert b"ARGS:check|ST36|" in term.type("6\n", ARGS)


@pytest.mark.parametrize("terminal", ["bash_terminal", "zsh_terminal"])
def test_real_shell_completes_map_view(request, terminal):
    term = request.getfixturevalue(terminal)
    term.type("acupoints map --view ", rb"view ")
    listing = term.tab_until(rb"sole")
    assert all(v.encode() in listing for v in VIEW_NAMES)
    term.type("fr\t", rb"ont")
    assert b"ARGS:map|--view|front|" in term.type("\n", ARGS)


def test_real_zsh_shows_descriptions_and_a_menu_for_a_shared_name(zsh_terminal):
    shown = zsh_terminal.type("acupoints show futu\t", rb"Crouching Rabbit")
    assert b"Support the Prominence" in shown
    zsh_terminal.type("\t", rb"ST32")  # the menu moves to the next code
    assert b"ARGS:show|ST32|" in zsh_terminal.type("\n", ARGS)


def test_real_bash_offers_file_names_only_where_a_file_goes(bash_terminal, tmp_path):
    (tmp_path / "somefile.txt").write_text("x", encoding="utf-8")
    shown = bash_terminal.type("acupoints search some\t\t", rb"\x07[^\x07]*\x07", timeout=5)
    assert b"somefile" not in shown
    bash_terminal.type("\x15acupoints validate some\t", rb"file\.txt")  # Ctrl-U: a new line
    assert b"ARGS:validate|somefile.txt|" in bash_terminal.type("\n", ARGS)


@pytest.fixture
def fish(tmp_path):
    fish = shutil.which("fish")
    if not fish:
        pytest.skip("fish is not installed (apt-get install fish)")
    home = tmp_path / "home"
    home.mkdir()
    assert _install(home, "--install-completion", "fish").returncode == 0

    def complete(line: str) -> list[tuple[str, str]]:
        # `complete -C` runs fish's own completion of a command line, with the installed script
        # (autoloaded from ~/.config/fish/completions) and fish's matching of values and descriptions
        done = subprocess.run(
            [fish, "-c", f"complete -C {shlex.quote(line)}"],
            env=_shell_env(home),
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr
        return [tuple(row.partition("\t")[::2]) for row in done.stdout.splitlines()]

    return complete


def test_real_fish_completes_the_issue_cases(fish):
    assert [v for v, _ in fish("acupoints show zus")] == ["zusanli"]
    assert {v for v, _ in fish("acupoints check st3")} == ST3X
    assert [v for v, _ in fish("acupoints map --view ")] == list(VIEW_NAMES)
    assert [v for v, _ in fish("acupoints check UB6")] == ["UB6"] + [f"UB6{i}" for i in range(8)]
    futu = fish("acupoints show futu")  # codes, kept by fish because their descriptions match
    assert [v for v, _ in futu] == ["LI18", "ST32"] and "Support the Prominence" in futu[0][1]


def test_real_fish_offers_files_only_where_a_file_goes(fish, tmp_path):
    (tmp_path / "somefile.txt").write_text("x", encoding="utf-8")
    assert fish("acupoints search some") == []
    assert [v for v, _ in fish("acupoints validate some")] == ["somefile.txt"]
