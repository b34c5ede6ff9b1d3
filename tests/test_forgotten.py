"""The keys a stream's history dropped, remembered by digest: bounded, oldest forgotten first,
and the same answers in every process (the digest is not Python's salted `hash`)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import OrderedDict

from hypothesis import given
from hypothesis import strategies as st

from ragrules.engine._forgotten import Forgotten
from ragrules.model.periods import parse_period

KEYS = st.tuples(
    st.tuples(st.sampled_from(["a", "b", "é"]), st.text(max_size=3), st.just(("65+",))),
    st.sampled_from([None, parse_period("2020/21 Q2"), parse_period("2020 Q3")]),
)


@given(st.lists(KEYS, max_size=60), st.integers(1, 8), KEYS)
def test_forgotten_answers_as_a_bounded_first_in_first_out_record_of_keys(
    added: list[object], size: int, asked: object
) -> None:
    """The exact record it stands for: the last `size` distinct keys dropped, a key dropped
    again keeping its first place."""
    forgotten, exact = Forgotten(size), OrderedDict[object, None]()
    for key in added:
        forgotten.add(key)
        if key not in exact:
            exact[key] = None
            if len(exact) > size:
                exact.popitem(last=False)
    assert len(forgotten) == len(exact) <= size
    assert all(key in forgotten for key in exact)
    assert (asked in forgotten) == (asked in exact)


def test_two_processes_with_different_hash_seeds_remember_alike() -> None:
    code = (
        "from ragrules.engine._forgotten import Forgotten\n"
        "from ragrules.model.periods import parse_period\n"
        "f = Forgotten(4)\n"
        "f.add((('i', 'E1', ('65+',)), parse_period('2020/21 Q2')))\n"
        "print(sorted(d.hex() for d in f.digests))\n"
    )
    printed = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(printed) == 1
