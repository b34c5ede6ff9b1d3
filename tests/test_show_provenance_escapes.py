"""`ragrules show` writes each setting's file in a comment: a file name holding a control or
bidi character is shown as `\\x7f`, `\\u202e` there, which a TOML comment cannot hold raw and a
terminal would obey; the output still reads as TOML."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli

from ragrules.cli import main


@pytest.mark.parametrize("name", ["del\x7f.toml", "rtl\u202e.toml", "c1\x9b.toml"])
def test_a_file_name_in_a_comment_is_shown_not_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = tmp_path / name
    path.write_text(
        '[ruleset]\nformat = 1\nid = "x"\n[[indicator]]\nid = "a"\ntarget = 1\n'
        "tolerance = { absolute = 1 }\n",
        encoding="utf-8",
    )
    assert main(["show", str(path)]) == 0
    shown = capsys.readouterr().out
    assert "# from" in shown and not any(c in shown for c in "\x7f\u202e\x9b")
    assert tomli.loads(shown)["ruleset"]["id"] == "x"
