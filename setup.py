"""The wheel runs from itself: besides the Python packages (pyproject.toml), it carries the
templates, static sources (vendored libraries and their licences included) and compiled
translations, which sit beside the packages in a checkout, inside the trygghet package
(trygghet/paths.py finds them there)."""

import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
SITE_FOLDERS = ("templates", "static", "locale")
# The catalogues' sources and the vendoring script are for the checkout, not the server.
LEFT_OUT = shutil.ignore_patterns("*.po", "update.sh", "package.json")


def compile_translations() -> None:
    """Each catalogue compiled beside its source when missing or older, as `make install` does."""
    for source in ROOT.glob("locale/*/LC_MESSAGES/*.po"):
        compiled = source.with_suffix(".mo")
        if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", compiled, source], check=True)


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # a checkout reads them where they are
            return
        compile_translations()
        for folder in SITE_FOLDERS:
            target = Path(self.build_lib) / "trygghet" / folder
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / folder, target, ignore=LEFT_OUT)


class Sdist(sdist):
    def run(self) -> None:
        compile_translations()
        super().run()


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
