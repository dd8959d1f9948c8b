"""``python -m papi_desktop``: the same as the ``papi-desktop`` command."""

import sys

from papi_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
