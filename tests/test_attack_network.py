"""Issue 9: nothing goes on the network unless the user opts in, and opted-in fetches stay in bounds.

* The Hub: `altbot caption` / `altbot fix` without --allow-download make no DNS lookup and no
  connection, for a local model directory, a Hub id that is not cached and a translation model
  that is not cached. Checked with an audit hook in a fresh process running the real CLI.
* Redirects: a caption server's 3xx is a failure (never followed, so neither the loopback check
  nor the API key can be bypassed); a remote image's every hop is checked (http/https, at most
  MAX_REDIRECTS hops).
* Deadlines: a server that drips a byte at a time cannot hold a fetch longer than its total deadline.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image as PILImage

from tests.conftest import photo

ROOT = Path(__file__).resolve().parent.parent


def png_bytes(color=(200, 30, 30), size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


# -- the Hub: no lookup without --allow-download -------------------------------------------------

# Runs the real CLI several times in one fresh process. Every socket lookup or connection is
# recorded (with the Hub's offline switch as it was at that moment) and refused, so the test is
# fast and never really reaches the network.
_AUDIT = textwrap.dedent(
    """
    import json, os, sys, time

    events = []
    stop_at_first = False


    class Stop(BaseException):  # ends an opted-in run at its first lookup (the Hub would retry for a while)
        pass


    def hook(name, args):
        if name in ("socket.getaddrinfo", "socket.connect", "socket.gethostbyname", "socket.gethostbyname_ex",
                    "socket.gethostbyaddr", "socket.sendto", "socket.sendmsg"):
            hc = sys.modules.get("huggingface_hub.constants")
            events.append({"event": name, "args": repr(args[1:] if name == "socket.connect" else args)[:120],
                           "hub_offline": getattr(hc, "HF_HUB_OFFLINE", None),
                           "env_offline": os.environ.get("HF_HUB_OFFLINE")})
            if stop_at_first:
                raise Stop()
            raise OSError("network refused by the test's audit hook")

    sys.addaudithook(hook)
    from altbot.cli import main

    results = []
    for name, argv in json.loads(sys.argv[1]):
        del events[:]
        stop_at_first = "--allow-download" in argv
        agent = sys.modules.get("huggingface_hub.utils._detect_agent")
        if agent is not None and hasattr(agent, "_registry"):
            agent._registry = None  # each run starts as a fresh process would: nothing learned from the last
        t0 = time.monotonic()
        try:
            rc = main(argv)
        except Stop:
            rc = None
        results.append({"name": name, "rc": rc, "events": list(events), "s": round(time.monotonic() - t0, 2),
                        "env_after": {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "HF_HUB_DISABLE_TELEMETRY")}})
    print("RESULTS " + json.dumps(results))
    """
)

_HUB_ENV = (
    "HF_HUB_OFFLINE",
    "TRANSFORMERS_OFFLINE",
    "HF_HUB_DISABLE_TELEMETRY",
    "HF_HUB_DISABLE_UPDATE_CHECK",
    "DISABLE_TELEMETRY",
    "DO_NOT_TRACK",
    "HF_HUB_CACHE",
    "HUGGINGFACE_HUB_CACHE",
    "TRANSFORMERS_CACHE",
    "HF_ENDPOINT",
)


@pytest.fixture(scope="module")
def blip_dir(tmp_path_factory):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    import huggingface_hub.constants as hc

    import tiny_models

    before = hc.HF_HUB_OFFLINE
    hc.HF_HUB_OFFLINE = True  # building needs nothing from the Hub
    try:
        return tiny_models.build_blip(str(tmp_path_factory.mktemp("blip")))
    finally:
        hc.HF_HUB_OFFLINE = before


def test_no_lookup_without_allow_download_and_lookups_with_it(tmp_path, blip_dir):
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "fr").mkdir()
    photo(site / "en" / "cat.png", seed=1)
    photo(site / "fr" / "chat.png", seed=2)
    (site / "en" / "index.html").write_text('<html lang="en"><body><img src="cat.png"></body></html>\n')
    (site / "fr" / "index.html").write_text('<html lang="fr"><body><img src="chat.png"></body></html>\n')
    # a translation model named by Hub id, not in the (empty) cache
    (site / ".altbot.toml").write_text('[translation]\nfr = "nobody/not-cached-en-fr"\n')
    img = str(site / "en" / "cat.png")
    cache = ["--cache-dir", str(tmp_path / "captions")]
    missing = "nobody/not-cached-captioner"
    runs = [
        # the default model (not in the empty cache), on a fresh import of huggingface_hub
        ("fix-default-model", ["fix", "--captioner", "transformers", *cache, str(site)]),
        ("caption-missing-hub-id", ["caption", "--captioner", "transformers", "--model", missing, *cache, img]),
        ("caption-local-dir", ["caption", "--captioner", "transformers", "--model", blip_dir, *cache, img]),
        # English page captioned locally; the French page needs the uncached translation model
        ("fix-local-dir-uncached-translation", ["fix", "--model", blip_dir, "--captioner", "transformers", *cache, str(site)]),
        # opted in: the Hub is asked (the hook refuses the lookup, so nothing is downloaded)
        ("caption-allow-download", ["caption", "--captioner", "transformers", "--model", missing, "--allow-download", "--no-cache", img]),
    ]
    env = {k: v for k, v in os.environ.items() if k not in _HUB_ENV}
    env.update(
        HF_HOME=str(tmp_path / "hf-home"),
        XDG_CACHE_HOME=str(tmp_path / "xdg"),
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
        OMP_NUM_THREADS="1",  # tiny models are fastest on one thread
    )
    out = subprocess.run(
        [sys.executable, "-c", _AUDIT, json.dumps(runs)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULTS "))
    results = {r["name"]: r for r in json.loads(line[len("RESULTS ") :])}
    assert "Traceback" not in out.stderr, out.stderr[-3000:]

    for name, _ in runs[:-1]:
        assert results[name]["events"] == [], (name, results[name]["events"])
        # the switches are held while models load, not left behind for the rest of the process
        assert results[name]["env_after"] == {"HF_HUB_OFFLINE": None, "HF_HUB_DISABLE_TELEMETRY": None}, name
    assert results["caption-local-dir"]["rc"] == 0
    assert results["caption-missing-hub-id"]["rc"] == 2
    assert "nobody/not-cached-en-fr" in out.stderr  # the French image says which model it lacks

    opted_in = results["caption-allow-download"]["events"]
    assert opted_in, "with --allow-download the Hub must be asked"
    assert all(e["hub_offline"] is False and e["env_offline"] is None for e in opted_in), opted_in


def test_offline_switches_are_set_inside_and_restored_after(monkeypatch):
    hc = pytest.importorskip("huggingface_hub.constants")
    from altbot.caption.hub import offline

    for key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HF_HUB_DISABLE_UPDATE_CHECK", "0")  # the user's own value comes back
    monkeypatch.setattr(hc, "HF_HUB_OFFLINE", False)  # already imported, read when it was online
    monkeypatch.setattr(hc, "HF_HUB_DISABLE_TELEMETRY", False)
    with offline():
        assert hc.is_offline_mode() and hc.HF_HUB_DISABLE_TELEMETRY
        assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
        with offline():  # nested: still offline after the inner block
            pass
        assert hc.is_offline_mode() and os.environ["HF_HUB_DISABLE_TELEMETRY"] == "1"
    assert not hc.is_offline_mode() and not hc.HF_HUB_DISABLE_TELEMETRY
    assert "HF_HUB_OFFLINE" not in os.environ and "HF_HUB_DISABLE_TELEMETRY" not in os.environ
    assert os.environ["HF_HUB_DISABLE_UPDATE_CHECK"] == "0"
    with offline(False):  # downloads allowed: nothing is touched
        assert not hc.is_offline_mode() and "HF_HUB_OFFLINE" not in os.environ
    with pytest.raises(KeyError), offline():
        raise KeyError("a failed load")
    assert not hc.is_offline_mode()
