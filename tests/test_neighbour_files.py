"""Statistical neighbours read from CSV files a ruleset names: wide and long files, revised
sets, the same ruleset as the lists written in TOML, and located errors for bad files."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from tests.test_quantiles import NEIGHBOURS

# The neighbours ruleset of test_quantiles, its lists taken out to be read from files.
INLINE = NEIGHBOURS[NEIGHBOURS.index("[groups.neighbours]") : NEIGHBOURS.index("[benchmarks")]
HEAD = NEIGHBOURS.replace(INLINE, "")
FILES = """
[groups.neighbours]
neighbours = [
  { file = "neighbours-2023.csv" },
  { from = "2024", file = "lists/neighbours-2024.csv" },
]
"""
# As sent to councils: one row per area, its name, then its neighbours in order of nearness.
WIDE = "Area Code,Area Name,Neighbour 1,Neighbour 2,Neighbour 3\nA,Alpha,B,C\nB,Beta,A,C\n" + (
    "C,Gamma,A,B,D\n"
)
# One row per pair.
LONG = "area,neighbour,rank\nA,C,1\nA,D,2\n"


def _folder(tmp_path: Path, text: str = FILES, wide: str = WIDE, long: str = LONG) -> Path:
    (tmp_path / "lists").mkdir(exist_ok=True)
    (tmp_path / "neighbours-2023.csv").write_text(wide, encoding="utf-8")
    (tmp_path / "lists" / "neighbours-2024.csv").write_text(long, encoding="utf-8")
    path = tmp_path / "rules.toml"
    path.write_text(HEAD + text, encoding="utf-8")
    return path


def _problems(path: Path, **kwargs: object) -> list[ragrules.Problem]:
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.load(path, **kwargs)  # type: ignore[arg-type]
    return list(caught.value.problems)


def test_neighbours_from_files_are_the_lists_written_in_the_ruleset(tmp_path: Path) -> None:
    from_files = ragrules.load(_folder(tmp_path))
    assert from_files == ragrules.loads(HEAD + INLINE)
    assert from_files.fingerprint == ragrules.loads(HEAD + INLINE).fingerprint
    rows = [
        {"indicator": "vs-mean", "area": area, "period": "2024", "value": value}
        for area, value in {"A": "10", "B": "20", "C": "30", "D": "40"}.items()
    ]
    # 2024: A's revised neighbours are C and D: their mean is 35.
    report = from_files.rate(rows)
    assert report.result("vs-mean", area="A").target == ragrules.Target.point(Decimal(35))


def test_a_single_file_is_one_set_always_in_force_and_headers_can_be_named(
    tmp_path: Path,
) -> None:
    wide = "LA code,SN1,SN2\nA,B,C\nB,A,C\nC,A,B\n"
    text = (
        '[groups.neighbours]\nneighbours = [{ file = "neighbours-2023.csv", '
        'area-column = "LA code", neighbour-columns = "SN" }]\n'
    )
    named = ragrules.load(_folder(tmp_path, text, wide=wide))
    inline = (
        '[groups.neighbours]\nneighbours = { A = ["B", "C"], B = ["A", "C"], C = ["A", "B"] }\n'
    )
    assert named == ragrules.loads(HEAD + inline)
    short = '[groups.neighbours]\nneighbours = "neighbours-2023.csv"\n'
    assert ragrules.load(_folder(tmp_path, short)) == ragrules.loads(
        HEAD + '[groups.neighbours]\nneighbours = { A = ["B", "C"], B = ["A", "C"], '
        'C = ["A", "B", "D"] }\n'
    )


def test_a_base_names_its_file_relative_to_itself_and_shares_its_groups(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    base = _folder(tmp_path / "shared")
    child = tmp_path / "council" / "ours.toml"
    child.parent.mkdir()
    child.write_text(
        '[ruleset]\nformat = 1\nid = "ours"\nextends = "../shared/rules.toml"\n', encoding="utf-8"
    )
    loaded = ragrules.load(child, allowed=[tmp_path / "shared"])
    # A base's groups and benchmarks are inherited like its scales and indicators.
    shared = ragrules.load(base)
    assert (loaded.groups, loaded.benchmarks) == (shared.groups, shared.benchmarks)
    assert loaded.groups[0].neighbours


def test_a_file_outside_the_load_roots_is_never_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("area,neighbour\nX,Y\n", encoding="utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    text = '[groups.neighbours]\nneighbours = "../secret.csv"\n'
    (problem,) = _problems(_folder(inner, text))
    assert "no neighbour file '../secret.csv' among the allowed folders" in problem.message
    assert problem.key == "groups.neighbours.neighbours"
    assert problem.file is not None and problem.file.endswith("rules.toml")
    assert problem.line == HEAD.count("\n") + 2
    # Allowed by the caller, it is read.
    assert ragrules.load(inner / "rules.toml", allowed=[tmp_path]).groups[0].neighbours
    url = '[groups.neighbours]\nneighbours = "https://example.org/n.csv"\n'
    (problem,) = _problems(_folder(inner, url))
    assert "never a URL" in problem.message


@pytest.mark.parametrize(
    ("wide", "row", "message"),
    [
        ("code,neighbour 1\nA,B\n", 1, "no area column (found: code, neighbour 1)"),
        ("area,name\nA,Alpha\n", 1, "no neighbour column (found: area, name)"),
        ("area,neighbour 1\nA,B\n,C\n", 3, "no area code in this row"),
        ("area,neighbour 1\n", None, "the file lists no areas"),
        ('area,neighbour 1\nA,"B"C\n', 2, "not CSV"),
    ],
)
def test_a_bad_file_is_named_with_its_row(
    tmp_path: Path, wide: str, row: int | None, message: str
) -> None:
    problems = _problems(_folder(tmp_path, wide=wide))
    assert [(Path(p.file or "").name, p.row) for p in problems] == [("neighbours-2023.csv", row)]
    assert message in problems[0].message


def test_a_set_read_from_a_file_takes_only_its_own_keys(tmp_path: Path) -> None:
    text = '[groups.neighbours]\nneighbours = [{ file = "neighbours-2023.csv", of = {} }]\n'
    (problem,) = _problems(_folder(tmp_path, text))
    assert problem.key == "groups.neighbours.neighbours[0].of"
    assert "unknown key 'of'" in problem.message
    missing = '[groups.neighbours]\nneighbours = "nowhere.csv"\n'
    (problem,) = _problems(_folder(tmp_path, missing))
    assert "no neighbour file 'nowhere.csv'" in problem.message


def test_a_file_is_not_utf8_or_too_large(tmp_path: Path) -> None:
    path = _folder(tmp_path)
    (tmp_path / "neighbours-2023.csv").write_bytes(b"area,neighbour\nA,\xff\n")
    (problem,) = _problems(path)
    assert "not UTF-8" in problem.message
    (tmp_path / "neighbours-2023.csv").write_text(
        "area,neighbour\n" + "A,B\n" * 1_300_000, encoding="utf-8"
    )
    (problem,) = _problems(path)
    assert "past its character limit" in problem.message


codes = st.sampled_from([f"E0{n}" for n in range(6)])


@given(
    lists=st.dictionaries(codes, st.lists(codes, min_size=1, max_size=4), min_size=1),
    long=st.booleans(),
    header=st.sampled_from(["area", "Area Code", "AREA_CODE"]),
    seed=st.randoms(use_true_random=False),
)
def test_any_file_layout_reads_as_the_same_lists(
    tmp_path_factory: pytest.TempPathFactory,
    lists: dict[str, list[str]],
    long: bool,
    header: str,
    seed: object,
) -> None:
    """A file in either layout, rows in any order, gives the lists written in TOML (an area
    listed among its own neighbours is left out: it is never its own neighbour)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if long:
        writer.writerow([header, "Neighbour"])
        rows = [[area, code] for area, found in lists.items() for code in found]
    else:
        width = max(len(found) for found in lists.values())
        writer.writerow([header, *(f"neighbour {n + 1}" for n in range(width))])
        rows = [[area, *found] for area, found in lists.items()]
    seed.shuffle(rows)  # type: ignore[attr-defined]
    writer.writerows(rows)
    folder = tmp_path_factory.mktemp("n")
    text = '[groups.neighbours]\nneighbours = "neighbours-2023.csv"\n'
    read = ragrules.load(_folder(folder, text, wide=out.getvalue()))
    entries = ", ".join(
        f"{area} = [{', '.join(repr(c) for c in found if c != area)}]".replace("'", '"')
        for area, found in lists.items()
    )
    written = ragrules.loads(HEAD + f"[groups.neighbours]\nneighbours = {{ {entries} }}\n")
    assert read.groups == written.groups


@pytest.mark.parametrize("name", ["a\\u0000.csv", "x" * 300 + ".csv", "loop1"])
def test_a_name_no_file_can_have_is_a_located_problem(tmp_path: Path, name: str) -> None:
    """A NUL, a name too long for the system, a symlink loop: no traceback, the key said."""
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    (problem,) = _problems(_folder(tmp_path, f'[groups.neighbours]\nneighbours = "{name}"\n'))
    assert problem.key == "groups.neighbours.neighbours"
    assert "no neighbour file" in problem.message


def test_a_file_that_is_no_csv_is_never_quoted(tmp_path: Path) -> None:
    """A neighbour file named by mistake (`.env`) is refused without its first line."""
    (tmp_path / ".env").write_text("SECRET_KEY=hunter2\n", encoding="utf-8")
    (problem,) = _problems(_folder(tmp_path, '[groups.neighbours]\nneighbours = ".env"\n'))
    assert "hunter2" not in str(problem) and "no area column (found: no columns)" in str(problem)


def test_loaded_text_names_its_neighbour_files_relative_to_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`loads(text, source=..., directory=D)` reads `n.csv` in D, as `load` of the file does."""
    path = _folder(tmp_path)
    monkeypatch.chdir(tmp_path.parent)
    text = path.read_text(encoding="utf-8")
    loaded = ragrules.loads(text, source="rules.toml", directory=tmp_path)
    assert loaded.groups == ragrules.load(path).groups
