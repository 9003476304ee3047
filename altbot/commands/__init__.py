"""One module per command (report stage): options in, a library call, the
report out, an exit code back. ``altbot.cli`` parses the arguments and
imports only the command it runs."""
