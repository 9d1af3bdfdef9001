"""Installs trainguard-guard.pth next to the package in site-packages.

pyproject.toml has no portable way to put a file at the root of site-packages, so build_py copies
it into the build directory, as coverage.py and other packages with a startup hook do. The .pth
line does nothing unless TRAINGUARD_GUARD is set, and never raises.
"""

import os

from setuptools import setup
from setuptools.command.build_py import build_py

PTH = "trainguard-guard.pth"


class BuildWithPth(build_py):
    def run(self):
        super().run()
        here = os.path.dirname(os.path.abspath(__file__))
        self.copy_file(os.path.join(here, PTH), os.path.join(self.build_lib, PTH))

    def get_outputs(self, include_bytecode=1):
        return super().get_outputs(include_bytecode) + [os.path.join(self.build_lib, PTH)]


setup(cmdclass={"build_py": BuildWithPth})
