"""`ragrules show` says where each setting came from: comparisons and glyphs merged by name
from a base and the extending file are each named with their own file, inherited ones too."""

from __future__ import annotations

from pathlib import Path

import pytest

from ragrules.cli import main

BASE = (
    '[ruleset]\nformat = 1\nid = "base"\n'
    '[travel]\nglyphs = { up = "▲" }\n'
    "[travel.comparisons]\n"
    'short = { against = "previous-period", same-target = true }\n'
    'long = { against = "same-period-last-year" }\n'
    '[[indicator]]\nid = "a"\ntarget = 50\ntolerance = { absolute = 5 }\n'
)


def _shown(tmp_path: Path, capsys: pytest.CaptureFixture[str], child: str) -> list[str]:
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "council.toml").write_text(child, encoding="utf-8")
    assert main(["show", str(tmp_path / "council.toml")]) == 0
    return capsys.readouterr().out.splitlines()


def test_each_comparison_and_glyph_is_named_with_the_file_that_wrote_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _shown(
        tmp_path,
        capsys,
        '[ruleset]\nformat = 1\nid = "council"\nextends = "base.toml"\n'
        '[travel]\nglyphs = { down = "▼" }\n'
        '[travel.comparisons]\nout = { against = "previous-outturn" }\n',
    )
    assert 'up = "▲"  # from base.toml:5' in [
        line.replace(str(tmp_path) + "/", "") for line in lines
    ]
    shown = [line.replace(str(tmp_path) + "/", "") for line in lines]
    assert 'down = "▼"  # from council.toml:6' in shown
    assert (
        'short = { against = "previous-period", same-target = true }  # from base.toml:7' in shown
    )
    assert 'long = { against = "same-period-last-year" }  # from base.toml:8' in shown
    assert 'out = { against = "previous-outturn" }  # from council.toml:8' in shown


def test_travel_inherited_whole_is_named_with_the_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _shown(
        tmp_path, capsys, '[ruleset]\nformat = 1\nid = "council"\nextends = "base.toml"\n'
    )
    shown = [line.replace(str(tmp_path) + "/", "") for line in lines]
    assert 'glyphs = { up = "▲" }  # from base.toml:5' in shown
    assert 'long = { against = "same-period-last-year" }  # from base.toml:8' in shown
