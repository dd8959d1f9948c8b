"""Progress = done / (all − not applicable), overall and per key."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from papi_desktop.domain.periods import TASK_RESULTS, TASK_STATUSES
from papi_desktop.domain.progress import Progress, progress, progress_by


def test_progress_counts():
    p = progress(
        [("done", "met"), ("done", "partial"), ("doing", None), ("done", "na"), ("todo", "na"),
         ("review", "not_met"), ("done", None)]
    )  # fmt: skip
    # total 7, na 2 → applicable 5; done and not na: 3
    assert (p.done, p.applicable, p.total) == (3, 5, 7)
    assert p.ratio == 0.6
    assert p.percent_text == "60%"


def test_progress_empty_and_all_na():
    p = progress([])
    assert (p.done, p.applicable, p.total) == (0, 0, 0)
    assert p.ratio is None and p.percent_text == "—"
    p = progress([("done", "na"), ("todo", "na")])
    assert (p.done, p.applicable, p.total) == (0, 0, 2)
    assert p.percent_text == "—"


def test_percent_text_rounding():
    assert Progress(3, 4, 4).percent_text == "75%"
    assert Progress(1, 3, 3).percent_text == "33%"
    assert Progress(2, 3, 3).percent_text == "67%"
    assert Progress(0, 5, 5).percent_text == "0%"
    assert Progress(5, 5, 6).percent_text == "100%"
    # 199/200 is 99.5% → not shown as 100% while one task is still open
    assert Progress(199, 200, 200).percent_text == "99%"


def test_progress_by_key():
    rows = [
        ("D1", "done", "met"),
        ("D1", "todo", None),
        ("D2", "done", "na"),
        (("Ninh Hòa", "2026Q1"), "done", "met"),
    ]
    by = progress_by(rows)
    assert by["D1"] == Progress(1, 2, 2)
    assert by["D2"] == Progress(0, 0, 1)
    assert by[("Ninh Hòa", "2026Q1")] == Progress(1, 1, 1)
    assert list(by) == ["D1", "D2", ("Ninh Hòa", "2026Q1")]


items = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(TASK_STATUSES),
        st.one_of(st.none(), st.sampled_from(TASK_RESULTS)),
    ),
    max_size=40,
)


@given(items)
def test_progress_by_sums_to_overall(rows):
    overall = progress((s, r) for _, s, r in rows)
    parts = progress_by(rows).values()
    assert overall.total == len(rows) == sum(p.total for p in parts)
    assert overall.done == sum(p.done for p in parts)
    assert overall.applicable == sum(p.applicable for p in parts)
    assert 0 <= overall.done <= overall.applicable <= overall.total
    if overall.ratio is not None:
        assert 0.0 <= overall.ratio <= 1.0
