"""python -m trainguard.monitor launch --nproc N [options] -- script.py args..."""

import sys

from ._launch import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
