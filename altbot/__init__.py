"""altbot: find images without alt text in static sites, caption them locally in
the page's language, and write the alt text back as a reviewable diff.

The library API (what every command calls)::

    import altbot

    result = altbot.check("site/")            # CheckResult: .findings, .errors, .exit_code, .as_json()
    inventory = altbot.scan("site/")          # ScanResult: .images, .verdicts, .as_json()
    plan = altbot.plan_fix("site/", captioner="offline")
    for p in plan.proposals:                  # Proposal: path, line, alt, applicability, reasons ...
        ...
    plan.decide(p.id, "accept")               # or "decorative", "reject", "skip"; or accept with text=
    print(plan.diff())                        # exactly what `altbot fix` prints
    plan.write()                              # exactly what `altbot fix --write` writes
"""

__version__ = "0.1.0"

# Public names load on first use (PEP 562), so `altbot check` imports only what it runs.
_LAZY = {
    "CheckResult": "altbot.api",
    "ScanResult": "altbot.api",
    "check": "altbot.api",
    "plan_fix": "altbot.api",
    "scan": "altbot.api",
    "Config": "altbot.config",
    "ConfigError": "altbot.config",
    "load_config": "altbot.config",
    "EXIT_ERROR": "altbot.exitcodes",
    "EXIT_FINDINGS": "altbot.exitcodes",
    "EXIT_OK": "altbot.exitcodes",
    "LedgerError": "altbot.ledger",
    "Applicability": "altbot.model",
    "Status": "altbot.model",
    "Verdict": "altbot.model",
    "DecisionError": "altbot.plan",
    "FixPlan": "altbot.plan",
    "Proposal": "altbot.plan",
    "WriteResult": "altbot.plan",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'altbot' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "Applicability",
    "CheckResult",
    "Config",
    "ConfigError",
    "DecisionError",
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "FixPlan",
    "LedgerError",
    "Proposal",
    "ScanResult",
    "Status",
    "Verdict",
    "WriteResult",
    "__version__",
    "check",
    "load_config",
    "plan_fix",
    "scan",
]
