"""Fixtures of the query tests: the people modules' two sources (the seed, and an edited copy)."""
from __future__ import annotations

import pytest

from tests.dashboard.queries._people import SOURCES, source_for


@pytest.fixture(params=SOURCES)
def source(request):
    """(settings, engine): the small seed as it is, then with the edge cases of _people.EDITS."""
    return source_for(request, request.param)
