"""`--shard K/N` on check, scan and fix: a stable split of the files by path hash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from altbot import check, plan_fix, scan
from altbot.cli import main
from altbot.config import ConfigError
from altbot.discover import in_shard, parse_shard


def write_tree(root: Path, names: range, sub: str = "") -> None:
    for i in names:
        folder = root / sub / f"section{i % 7}" / f"part{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        if i % 2:
            (folder / f"page{i}.md").write_text(f"# Page {i}\n\n![](img{i}.png)\n", encoding="utf-8")
        else:
            (folder / f"page{i}.html").write_text(f'<p>Page {i}</p><img src="img{i}.png">\n', encoding="utf-8")


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (root / ".altbot.toml").write_text('default-lang = "en"\n', encoding="utf-8")
    write_tree(root, range(300))
    return root


def files_of(result) -> set[str]:
    return {os.path.relpath(f.image.path, start=os.getcwd()) for f in result.findings}


@pytest.mark.parametrize(
    "value,expected",
    [("1/1", (1, 1)), ("3/4", (3, 4)), (" 2 / 5 ", (2, 5)), ("10/10", (10, 10)), ((2, 4), (2, 4))],
)
def test_parse_shard(value, expected):
    assert parse_shard(value) == expected


@pytest.mark.parametrize(
    "value,needle",
    [
        ("0/4", "1 <= K <= N"),
        ("5/4", "1 <= K <= N"),
        ("1/0", "1 <= K <= N"),
        ("0/0", "1 <= K <= N"),
        ("-1/4", "takes K/N"),
        ("a/b", "takes K/N"),
        ("1", "takes K/N"),
        ("1/2/3", "takes K/N"),
        ("", "takes K/N"),
        ((0, 1), "1 <= K <= N"),
        ((True, 1), "takes K/N"),
        (2, "takes K/N"),
    ],
)
def test_bad_shards(value, needle):
    with pytest.raises(ValueError, match=needle):
        parse_shard(value)


@pytest.mark.parametrize("command", ["check", "scan", "fix"])
@pytest.mark.parametrize("value", ["0/3", "4/3", "x", "1/"])
def test_bad_shard_is_a_usage_error(command, value, tree, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, str(tree), "--shard", value])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "argument --shard:" in err and "K/N" in err and "Traceback" not in err


def test_library_rejects_a_bad_shard(tree):
    with pytest.raises(ConfigError, match="1 <= K <= N"):
        check([str(tree)], shard="3/2")


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_shards_are_disjoint_and_their_union_is_the_whole_run(n, tree, monkeypatch):
    monkeypatch.chdir(tree)
    whole = files_of(check(["."]))
    assert len(whole) == 300
    shards = [files_of(check(["."], shard=f"{k}/{n}")) for k in range(1, n + 1)]
    assert set().union(*shards) == whole
    assert sum(len(s) for s in shards) == len(whole)  # disjoint
    if n > 1:
        assert all(0 < len(s) < len(whole) for s in shards)
        assert max(len(s) for s in shards) < 2 * len(whole) / n  # roughly even


def test_adding_files_moves_no_existing_file(tree, monkeypatch):
    monkeypatch.chdir(tree)
    before = {k: files_of(check(["."], shard=f"{k}/4")) for k in range(1, 5)}
    write_tree(tree, range(300, 420))  # new pages, some in new places
    write_tree(tree, range(420, 450), sub="new-area")
    after = {k: files_of(check(["."], shard=f"{k}/4")) for k in range(1, 5)}
    for k in range(1, 5):
        assert before[k] <= after[k], f"a file left shard {k}/4 when others were added"
    assert sum(len(s) for s in after.values()) == 450


def test_the_split_does_not_depend_on_the_working_directory(tree, monkeypatch, tmp_path):
    monkeypatch.chdir(tree)
    from_root = {k: {str(tree / p) for p in files_of(check(["."], shard=f"{k}/3"))} for k in range(1, 4)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    from_outside = {
        k: {os.path.normpath(os.path.join(elsewhere, p)) for p in files_of(check([str(tree)], shard=f"{k}/3"))}
        for k in range(1, 4)
    }
    assert from_root == from_outside


def test_files_named_on_the_command_line_are_sharded_too(tree, monkeypatch):
    monkeypatch.chdir(tree)
    named = sorted(str(p.relative_to(tree)) for p in tree.rglob("page*.md"))[:40]
    shards = [files_of(check(named, shard=f"{k}/2")) for k in (1, 2)]
    assert shards[0] | shards[1] == set(named) and not shards[0] & shards[1]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_page_and_a_symlink_to_it_are_one_file_in_one_shard(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".altbot.toml").write_text("", encoding="utf-8")
    for i in range(40):
        (tmp_path / f"page{i}.md").write_text(f"![](img{i}.png)\n", encoding="utf-8")
        os.symlink(f"page{i}.md", tmp_path / f"alias{i}.md")
    for n in (2, 3):
        counts = [check(["."], shard=f"{k}/{n}").files for k in range(1, n + 1)]
        assert sum(counts) == check(["."]).files == 40


def test_scan_and_fix_use_the_same_split_as_check(tree, monkeypatch):
    monkeypatch.chdir(tree)
    for k in (1, 2, 3):
        checked = files_of(check(["."], shard=f"{k}/3"))
        scanned = {os.path.relpath(i.path) for i in scan(["."], shard=f"{k}/3").images}
        plan = plan_fix(["."], captioner="filename", shard=f"{k}/3", no_cache=True)
        planned = {os.path.relpath(fp.source.path) for fp in plan.files}
        assert checked == scanned == planned


def test_cli_shards_cover_the_tree(tree, monkeypatch, capsys):
    monkeypatch.chdir(tree)
    seen = []
    for k in (1, 2):
        rc = main(["check", ".", "--format", "json", "--shard", f"{k}/2"])
        import json

        doc = json.loads(capsys.readouterr().out)
        assert rc == 1
        seen.append({f["path"] for f in doc["findings"]})
    assert not seen[0] & seen[1] and len(seen[0] | seen[1]) == 300


def test_in_shard_is_a_pure_function_of_the_path():
    keys = [f"content/post-{i}.md" for i in range(1000)]
    for n in (1, 2, 5):
        owners = [[k for k in range(1, n + 1) if in_shard(key, (k, n))] for key in keys]
        assert all(len(o) == 1 for o in owners)
        assert owners == [[k for k in range(1, n + 1) if in_shard(key, (k, n))] for key in keys]
    assert in_shard("caf\udce9.md", (1, 1))  # an undecodable file name (surrogate-escaped) still hashes
