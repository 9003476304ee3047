"""Stage: edits → new text → disk. Writes are atomic: a reader (or an interrupted
run) sees either the old file or the new one, never half of each."""

from __future__ import annotations

import os

from altbot.files import Changed, NotRegularFile, write_atomic  # noqa: F401 - write_atomic is part of this stage's API


class ApplyError(Exception):
    """A plan could not be written; the message says why and what to do."""


def write_if_unchanged(path: str, expected: bytes, new: bytes) -> None:
    """Atomically replace ``path`` with ``new``, unless it no longer holds ``expected``.

    The comparison happens at the instant of the swap (see ``altbot.files``), so an
    edit made while altbot was writing is kept and reported, never overwritten.
    """
    from altbot.files import replace_if_unchanged

    try:
        replace_if_unchanged(path, expected, new)
    except Changed:
        raise ApplyError("the file changed since it was scanned; not written (run altbot fix again)") from None
    except NotRegularFile as exc:
        raise ApplyError(f"not written: it is {exc.strerror}") from None
    except OSError as exc:
        raise ApplyError(f"cannot write: {exc.strerror or exc}") from exc


def _as_blob(top: str, rel: str, data: bytes, write: bool = False) -> str:
    """The blob id ``data`` gets as the file ``rel`` (``git hash-object --path``: the path's
    clean filters and line-ending conversion applied); with ``write``, the blob is stored."""
    import subprocess

    cmd = ["git", "hash-object", *(["-w"] if write else []), "--path", rel, "--stdin"]
    out = subprocess.run(cmd, input=data, cwd=top, capture_output=True, check=False)
    if out.returncode != 0:
        import git

        raise git.GitCommandError(cmd, out.returncode, out.stderr.decode("utf-8", "replace"))
    return out.stdout.decode("ascii").strip()


def commit_to_branch(changes: list[tuple[str, bytes, bytes]], branch: str, message: str, cwd: str = ".") -> str:
    """Commit new file contents on a new branch made from HEAD; return the commit id.

    ``changes`` holds (absolute path, bytes as scanned, new bytes). The working
    tree, the index and the current branch are not touched: the commit is built
    in a private index file, so the branch can go straight into a pull request.
    """
    import tempfile

    try:
        import git
    except ImportError as exc:  # gitpython is a base dependency; it refuses to import without the git command
        raise ApplyError(f"--branch needs the git command ({exc}); install git, or use --write or --patch") from None
    try:
        repo = git.Repo(cwd, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise ApplyError("--branch needs a git repository; run it inside one, or use --write or --patch") from None
    try:
        head = repo.head.commit
    except ValueError:
        raise ApplyError("--branch needs a commit to start from; the repository has none yet") from None
    ref = f"refs/heads/{branch}"
    try:
        repo.git.check_ref_format(ref)
    except git.GitCommandError:
        raise ApplyError(f"{branch!r} is not a valid branch name") from None
    if any(h.name == branch for h in repo.heads):
        raise ApplyError(f"branch {branch!r} already exists; choose another name or delete it")
    top = os.path.realpath(repo.working_tree_dir)
    fd, index_file = tempfile.mkstemp(prefix="altbot-index-")
    os.close(fd)
    env = {"GIT_INDEX_FILE": index_file}
    try:
        repo.git.read_tree(head.hexsha, env=env)
        for path, scanned, new in changes:
            rel = os.path.relpath(os.path.realpath(path), top).replace(os.sep, "/")
            if rel.startswith("../"):
                raise ApplyError(f"{path} is outside the repository {top}")
            try:
                entry = head.tree / rel
            except KeyError:
                raise ApplyError(f"{rel} is not committed yet; commit it first, or use --write") from None
            # the working tree's bytes as git would commit them: its clean filters (eol=crlf,
            # core.autocrlf, a filter driver) applied, as `git add` applies them
            if _as_blob(top, rel, scanned) != entry.hexsha:
                raise ApplyError(f"{rel} has uncommitted changes; commit or stash them first, or use --write")
            sha = _as_blob(top, rel, new, write=True)
            repo.git.update_index("--cacheinfo", f"{entry.mode:o},{sha},{rel}", env=env)
        tree = repo.git.write_tree(env=env)
        commit = repo.git.commit_tree(tree, "-p", head.hexsha, "-m", message)
        repo.git.update_ref(ref, commit, "")
    except git.GitCommandError as exc:
        raise ApplyError(f"git failed: {exc.stderr.strip() or exc}") from None
    finally:
        try:
            os.unlink(index_file)
        except OSError:
            pass
    return commit
