"""Compile the .po translation catalogs to .mo with polib (no GNU gettext needed at install time).

Vietnamese is the source language of the interface; English comes from locale/en.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).with_name("locale")


def compile_all() -> int:
    n = 0
    for po_path in LOCALE.glob("*/LC_MESSAGES/*.po"):
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        n += 1
    return n


if __name__ == "__main__":
    count = compile_all()
    print(f"compiled {count} catalog(s)")
    sys.exit(0 if count else 1)
