"""``python -m mfa``: the command line of :mod:`mfa.cli`."""

from mfa.cli import main

main()
