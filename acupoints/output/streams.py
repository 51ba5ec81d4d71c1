"""The process's standard streams as they really are: closed, cut off, or unable to carry Chinese.

`prepare` runs first thing in every call of the command, before anything is written:

- A descriptor the caller closed (`acupoints list >&-`) is pointed at the null device, so that no
  file opened later takes its number; a closed stdout then refuses every write with one error, a
  closed stderr swallows messages, a closed stdin reads as empty.
- A stream whose encoding cannot carry every character (LANG=C without Python's UTF-8 mode, a
  Latin-1 terminal) writes what it can and a readable stand-in for the rest: the letter without
  its tone mark (Zusanli), plain punctuation, `?` for a character with no such form; `finish`
  then says once on stderr how to see them. JSON and YAML to such a stream escape instead
  (`\\u8db3`), which loses nothing. A UTF-8 stream is left exactly as it is.

Writing to stdout goes through `write_out`: a reader that has gone (`| head -1`) ends the output
quietly (status 0: it took what it wanted), any other failure is one error line, status 1.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys
from typing import Any

# Imported by every call, --version too, before anything else: only modules Python has already
# loaded at start-up (acupoints.errors, with enum, is imported when an error needs it).

HANDLER = "acupoints-readable"  # stdout: a note at the end says what was replaced
QUIET_HANDLER = "acupoints-readable-quiet"  # stderr: error lines stay one line
_state = {"replaced": False, "encoding": ""}

# Stand-ins that read better than the letter NFKD leaves (or than none at all).
_PLAIN = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u2022": "*",
    "\u00b7": ".",
    "\u2192": "->",
    "\u00d7": "x",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u00b1": "+/-",
    "\u00a0": " ",
}


def carries_unicode(stream: Any = None) -> bool:
    """Whether a text stream can write every character (UTF-8 and its kin)."""
    stream = sys.stdout if stream is None else stream
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith("utf") or name == "gb18030"


def utf8_args(args: list[str]) -> list[str]:
    """Arguments as typed. Under LANG=C Python reads the bytes of `show 足三里` as escapes
    (surrogates); UTF-8 bytes, which is what a terminal sends, are read back as the text they are."""
    out = []
    for arg in args:
        if any("\udc80" <= ch <= "\udcff" for ch in arg):
            try:
                arg = arg.encode("utf-8", "surrogateescape").decode("utf-8")
            except UnicodeError:
                pass
        out.append(arg)
    return out


def _readable(exc: UnicodeError) -> tuple[str, int]:
    """The codec error handler of stdout: each character the encoding lacks, as near as it can write."""
    replaced = _stand_ins(exc)
    _state["replaced"] = True
    _state["encoding"] = getattr(exc, "encoding", "")
    return replaced


def _stand_ins(exc: UnicodeError) -> tuple[str, int]:
    """Each character the encoding lacks, as near as it can write (stderr's handler)."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    import unicodedata

    out = []
    for ch in exc.object[exc.start : exc.end]:
        stand_in = _PLAIN.get(ch)
        if stand_in is None:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            try:
                base.encode(exc.encoding)
                stand_in = base or "?"
            except UnicodeEncodeError:
                stand_in = "?"
        out.append(stand_in)
    return "".join(out), exc.end


class _ClosedOut(io.TextIOBase):
    """What stdout is when the caller closed it: every write fails with one clear error."""

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    @property
    def buffer(self) -> _ClosedOut:
        return self

    def isatty(self) -> bool:
        return False


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def prepare() -> None:
    """Make stdin, stdout and stderr safe to use whatever state the caller left them in."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is not None:
            continue
        if not _is_open(fd):  # keep the number taken: a file opened later must not become fd 1
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        if name == "stdout":
            sys.stdout = _ClosedOut()
        else:
            setattr(sys, name, open(os.devnull, "r" if fd == 0 else "w", encoding="utf-8"))  # noqa: SIM115
    for stream, handler, function in ((sys.stdout, HANDLER, _readable), (sys.stderr, QUIET_HANDLER, _stand_ins)):
        if isinstance(stream, io.TextIOWrapper) and not carries_unicode(stream):
            try:
                codecs.lookup_error(handler)
            except LookupError:
                codecs.register_error(handler, function)
            stream.reconfigure(errors=handler)


def _quiet(fd: int) -> None:
    """The reader has gone: send what is left (Python's final flush too) to the null device."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except OSError:
        pass


def reader_gone() -> None:
    """What Rich calls when the reader has gone (it would exit with 1): the same as any write."""
    raise BrokenPipeError(errno.EPIPE, "the reader has gone")


class writing_out:  # noqa: N801  (used as a context manager)
    """Around every write to stdout: a reader that has gone ends the output quietly; a closed or
    failing stdout is an OutputError (one line, status 1)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> bool:
        if kind is None:
            try:
                sys.stdout.flush()
            except OSError as failed:
                exc = failed
        if isinstance(exc, BrokenPipeError):
            _quiet(1)
            return True
        if isinstance(exc, OSError):
            from acupoints.errors import OutputError

            if exc.errno == errno.EBADF:
                raise OutputError("standard output is closed") from None
            raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None
        return False


def write_out(data: str | bytes) -> None:
    """Text or bytes to stdout, as `writing_out` says."""
    with writing_out():
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)


def write_err(line: str) -> None:
    """One line to stderr; a stderr that is closed or cut off loses it quietly."""
    try:
        sys.stderr.write(line)
        sys.stderr.flush()
    except BrokenPipeError:
        _quiet(2)
    except (OSError, ValueError):
        pass


def finish() -> None:
    """Say once, on stderr, that some characters were written in a stand-in form, and how to fix it."""
    if _state["replaced"]:
        _state["replaced"] = False
        write_err(
            f"acupoints: note: the output's encoding ({_state['encoding']}) lacks some characters, written "
            "without their accents or as ?; set a UTF-8 locale (e.g. LANG=C.UTF-8) to see them\n"
        )
