"""`python -m acupoints` and the `acupoints` command.

`acupoints --version` is asked for by scripts, installers and shell prompts, and a TAB press by
the shell's completion: both are answered here, before typer (about 45 ms to import) is loaded
at all. Everything else goes to the Typer app.
"""

import os
import sys
from typing import Any


def _app() -> Any:
    from acupoints.cli import app

    return app


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from acupoints import __version__

        sys.stdout.write(f"acupoints {__version__}\n")
        return
    if os.environ.get("_ACUPOINTS_COMPLETE"):  # a TAB press: see acupoints.completion
        from acupoints.completion import main as complete

        sys.exit(complete(_app))
    from acupoints.cli import run

    run()


if __name__ == "__main__":
    main()
