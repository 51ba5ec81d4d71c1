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
    from acupoints.output import streams

    streams.prepare()  # closed descriptors, an encoding that lacks characters
    if sys.argv[1:] == ["--version"]:
        from acupoints import __version__

        try:
            streams.write_out(f"acupoints {__version__}\n")
        except Exception as exc:  # an OutputError: stdout closed or failing
            streams.write_err(f"acupoints: error: {exc}\n")
            sys.exit(1)
        return
    if os.environ.get("_ACUPOINTS_COMPLETE"):  # a TAB press: see acupoints.completion
        from acupoints.completion import main as complete

        sys.exit(complete(_app))
    from acupoints.cli import run

    run()


if __name__ == "__main__":
    main()
