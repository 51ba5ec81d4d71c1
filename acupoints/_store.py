"""The store: data files read into plain data with line numbers, the parse cache, atomic writes.

It knows files, not points: the catalog and the positions both read through it, and every way
a file can fail to be read (missing, a folder, not UTF-8, empty, not YAML) becomes one problem
`FILE:LINE: file: message`. yaml is imported only when a file is parsed (`_yamlload`), so a
command served from the cache never loads it.

The cache keeps parsed and validated data as marshal (dicts, lists, strings and numbers; no
pickle, nothing that runs code) under a key made of the bytes of every file it came from, the
package version, the data's format and the Python version: an edited file, another catalog, a
new release or another Python can never be served stale data.
"""

from __future__ import annotations

import contextlib
import errno
import marshal
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import CatalogError

_HERE = Path(__file__).resolve().parent

# What a file holds, as data (the duplicate-key problems come beside it, as (line, message)).
Parsed = tuple[Any, list[tuple[int, str]]]


def data_dir() -> Path:
    """The shipped data: inside the package in a wheel, the repository's data/ in a checkout."""
    for d in (_HERE / "_data", _HERE.parent / "data"):
        if (d / "points.yaml").is_file():
            return d
    return _HERE.parent / "data"


def display(path: Path) -> str:
    """A path as problems name it: relative when below the current folder, else in full."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return rel if not rel.startswith("..") else str(path)


class NotAFileError(OSError):
    """The path names a named pipe, a device or a socket, not a file."""


_KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def read_regular(path: str | os.PathLike[str]) -> bytes:
    """A regular file's bytes. A named pipe would wait for a writer for ever and /dev/zero never
    ends, so the path is opened without waiting and refused unless it is a plain file:
    IsADirectoryError or NotAFileError, besides the usual OSErrors."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with open(fd, "rb") as fh:  # closes fd
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "a socket or other special file")
            raise NotAFileError(errno.EINVAL, f"is {kind}, not a file", str(path))
        return fh.read()


def read_bytes(path: Path) -> bytes:
    try:
        return read_regular(path)
    except FileNotFoundError:
        raise CatalogError([f"{display(path)}: no such file"]) from None
    except IsADirectoryError:
        raise CatalogError([f"{display(path)}: is a folder, not a catalog file"]) from None
    except NotAFileError as exc:
        raise CatalogError([f"{display(path)}: {exc.strerror}"]) from None
    except OSError as exc:
        raise CatalogError([f"{display(path)}: cannot read: {exc.strerror}"]) from None


def decode(raw: bytes, path: Path) -> str:
    """The text of a data file; CatalogError if it is not UTF-8 or holds nothing but comments."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CatalogError([f"{display(path)}:{line}: file: not UTF-8 text (byte 0x{raw[exc.start]:02x})"]) from None
    if not text.strip() or all(ln.lstrip().startswith("#") or not ln.strip() for ln in text.splitlines()):
        raise CatalogError([f"{display(path)}: file: the file is empty"])
    return text.removeprefix("\ufeff")


def parse(raw: bytes, path: Path) -> Parsed:
    """A data file's bytes as data (mappings as LineDict, which knows the line of each key) and its
    duplicate keys as (line, message); CatalogError with the one reason it cannot be read."""
    from . import _yamlload

    try:
        data, dupes = _yamlload.load(decode(raw, path))
    except _yamlload.YamlProblem as exc:
        raise CatalogError([f"{display(path)}:{line}: file: {message}" for line, message in exc.problems]) from None
    if data is None:
        raise CatalogError([f"{display(path)}: file: the file is empty"])
    return data, dupes


def read(path: Path) -> Parsed:
    """`parse` of a file read from disk."""
    return parse(read_bytes(path), path)


def line_of(obj: object, key: str | None = None) -> int:
    """The line a mapping read by the store starts on, or that of one of its keys; 0 if unknown."""
    key_lines = getattr(obj, "key_lines", None)
    if key_lines is None:
        return 0
    start: int = getattr(obj, "line", 0)
    return key_lines.get(key, start) if key is not None else start


def plain(obj: Any) -> Any:
    """The same data without LineDict, which marshal (rightly) refuses: it takes only exact types."""
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


# -- the parse cache ------------------------------------------------------------------------------
def cache_dir() -> Path | None:
    """Where parsed data is kept; None when ACUPOINTS_CACHE_DIR is set empty (no cache)."""
    env = os.environ.get("ACUPOINTS_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None  # empty: no cache
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "acupoints"


def cache_key(blobs: Sequence[bytes], fmt: int) -> str:
    """A digest of everything the cached data was made from."""
    try:  # the module behind hashlib.blake2b, without hashlib's OpenSSL start-up (~3 ms)
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import blake2b
    h = blake2b(digest_size=20)
    h.update(f"{__version__}\0{fmt}\0{marshal.version}\0{sys.version_info[:2]}\0".encode())
    for blob in blobs:
        h.update(len(blob).to_bytes(8, "little"))
        h.update(blob)
    return h.hexdigest()


def cache_file(kind: str, blobs: Sequence[bytes], fmt: int) -> Path | None:
    """The cache file for data of this kind made from these bytes; None when caching is off."""
    folder = cache_dir()
    return folder / f"{kind}-{cache_key(blobs, fmt)}.marshal" if folder is not None else None


def cache_load(path: Path | None, fmt: int) -> dict[str, Any] | None:
    """The cached data, or None: no cache yet, a damaged one, or one of another format."""
    if path is None:
        return None
    try:
        cached = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return cached if isinstance(cached, dict) and cached.get("format") == fmt else None


def cache_save(path: Path | None, data: dict[str, Any]) -> None:
    """Keep data in the cache; a read-only home is no reason to fail a lookup, so errors pass."""
    if path is None:
        return
    try:
        write_atomic(path, marshal.dumps(data))
    except (OSError, ValueError):
        pass


def write_atomic(path: Path, data: bytes) -> None:
    """Write a whole file or nothing: the bytes go to a temporary file beside `path`, which is then
    renamed over it, so readers never see half of one. This is the one function that writes files
    (`-o` output, the cache).

    The file gets the permissions a new file would: the temporary file is created with 0o666 and
    the system takes the umask (and any default ACL of the folder) off, as for any program that
    creates a file; tempfile.mkstemp's 0600 would keep a chart or a CSV from a web folder or a
    colleague. A file replaced (--force) keeps the mode it had.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        kept: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        kept = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{os.urandom(4).hex()}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666)
            break
        except FileExistsError:  # pragma: no cover - 32 random bits taken twice
            continue
    else:  # pragma: no cover
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))
    try:
        with open(fd, "wb") as fh:
            if kept is not None:
                if hasattr(os, "fchmod"):
                    os.fchmod(fh.fileno(), kept)
                else:  # pragma: no cover - Windows
                    os.chmod(tmp, kept)
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
