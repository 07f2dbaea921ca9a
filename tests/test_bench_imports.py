"""The benchmark scripts use the portal's public functions only: a private one (`_tokens`) can
be renamed or change its meaning without its callers in portal/ noticing bench/ (QA)."""

import ast
import pathlib

BENCH = pathlib.Path(__file__).resolve().parent.parent / "bench"


def private_imports(path: pathlib.Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("portal"):
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_bench_scripts_import_no_private_name_of_the_portal():
    scripts = sorted(BENCH.glob("*.py"))
    assert any(p.name == "seed_large.py" for p in scripts)
    assert {p.name: private_imports(p) for p in scripts if private_imports(p)} == {}


def test_the_public_tokens_are_those_of_the_index(world):
    from portal.services import search

    case = world["case"]
    assert search.case_tokens(case.number, case.person) == search.tokens_for(case)
