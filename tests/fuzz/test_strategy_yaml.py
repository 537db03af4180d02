"""Fuzzing of the YAML data-file loaders: strategy files (sangyo.strategy.schema) and
programme files (sangyo.applications.config), which share `_load_with_lines`.

Property: a StrategyDoc / ParsedPrograms, or StrategyFileError / ProgramsFileError whose every
problem names a field and says what is wrong; never another exception, never unbounded work.
Aliases ("billion laughs"), self-referencing anchors, deep nesting, non-scalar keys and
impossible typed scalars are all refused with a message."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from sangyo.applications.config import ProgramsFileError, parse_programs_text
from sangyo.strategy.schema import (
    MAX_VALUES,
    StrategyDoc,
    StrategyFileError,
    parse_strategy_text,
)

from .common import assert_clear, fuzz, nasty_text

ROOT = Path(__file__).resolve().parents[2]
STRATEGY_TEXT = (ROOT / "strategies" / "tsukuba-2025.yaml").read_text(encoding="utf-8")
STRATEGY_DATA = yaml.safe_load(STRATEGY_TEXT)
PROGRAMS_TEXT = (ROOT / "sangyo" / "applications" / "data" / "programs-tsukuba.yaml").read_text(
    encoding="utf-8"
)
PROGRAMS_DATA = yaml.safe_load(PROGRAMS_TEXT)


def laughs(levels: int, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "schema_version: 1\n" + "\n".join(lines) + "\n"


def check_strategy(text: str) -> None:
    started = time.monotonic()
    try:
        doc = parse_strategy_text(text, file="fuzz.yaml")
    except StrategyFileError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.field
            assert_clear(problem.message)
            assert problem.line is None or problem.line >= 1
    else:
        assert isinstance(doc, StrategyDoc)
    assert time.monotonic() - started < 10, "unbounded work"


def check_programs(text: str) -> None:
    try:
        parse_programs_text(text, file="fuzz.yaml")
    except ProgramsFileError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert_clear(problem.message)


yaml_scalar = st.one_of(
    st.sampled_from(
        [
            "~",
            "null",
            "yes",
            "no",
            "0o17",
            "011002",
            "0x1F",
            ".nan",
            "-.inf",
            "1e999",
            "2025-02-30",
            "2025-13-01",
            "'01'",
            '"\\x00"',
            "!!int abc",
            "!!bool maybe",
            "!!timestamp 2020-99-99",
            "!!binary '@@'",
            "!!python/object:os.system ls",
            "!!set {a, b}",
            "&x a",
            "*x",
            "*undefined",
            "<<: *x",
            "{a: 1, a: 2}",
            "[",
            "}",
            "|\n  text",
            "? [a]\n  : b",
            "? {a: 1}\n  : b",
            "\t",
            "%YAML 1.1",
            "---",
            "...",
        ]
    ),
    nasty_text.map(lambda s: s.replace("\n", " ")),
)


@fuzz(100)
@given(st.one_of(nasty_text, st.text(max_size=300), yaml_scalar))
@example("")
@example("- a\n- b\n")
@example("a: &x [*x]\n")
@example("? [a]\n: b\n")
@example("schema_version: 1\n~: b\n")
@example("adopted: 2025-02-30\n")
@example("[" * 5000 + "]" * 5000)
@example("[" * 80 + "]" * 80)
@example(laughs(9))
@example("a: !!int abc\n")
@example("!!bool maybe: 1\n")
@example("\ufeffschema_version: 1\n")
def test_arbitrary_text(text):
    check_strategy(text)
    check_programs(text)


@fuzz(4)
@given(st.integers(3, 12), st.integers(2, 12))
def test_alias_expansion_is_bounded(levels, width):
    text = laughs(levels, width)
    try:
        parse_strategy_text(text)
    except StrategyFileError as exc:
        if width**levels > MAX_VALUES:
            assert "値が多すぎます" in str(exc) or "多すぎ" in str(exc)


@st.composite
def mutated_lines(draw, source: str):
    """The real file with a few lines deleted, duplicated, re-indented or replaced."""
    lines = source.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(
            st.sampled_from(["delete", "duplicate", "indent", "dedent", "value", "insert"])
        )
        line = lines[i]
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, line)
        elif action == "indent":
            lines[i] = "  " + line
        elif action == "dedent":
            lines[i] = line.lstrip()
        elif action == "value" and ":" in line:
            key = line.split(":", 1)[0]
            lines[i] = f"{key}: {draw(yaml_scalar)}"
        else:
            lines.insert(i, draw(yaml_scalar))
    return "\n".join(lines) + "\n"


junk = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.dates(),
        nasty_text,
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(nasty_text, children, max_size=3)
    ),
    max_leaves=8,
)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*path, i))


STRATEGY_PATHS = list(_paths(STRATEGY_DATA))[1:]
PROGRAMS_PATHS = list(_paths(PROGRAMS_DATA))[1:]


@st.composite
def replaced_value(draw, data, paths):
    """The real document with the value at one path replaced by arbitrary data (wrong types,
    empty lists, unknown keys), dumped back to YAML."""
    doc = copy.deepcopy(data)
    path = draw(st.sampled_from(paths))
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    action = draw(st.sampled_from(["replace", "delete", "extra"]))
    if action == "delete":
        del parent[path[-1]]
    elif action == "extra" and isinstance(parent, dict):
        parent[draw(nasty_text)] = draw(junk)
    else:
        parent[path[-1]] = draw(junk)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


@fuzz(35)
@given(st.one_of(mutated_lines(STRATEGY_TEXT), replaced_value(STRATEGY_DATA, STRATEGY_PATHS)))
def test_mutated_strategy_file(text):
    check_strategy(text)


@fuzz(35)
@given(st.one_of(mutated_lines(PROGRAMS_TEXT), replaced_value(PROGRAMS_DATA, PROGRAMS_PATHS)))
def test_mutated_programs_file(text):
    check_programs(text)


def test_real_files_still_load():
    assert isinstance(parse_strategy_text(STRATEGY_TEXT), StrategyDoc)
    parse_programs_text(PROGRAMS_TEXT)
