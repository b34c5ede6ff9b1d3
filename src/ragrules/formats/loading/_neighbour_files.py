"""Statistical neighbours read from a CSV file a ruleset names, as councils receive them
(the DfE's children's services neighbours, CIPFA's nearest neighbours): revised lists are
replaced as files, not copied into TOML by hand.

A file is read at load time, like a base: relative to the ruleset file that names it, only
inside the load's roots, and counted against the load's limits on files and characters. Its
lists become the set's `of` before the ruleset is built, so the built ruleset (and its
canonical form and fingerprint) holds the neighbours themselves, not a file name.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from ragrules.formats._reading import TooLarge, read_text_capped
from ragrules.formats.loading._extends import MAX_FILES, Reads
from ragrules.formats.loading._origins import Origins
from ragrules.formats.loading._roots import Finder, Refused, real_path
from ragrules.model._text import column_key
from ragrules.model.errors import Problem, RulesetError

# The headers read by default: the area's code, and every column whose header starts with
# `neighbour` (`Neighbour 1`, `Neighbour code`, ...), compared case-, space- and underscore-blind.
AREA_HEADERS = ("area", "area_code")
NEIGHBOUR_PREFIX = "neighbour"
FILE_KEYS = ("from", "file", "area-column", "neighbour-columns")
_HINT = (
    'e.g. neighbours = [{ from = "2022", file = "neighbours-2022.csv" }], the file headed '
    "area,neighbour 1,neighbour 2,..."
)


def read_neighbour_files(
    document: dict[str, Any], origins: Origins, finder: Finder, here: Path, reads: Reads
) -> dict[str, Any]:
    """The document with every neighbour set that names a `file` given that file's lists as
    its `of`; raises RulesetError naming the file and row (or the TOML key) of each problem."""
    groups = document.get("groups")
    if not isinstance(groups, dict):
        return document
    problems: list[Problem] = []
    replaced = dict(groups)
    for name, body in groups.items():
        raw = body.get("neighbours") if isinstance(body, dict) else None
        path = f"groups.{name}.neighbours"
        if isinstance(raw, str):  # one file, always in force: its key is the file's
            entries = [({"file": raw}, path, path)]
        elif isinstance(raw, list):
            entries = [(e, f"{path}[{i}]", f"{path}[{i}].file") for i, e in enumerate(raw)]
        else:
            continue
        sets = []
        for entry, where, file_key in entries:
            if isinstance(entry, dict) and "file" in entry:
                entry = _from_file(entry, where, file_key, (origins, finder, here, reads), problems)
            sets.append(entry)
        replaced[name] = {**body, "neighbours": sets}
    if problems:
        raise RulesetError(problems=tuple(problems))
    return {**document, "groups": replaced}


def _from_file(
    entry: dict[str, Any],
    where: str,
    file_key: str,
    load: tuple[Origins, Finder, Path, Reads],
    problems: list[Problem],
) -> dict[str, Any]:
    """`{ from, of }` for an entry naming a file; the entry itself after a problem."""
    origins, finder, here, reads = load

    def problem(key: str, message: str, hint: str | None = _HINT) -> dict[str, Any]:
        file, line, column = origins.locate(key)
        problems.append(
            Problem(file=file, line=line, column=column, key=key, message=message, hint=hint)
        )
        return entry

    unknown = [key for key in entry if key not in FILE_KEYS]
    if unknown:
        return problem(
            f"{where}.{unknown[0]}",
            f"unknown key {unknown[0]!r} in a set read from a file",
            f"a set read from a file takes {', '.join(FILE_KEYS)}",
        )
    reference = entry["file"]
    if not isinstance(reference, str) or not reference.strip():
        return problem(file_key, "expected the path of a CSV file")
    area_column = entry.get("area-column")
    prefix = entry.get("neighbour-columns", NEIGHBOUR_PREFIX)
    for key, value in (("area-column", area_column), ("neighbour-columns", prefix)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            return problem(f"{where}.{key}", "expected a column header", _HINT)
    source, _ = origins.resolve(file_key)
    # Relative to the file that names it: a base's folder, or the load's own (`here`, the
    # folder given to `loads`) for the text being loaded.
    own = source is origins.map[""][0]
    directory = here if own or source.name is None else Path(source.name).parent
    try:
        csv_path = _find(reference, directory, finder)
    except Refused as exc:
        return problem(file_key, exc.message, exc.hint)
    reads.files += 1
    if reads.files > MAX_FILES:
        return problem(file_key, f"the load reads more than {MAX_FILES} files")
    shown = str(csv_path)
    try:
        text = read_text_capped(csv_path, max(reads.characters, 0))
    except TooLarge:
        return problem(file_key, f"{shown} takes the load past its character limit")
    except OSError as exc:
        return problem(file_key, f"cannot read {shown}: {exc.strerror or exc}")
    except UnicodeDecodeError as exc:
        problems.append(Problem(file=shown, message=f"not UTF-8 text: {exc.reason}"))
        return entry
    reads.characters -= len(text)
    found = _lists(text, shown, area_column, column_key(prefix), problems)
    if found is None:
        return entry
    return {**({"from": entry["from"]} if "from" in entry else {}), "of": found}


def _find(reference: str, directory: Path, finder: Finder) -> Path:
    """The real path of a neighbour file, which must lie inside the load's roots."""
    if "://" in reference:
        raise Refused("a neighbour file is named by a path, never a URL")
    path = real_path(directory / reference)  # None for a name no file can have
    if path is None or not finder.permits(path) or not os.path.isfile(path):
        folders = ", ".join(str(root) for root in finder.allowed) or "none"
        raise Refused(
            f"no neighbour file {reference!r} among the allowed folders",
            f"a file outside the folders this load may read is never opened; they are: "
            f"{folders}; allow another with --allow DIR or allowed=[...]",
        )
    return path


def _lists(
    text: str, shown: str, area_column: str | None, prefix: str, problems: list[Problem]
) -> dict[str, list[str]] | None:
    """Each area's neighbours from the CSV text: a row per area (wide) or per pair (long)."""
    reader = csv.reader(text.splitlines(), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.append(Problem(file=shown, row=1, message=f"not CSV: {exc}"))
        return None
    keys = [column_key(name) for name in header or []]
    wanted = (column_key(area_column),) if area_column else AREA_HEADERS
    area_index = next((i for i, key in enumerate(keys) if key in wanted), None)
    columns = [i for i, key in enumerate(keys) if key.startswith(prefix) and i != area_index]
    if area_index is None or not columns:
        missing = "area" if area_index is None else "neighbour"
        # The headers are named only when there are columns: a first line of one cell may be
        # any file's (`SECRET_KEY=...`), which is never quoted.
        found_headers = ", ".join(header) if header and len(header) > 1 else "no columns"
        problems.append(
            Problem(
                file=shown,
                row=1,
                message=f"no {missing} column (found: {found_headers})",
                hint="head the area's code 'area' and its neighbours 'neighbour 1', "
                "'neighbour 2', ... (or name the headers with area-column and "
                "neighbour-columns)",
            )
        )
        return None
    found: dict[str, list[str]] = {}
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            area = cells[area_index].strip() if area_index < len(cells) else ""
            if not area:
                problems.append(
                    Problem(file=shown, row=reader.line_num, message="no area code in this row")
                )
                continue
            codes = [cells[i].strip() for i in columns if i < len(cells) and cells[i].strip()]
            found.setdefault(area, []).extend(code for code in codes if code != area)
    except csv.Error as exc:
        problems.append(Problem(file=shown, row=reader.line_num, message=f"not CSV: {exc}"))
        return None
    if not found:
        problems.append(Problem(file=shown, message="the file lists no areas", hint=_HINT))
        return None
    return {area: sorted(set(codes)) for area, codes in found.items()}
