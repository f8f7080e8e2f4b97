"""Every mirror page and seed document against its reviewed expected record,
one test per field, so a broken date does not hide a broken title."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from pressbot.items import INTERNAL_FIELDS, RECORD_FIELDS
from tests.golden import Case, cases

CASES = list(cases())
FIELDS = [f for f in RECORD_FIELDS if f not in INTERNAL_FIELDS]


@cache
def _actual(case: Case) -> dict[str, Any]:
    return case.extract()


def _expected(case: Case) -> dict[str, Any]:
    assert case.expected.exists(), f"no golden record for {case.name}: make golden"
    data: dict[str, Any] = json.loads(case.expected.read_text("utf-8"))
    return data


def test_every_mirror_article_has_a_case() -> None:
    assert len([c for c in CASES if not c.is_text]) >= 32
    assert len([c for c in CASES if c.is_text]) == 3


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_field(case: Case, field: str) -> None:
    expected = _expected(case)
    assert field in expected, f"{case.name}: expected record lacks {field}: make golden"
    assert _actual(case)[field] == expected[field]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_has_no_unknown_fields(case: Case) -> None:
    assert set(_expected(case)) == set(_actual(case))
