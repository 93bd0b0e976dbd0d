"""``ui.fonts``: CustomTkinter's font copy never truncates a font file another window has mapped."""

from __future__ import annotations

import os
from pathlib import Path

from bake_tracker.ui.fonts import copy_unless_same


def test_an_identical_font_is_left_alone_and_a_changed_one_replaced_whole(tmp_path: Path) -> None:
    source = tmp_path / "Roboto-Regular.ttf"
    source.write_bytes(b"font v1" * 100)
    fonts = tmp_path / ".fonts"
    fonts.mkdir()
    target = Path(copy_unless_same(str(source), str(fonts)))  # into a folder, like CustomTkinter
    assert target == fonts / source.name and target.read_bytes() == source.read_bytes()
    first = os.stat(target)
    copy_unless_same(str(source), str(fonts))  # the same again: not rewritten at all
    again = os.stat(target)
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    source.write_bytes(b"font v2" * 100)
    copy_unless_same(str(source), str(fonts))  # changed: a new file renamed into place
    assert os.stat(target).st_ino != first.st_ino  # a reader of the old file keeps it whole
    assert target.read_bytes() == source.read_bytes()
    assert [p.name for p in fonts.iterdir()] == [source.name]  # no temporary left behind
