"""`python -m acupoints` and the `acupoints` command."""

from acupoints.cli import main

if __name__ == "__main__":
    main()
