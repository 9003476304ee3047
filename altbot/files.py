"""Edge I/O shared by discover, images, apply and the ledger: bounded reads of
regular files, atomic writes that never lose a concurrent edit, and a per-tree
lock. No other altbot module is imported here.

Why each guard exists:
- a device (``/dev/zero``) reports size 0 and never ends, and a FIFO blocks the
  open forever: only regular files are read, opened without blocking, and never
  more than the limit;
- an editor (or a second altbot run) may change a file between the moment it
  was planned and the moment it is replaced: the replacement is swapped in
  atomically and the file that was there is compared with what was planned; a
  mismatch swaps it back (Linux ``renameat2(RENAME_EXCHANGE)``, elsewhere a
  re-read just before the rename, which leaves a window of microseconds);
- Ctrl-C during a write must leave the old file or the new one, and no temp file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

TEMP_SUFFIX = ".altbot-tmp"
# A temp file older than this, next to a file we write, is a leftover of an interrupted run.
STALE_TEMP_S = 60.0


class NotRegularFile(OSError):
    """The path is a device, FIFO, socket or directory: never read as a page or image."""


class TooLarge(OSError):
    """The file is over the size limit (its size is in ``size``)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"file is over the {limit}-byte limit")
        self.size, self.limit = size, limit


def kind_of_special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file, at most ``limit`` of them.

    Raises NotRegularFile for anything else (after following symlinks),
    TooLarge when the file is (or grows) over ``limit``, and OSError as usual, also for a
    name with a NUL in it (a path read from a file: ``os.stat`` raises ValueError for it).
    """
    name = os.fspath(path)
    if ("\0" if isinstance(name, str) else b"\0") in name:
        raise OSError(errno.EINVAL, "no file can have a name with a NUL character in it", name)
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFile(errno.EINVAL, kind_of_special(st.st_mode))
    if st.st_size > limit:
        raise TooLarge(st.st_size, limit)
    # O_NONBLOCK: if a FIFO was swapped in after the stat, the open returns instead of waiting
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(errno.EINVAL, kind_of_special(st.st_mode))
        chunks = []
        got = 0
        # the first read asks for the size the file says it has, and one byte more to see
        # the end: a fixed 1 MiB buffer for a 2 KB page cost ~0.15 ms of page faults a read
        want = st.st_size + 1
        while got <= limit:
            chunk = os.read(fd, min(want, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            want = 1 << 16  # it grew since the stat, or says size 0 (/proc): read on in chunks
        if got > limit:
            raise TooLarge(got, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def load_tomllib():
    """The TOML reader (tomllib, or tomli before Python 3.11), imported on first use:
    a check with no TOML to read never loads it, nor the typing and datetime it imports."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


def _sub_surrogates(text: str, spell) -> str:
    """``text`` with each lone surrogate replaced by ``spell(code point)``; the text itself when
    it has none (the usual case: one encode tells)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        import re

        return re.sub("[\ud800-\udfff]", lambda m: spell(ord(m.group())), text)
    return text


def json_escape_surrogates(text: str) -> str:
    """A JSON text with each lone surrogate in it written as a ``\\udcff`` escape.

    A file name that is not UTF-8 comes from the OS as lone surrogates (``os.fsdecode``);
    no UTF-8 document can hold those raw. Escaped, the JSON stays valid UTF-8, and a reader's
    ``os.fsencode(json.loads(...))`` gets the name's own bytes back. A surrogate can only stand
    inside a JSON string, where an escape means the same character."""
    return _sub_surrogates(text, lambda c: f"\\u{c:04x}")


def shown_surrogates(text: str, backslash: str = "\\") -> str:
    """``text`` for a reader (the review page), each lone surrogate written as visible text:
    the undecodable byte of a file name (``os.fsdecode`` gives U+DCFF for the byte 0xFF) as
    ``\\xff``, any other as ``\\udXXX``. ``backslash`` is how the text's own syntax spells
    one backslash: ``"\\\\"`` inside the strings of a JSON text, where a surrogate can only stand."""
    return _sub_surrogates(
        text, lambda c: backslash + (f"x{c - 0xDC00:02x}" if 0xDC80 <= c <= 0xDCFF else f"u{c:04x}")
    )


def output_errors(exc: UnicodeError):
    """The ``altbot-output`` codec error handler for what altbot prints: a file name's
    undecodable byte (a lone surrogate from ``os.fsdecode``) is written as that byte, as git and
    ls write such names, and a character the output's encoding lacks as a backslash escape;
    a report is never lost to one name or one character."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    import codecs

    if _byte_oriented(exc.encoding):
        try:
            return codecs.lookup_error("surrogateescape")(exc)
        except UnicodeError:  # not only a file name's bytes in this run of characters
            pass
    # UTF-16 and UTF-32 output cannot hold a lone byte: the name's bytes as escapes there
    return codecs.backslashreplace_errors(exc)


_BYTE_ORIENTED: dict[str, bool] = {}


def _byte_oriented(encoding: str) -> bool:
    """Whether ``encoding`` writes ASCII as single bytes (so a name's own byte can stand in it)."""
    known = _BYTE_ORIENTED.get(encoding)
    if known is None:
        try:
            known = _BYTE_ORIENTED[encoding] = "a".encode(encoding) == b"a"
        except (LookupError, UnicodeError):
            known = _BYTE_ORIENTED[encoding] = False
    return known


# -- signals -------------------------------------------------------------------

@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT/SIGTERM/SIGHUP until the block ends, so a write is never cut in half
    and its temp file is always removed. Only where the OS can mask signals."""
    import signal  # signal, threading and tempfile on first use: a check writes nothing
    import threading

    can = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if not can:
        yield
        return
    deferred = {signal.SIGINT, signal.SIGTERM} | ({signal.SIGHUP} if hasattr(signal, "SIGHUP") else set())
    old = signal.pthread_sigmask(signal.SIG_BLOCK, deferred)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


# -- atomic writes ---------------------------------------------------------------


def _remove_stale_temps(target: Path) -> None:
    """Temp files an interrupted run (killed, power lost) left next to ``target``."""
    directory = target.parent
    prefix = f".{target.name}."
    now = time.time()
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
            p = directory / name
            try:
                if now - p.lstat().st_mtime > STALE_TEMP_S:
                    p.unlink()
            except OSError:
                pass


def _temp_with(target: Path, data: bytes) -> str:
    """A complete, fsynced temp file next to ``target`` holding ``data``, with its mode and owner."""
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            # the owner first: a chown clears the setuid and setgid bits, so the mode goes after it
            if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                try:  # keep the owner where we may (as root, or a group we are in)
                    os.chown(tmp, st.st_uid, st.st_gid)
                except OSError:
                    pass
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return tmp


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory, then rename.

    A symlink is written through (its target is replaced, the link stays). The
    file's permission bits, and its owner where allowed, are kept. A path that is
    not a file nor a folder (``/dev/stdout``, a FIFO, a device, ``-o >(cmd)``) is
    opened and written as it is: swapping a file in would put a file where the
    device or pipe was (as root, over ``/dev/null``), and the reader would get nothing.
    """
    try:
        st = os.stat(path)
    except OSError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        with open(path, "wb") as fh:
            fh.write(data)
        return
    target = Path(os.path.realpath(path))
    with deferred_signals():
        _remove_stale_temps(target)
        tmp = _temp_with(target, data)
        try:
            os.replace(tmp, target)
        except BaseException:
            _unlink_quietly(tmp)
            raise


# renameat2(RENAME_EXCHANGE): swap two paths atomically (Linux 3.15+, glibc 2.28+).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2 = None


def _exchange_fn():
    global _renameat2
    if _renameat2 is None:
        _renameat2 = False
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                libc = ctypes.CDLL(None, use_errno=True)
                fn = libc.renameat2
                fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
                fn.restype = ctypes.c_int
                _renameat2 = fn
            except (OSError, AttributeError):
                _renameat2 = False
    return _renameat2 or None


def _exchange(a: str, b: str) -> bool:
    """Swap the files at ``a`` and ``b``; False when the system or filesystem cannot."""
    fn = _exchange_fn()
    if fn is None:
        return False
    import ctypes

    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), b)


class Changed(Exception):
    """The file on disk is not the one that was planned: nothing was written."""


def _digest(data: bytes) -> bytes:
    import hashlib  # on first use: a check of files that need no hash never loads OpenSSL
    return hashlib.sha256(data).digest()


def _holds(path: str, expected: bytes, want: bytes) -> bool:
    try:
        return _digest(read_regular(path, len(expected))) == want
    except TooLarge:
        return False


def replace_if_unchanged(path: str | os.PathLike[str], expected: bytes, new: bytes) -> None:
    """Atomically replace ``path`` (through a symlink) with ``new`` only if it still holds ``expected``.

    Raises Changed when it does not, before or at the moment of the swap; the
    file that is there is then left exactly as it was.
    """
    target = os.path.realpath(path)
    want = _digest(expected)
    if not _holds(target, expected, want):  # cheap early refusal before any temp file exists
        raise Changed()
    with deferred_signals():
        _remove_stale_temps(Path(target))
        tmp = _temp_with(Path(target), new)
        try:
            if _exchange(tmp, target):
                # ``tmp`` now holds whatever was at ``target`` at the instant of the swap
                if not _holds(tmp, expected, want):
                    _exchange(tmp, target)  # put the edited file back; ours is at tmp again
                    raise Changed()
            else:
                if not _holds(target, expected, want):
                    raise Changed()
                os.replace(tmp, target)
        finally:
            _unlink_quietly(tmp)


# -- a lock per project tree ------------------------------------------------------


def _lock_path(root: str) -> str:
    import hashlib  # on first use: a check of files that need no hash never loads OpenSSL
    import tempfile

    key = hashlib.sha256(os.path.realpath(root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return os.path.join(base, f"altbot-{key}.lock")


@contextlib.contextmanager
def tree_lock(root: str, timeout: float = 30.0) -> Iterator[None]:
    """Serialise the write phase of altbot runs on the same project tree.

    The lock file lives outside the project (the runtime or temp dir), so the
    tree gets no litter. Where ``fcntl`` is missing it is a no-op: the swap and
    compare of ``replace_if_unchanged`` still refuses to overwrite an edit.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(_lock_path(root), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield  # no lock to be had; the compare-and-swap still protects each file
        return
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"another altbot run has been writing in {root} for over {timeout:.0f} s; try again when it ends"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock
