"""`python -m acupoints` and the `acupoints` command.

`acupoints --version` is asked for by scripts, installers and shell prompts; it is answered here,
before typer (about 45 ms to import) is loaded at all. Everything else goes to the Typer app.
"""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from acupoints import __version__

        sys.stdout.write(f"acupoints {__version__}\n")
        return
    from acupoints.cli import run

    run()


if __name__ == "__main__":
    main()
