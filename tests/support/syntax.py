"""Python sources parsed in a child interpreter, for the tests that read the code's own text.

CPython 3.11 keeps one AST-construction depth counter per interpreter; once a conversion leaves
it off balance (python/cpython#106905, or two threads building trees at once), every later
`ast.parse` in that process fails with "SystemError: AST constructor recursion depth mismatch".
A long test worker (Qt, asyncio, executor threads) met it once in CI and failed an unrelated
import check. The child parses and pickles the tree; unpickling builds the nodes in Python, not
through that counter."""

from __future__ import annotations

import ast
import pickle
import subprocess
import sys
from collections.abc import Iterable
from functools import cache

_CHILD = (
    "import ast, pickle, sys\n"
    "sources = pickle.load(sys.stdin.buffer)\n"
    "pickle.dump([ast.parse(s) for s in sources], sys.stdout.buffer)\n"
)


def parse_many(sources: Iterable[str]) -> list[ast.Module]:
    """The trees of `sources`, in order, parsed in one child process."""
    data = pickle.dumps(list(sources))
    proc = subprocess.run([sys.executable, "-c", _CHILD], input=data, capture_output=True, check=False, timeout=120)
    if proc.returncode != 0:
        raise AssertionError("parsing in a child interpreter failed:\n" + proc.stderr.decode(errors="replace"))
    trees: list[ast.Module] = pickle.loads(proc.stdout)
    return trees


@cache
def parse(source: str) -> ast.Module:
    """One source's tree (a child process per new source; see `parse_many` to batch)."""
    return parse_many([source])[0]
