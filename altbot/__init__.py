"""altbot: find images without a text alternative, and (later) caption them locally."""

__version__ = "0.1.0"
