"""The exit-code contract of every command, in one place (report stage).

0 clean; 1 findings at or above --fail-on (for fix: findings left, or proposed
changes not yet applied); 2 usage, configuration, I/O or internal errors when
nothing else failed; 130 interrupted (Ctrl-C).
"""

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
