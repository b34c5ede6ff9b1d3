"""What `import ragrules` does, checked in fresh interpreters: it is cheap, it never imports
pint, and every public name and module resolves whatever is imported first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _in_a_fresh_interpreter(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_ragrules_does_not_import_pint() -> None:
    """`import ragrules` stays cheap: pint is loaded only when a ruleset converts units."""
    code = (
        "import sys, ragrules\n"
        "assert 'pint' not in sys.modules, 'pint imported by ragrules'\n"
        'ragrules.loads(\'[ruleset]\\nformat = 1\\nid = "x"\\n[[indicator]]\\nid = "a"\\n'
        'polarity = "neutral"\\nunit = "%"\\n\')\n'
        "assert 'pint' not in sys.modules, 'pint imported without a conversion'\n"
    )
    _in_a_fresh_interpreter(code)


def test_public_names_are_imported_on_first_use() -> None:
    """`import ragrules` loads no submodule; each public name resolves when first used."""
    code = (
        "import sys, ragrules\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('ragrules.'))\n"
        "assert not loaded, loaded\n"
        "assert dir(ragrules) == sorted(ragrules.__all__)\n"
        "for name in ragrules.__all__:\n"
        "    assert getattr(ragrules, name) is not None, name\n"
        "assert ragrules.Ruleset.__module__ == 'ragrules.engine.ruleset'\n"
        "try:\n"
        "    ragrules.nothing\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('an unknown name resolved')\n"
    )
    _in_a_fresh_interpreter(code)


def test_a_fresh_interpreter_loads_and_rates_through_the_public_names() -> None:
    """The first use in a fresh process: no import order problem behind the lazy names."""
    code = (
        "import ragrules\n"
        'ruleset = ragrules.loads(\'[ruleset]\\nformat = 1\\nid = "x"\\n[[indicator]]\\n'
        'id = "a"\\ntarget = 1\\ntolerance = { absolute = 1 }\\n\')\n'
        "assert ruleset.rate([{'indicator': 'a', 'value': '1'}]).results[0].status == 'green'\n"
        "assert [r.status for r in ruleset.iter_rate([{'indicator': 'a', 'value': '0'}])] == "
        "['amber']\n"
    )
    _in_a_fresh_interpreter(code)


_SOURCE = Path(__file__).parent.parent / "src"


def _dotted(path: Path) -> str:
    """`ragrules.formats.loading._getters` for its file; a package by its `__init__`."""
    parts = path.relative_to(_SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# Every module and subpackage of ragrules (the package itself is imported by the tests above).
MODULES = sorted(
    _dotted(path)
    for path in (_SOURCE / "ragrules").rglob("*.py")
    if path.name != "__main__.py" and _dotted(path) != "ragrules"
)


@pytest.mark.parametrize("module", MODULES)
def test_every_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    """No import cycle waits for an unlucky first import (public names load lazily)."""
    _in_a_fresh_interpreter(f"import {module}")


def test_old_module_paths_forward_with_a_deprecation_warning() -> None:
    """0.1's module paths work until 1.0: every name resolves to the moved module's object."""
    import importlib

    import ragrules

    for old, new in ragrules.MOVED.items():
        sys.modules.pop(old, None)
        with pytest.warns(DeprecationWarning, match=new.replace(".", r"\.")):
            stand_in = importlib.import_module(old)
        real = importlib.import_module(new)
        public = [name for name in vars(real) if not name.startswith("_")]
        assert public, new
        for name in public:
            assert getattr(stand_in, name) is getattr(real, name), (old, name)


def test_the_model_package_answers_its_old_names_with_a_warning() -> None:
    from ragrules.model import rules

    with pytest.warns(DeprecationWarning, match=r"ragrules\.model\.rules\.Indicator"):
        from ragrules.model import Indicator
    assert Indicator is rules.Indicator
    with pytest.raises(ImportError):
        from ragrules.model import nothing_here  # noqa: F401


@pytest.mark.parametrize(
    ("public", "inside"),
    [
        ("ragrules.data", "ragrules.formats.data"),
        ("ragrules.output", "ragrules.reports.output"),
        ("ragrules.stream", "ragrules.reports.stream ragrules.reports.compiled"),
        ("ragrules.columnar", "ragrules.reports.columnar"),
        ("ragrules.testing", "ragrules.tools.testing"),
        ("ragrules.tools", "ragrules.tools"),
    ],
)
def test_public_modules_name_what_the_layers_hold(public: str, inside: str) -> None:
    """Each public module exports, under the same names, the objects its layer package holds."""
    import importlib

    facade = importlib.import_module(public)
    layers = [importlib.import_module(name) for name in inside.split()]
    assert facade.__all__, public
    for name in facade.__all__:
        held = [getattr(layer, name) for layer in layers if hasattr(layer, name)]
        assert held and getattr(facade, name) is held[0], (public, name)
