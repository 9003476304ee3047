from __future__ import annotations

import pytest

from altbot.config import ConfigError, config_from_table, load_config
from altbot.model import Kind, Severity


def test_pyproject_table_is_found_from_a_subdirectory(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.altbot]\nexclude = ["drafts/"]\nfail-on = "warning"\n')
    sub = tmp_path / "content" / "en"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    cfg = load_config()
    assert cfg.exclude == ("drafts/",)
    assert cfg.fail_on is Severity.WARNING
    assert cfg.root == tmp_path.resolve()


def test_dot_altbot_toml_wins_over_pyproject(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.altbot]\nexclude = ["a"]\n')
    (tmp_path / ".altbot.toml").write_text('exclude = ["b"]\n')
    monkeypatch.chdir(tmp_path)
    assert load_config().exclude == ("b",)


def test_pyproject_without_table_is_not_a_config(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)
    assert load_config().source is None


@pytest.mark.parametrize(
    "pyproject, found",
    [
        ('[tool.altbot]\nexclude = ["x/"]\n', True),
        ('[tool."altbot"]\nexclude = ["x/"]\n', True),  # a quoted table name
        ('[tool."\\u0061ltbot"]\nexclude = ["x/"]\n', True),  # a key with an escape still names altbot
        ('tool.altbot.exclude = ["x/"]\n', True),  # a dotted key
        ('[project]\nname = "x"\n', False),
        ('[project]\nname = "altbot-site"\n', False),  # mentions altbot, has no table
        ('[tool.black]\nline-length = "\\t"\n', False),  # a backslash, no table
        ("[project\nname = 'broken\n", False),  # someone else's broken file
        (b"\xff\xfe[tool.altbot]\n", False),  # not UTF-8
    ],
)
def test_which_pyproject_is_a_config(tmp_path, monkeypatch, pyproject, found):
    """A pyproject.toml is a config only with a [tool.altbot] table, however it is spelled;
    the walk up stops at the repository's top even when that pyproject is broken, and never
    picks up a config from above it."""
    outer = tmp_path / "outer"
    repo = outer / "repo"
    (repo / ".git").mkdir(parents=True)
    (outer / ".altbot.toml").write_text('exclude = ["outside/"]\n')  # above the repository: never read
    py = repo / "pyproject.toml"
    py.write_bytes(pyproject if isinstance(pyproject, bytes) else pyproject.encode())
    monkeypatch.chdir(repo)
    cfg = load_config()
    if found:
        assert (cfg.source, cfg.exclude) == (str(py.resolve()), ("x/",))
    else:
        assert cfg.source is None and cfg.exclude != ("outside/",)


def test_full_table():
    cfg = config_from_table(
        {
            "severity": {"suspicious-alt": "error", "empty-alt": "off"},
            "front-matter-fields": {"cover.image": "cover.alt"},
            "components": ["Img"],
            "extensions": {".njk": "html"},
            "empty-alt": "report",
            "static-dirs": ["static"],
            "site-root": "public",
        },
        root=__import__("pathlib").Path("."),
    )
    assert cfg.severity_of("suspicious-alt", Severity.WARNING) is Severity.ERROR
    assert cfg.severity_of("empty-alt", Severity.ERROR) is None
    assert cfg.severity_of("missing-alt", Severity.ERROR) is Severity.ERROR
    assert [(f.image, f.alt) for f in cfg.front_matter_fields] == [("cover.image", "cover.alt")]
    assert dict(cfg.extensions)[".njk"] is Kind.HTML
    assert cfg.parse_options().components == ("Img",)


@pytest.mark.parametrize(
    "table, fragment",
    [
        ({"exclud": ["x"]}, "unknown key(s) exclud"),
        ({"severity": {"missing-alts": "error"}}, "unknown rule 'missing-alts'"),
        ({"severity": {"missing-alt": "fatal"}}, "must be one of"),
        ({"fail-on": "high"}, "is not one of"),
        ({"extensions": {".njk": "jinja"}}, "kind must be one of"),
        ({"extensions": [".txt"]}, "have no default kind"),
        ({"include": 3}, "must be a list of strings"),
        ({"max-file-size": -1}, "positive"),
        ({"empty-alt": "yes"}, "empty-alt must be one of"),
        # a NUL (TOML's "\u0000") in any name or value: was ValueError from realpath, an internal error
        ({"cache-dir": "a\0b"}, "`cache-dir` holds a NUL character"),
        ({"ledger": ".altbot/\0.json"}, "`ledger` holds a NUL character"),
        ({"exclude": ["ok", "a\0"]}, "`exclude.1` holds a NUL character"),
        ({"translation": {"fr": "m\0"}}, "`translation.fr` holds a NUL character"),
        ({"extensions": {".n\0jk": "html"}}, "`extensions..n\\u0000jk` holds a NUL character"),
    ],
)
def test_bad_config_is_a_clear_error(table, fragment):
    with pytest.raises(ConfigError) as exc:
        config_from_table(table, root=__import__("pathlib").Path("."), source="pyproject.toml")
    assert fragment in str(exc.value)
    assert "pyproject.toml" in str(exc.value)


@pytest.mark.parametrize("name, head", [(".altbot.toml", ""), ("pyproject.toml", "[tool.altbot]\n")])
def test_toml_nested_too_deeply_is_a_config_error(tmp_path, name, head):
    """Valid TOML that Python's reader cannot take (RecursionError): was an internal error."""
    (tmp_path / name).write_text(head + "include = " + "[" * 1000 + "]" * 1000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(None, start=tmp_path)


def test_invalid_toml(tmp_path):
    f = tmp_path / ".altbot.toml"
    f.write_text("exclude = [\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(f)


def _config_path(tmp_path, kind):
    """A --config argument of the given kind, under tmp_path."""
    import os
    import socket

    p = tmp_path / "cfg.toml"
    if kind == "file":
        p.write_text('exclude = ["b"]\n')
    elif kind == "empty file":
        p.write_text("")
    elif kind == "folder":
        p.mkdir()
    elif kind == "fifo":
        os.mkfifo(p)
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(p))
        s.close()
    elif kind == "under a file":
        (tmp_path / "notdir").write_text("x")
        p = tmp_path / "notdir" / "cfg.toml"
    elif kind == "dangling symlink":
        p.symlink_to(tmp_path / "gone.toml")
    return p


@pytest.mark.parametrize(
    "kind, message",
    [
        ("file", None),  # no change: a regular file loads
        ("empty file", None),  # no change: an empty file is an empty config
        ("missing", "config file not found"),
        ("dangling symlink", "config file not found"),
        ("under a file", "config file not found"),
        ("folder", "cannot read config: it is a directory, not a regular file"),
        ("fifo", "cannot read config: it is a FIFO (named pipe), not a regular file"),
        ("socket", "cannot read config: it is a socket, not a regular file"),
    ],
)
def test_an_explicit_config_says_what_is_wrong_with_it(tmp_path, kind, message):
    path = _config_path(tmp_path, kind)
    if message is None:
        assert load_config(path).source == str(path)
        return
    with pytest.raises(ConfigError) as exc:
        load_config(path)  # a FIFO must not block: the test would hang here
    assert str(exc.value) == f"{path}: {message}"


def test_check_with_a_fifo_config_exits_2_with_the_reason(tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "a.html").write_text('<img src="a.png">')
    os.mkfifo(tmp_path / "cfg.toml")
    out = subprocess.run(
        [sys.executable, "-m", "altbot", "check", "--config", str(tmp_path / "cfg.toml"), str(tmp_path)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert out.returncode == 2
    assert "not a regular file" in out.stderr and "Traceback" not in out.stderr
