"""A reader who follows a pointer to a document finds it: every Markdown file that a source file,
template or document names is in the repository."""

import os
import re
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("*.py", "*.html", "*.md", "*.js", "*.css", "Makefile", "*.toml")
# Third-party files and local state, not ours to edit.
SKIPPED = {".venv", ".data", ".media", ".git", "node_modules", "vendor", "test-results", "build"}
MENTION = re.compile(r"[\w./-]*\b[\w-]+\.md\b")


def our_files():
    """Our sources, not walking into the skipped folders at all (a virtualenv is large)."""
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED]
        for name in names:
            if any(fnmatch(name, pattern) for pattern in SOURCES):
                yield Path(folder) / name


def test_every_markdown_file_named_in_the_code_exists():
    present = {path.name for path in our_files() if path.suffix == ".md"}
    missing = sorted(
        f"{path.relative_to(ROOT)} names {name}"
        for path in our_files()
        for name in MENTION.findall(path.read_text(errors="replace"))
        if Path(name).name not in present
    )
    assert missing == []
