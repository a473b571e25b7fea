"""`python -m research_kit` and the `research-kit` script: the command line.

The command line's modules are imported here, inside `main`, so a Ctrl-C while they load (a
second or so: pandas, scipy) is answered like any other interrupt, not with a traceback.
"""

import sys


def main() -> int:
    """Import the command line and run it."""
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        print("research-kit: interrupted", file=sys.stderr)
        return 130
    return run()


if __name__ == "__main__":
    sys.exit(main())
