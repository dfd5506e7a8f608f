"""``python -m pynn_spinnaker2 SCRIPT.py [ARGS...]``: see spinnaker1/runner.py."""

import sys

from .spinnaker1.runner import main

if __name__ == "__main__":
    sys.exit(main())
