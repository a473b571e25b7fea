"""`python -m research_kit` and the `research-kit` script: the command line.

Ctrl-C is answered from the first line of `main` (`interrupts.handling`), and the command line's
modules are imported inside it, so a Ctrl-C while they load (a second or so: pandas, scipy) is
answered like any other interrupt, not with a traceback.
"""

import sys

from .interrupts import check, handling


def main() -> int:
    """Import the command line and run it."""
    with handling():
        try:
            from .cli import main as run

            check()  # an interrupt swallowed by an imported module's finalizer
            return run()
        except KeyboardInterrupt:
            print("research-kit: interrupted", file=sys.stderr)
            return 130


if __name__ == "__main__":
    sys.exit(main())
