"""The usage API against a ledger of thousands of rows, on SQLite and on PostgreSQL: every filter
and grouping equals a plain Python sum over the same rows, paging covers each bucket once."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from imagegate.accounts.keys import KeyStore
from imagegate.accounts.ledger import Ledger
from imagegate.accounts.usage import SOURCES, UsageFilters, images_usage, usage_rows
from imagegate.db.migrate import upgrade
from imagegate.db.session import make_engine, session_factory
from imagegate.db.tables import LedgerEntry
from imagegate.errors import InvalidRequestError

T0 = 20660 * 86400  # 2026-07-25T00:00:00Z, a day boundary
MODELS = ("gpt-image-2", "gpt-image-1-mini", "dall-e-2")
SIZES = ("1024x1024", "256x256", "1536x1024")
OPS = ("generation", "edit", "variation")
TOTALS = ("images", "num_model_requests", "input_tokens", "input_cached_tokens", "output_tokens", "cost_micro_usd")
START, END = T0 + 3 * 3600 + 17, T0 + 8 * 86400 + 300  # unaligned on purpose


def make_rows(key_pks: list[int], count: int = 3000) -> list[dict]:
    rng = random.Random(7)
    rows = []
    for i in range(count):
        if i % 50 == 0:  # on a boundary: the second a day or an hour starts, or the edges of the range
            second = rng.choice([T0 + rng.randrange(10) * 86400, T0 + rng.randrange(200) * 3600, START, END, END - 1, START - 1])
            micro = 0
        else:
            second, micro = T0 - 86400 + rng.randrange(10 * 86400), rng.randrange(1_000_000)
        rows.append({
            "request_id": f"req_{i}", "key_id": rng.choice([*key_pks, None]), "model": rng.choice(MODELS),
            "operation": rng.choice(OPS), "size": rng.choice(SIZES), "quality": rng.choice(("low", "high")),
            "n": rng.randrange(1, 5), "text_tokens": rng.randrange(100), "image_tokens": rng.randrange(50),
            "cached_image_tokens": rng.randrange(20), "output_tokens": rng.randrange(5000),
            "cost_micro_usd": rng.randrange(10**6),
            "created_at": datetime.fromtimestamp(second, UTC) + timedelta(microseconds=micro),
        })
    return rows


@pytest.fixture
def ledger_rows(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    sessions = session_factory(engine)
    keys = KeyStore(sessions)
    pks = [keys.create(name)[0].id for name in ("a", "b", "c")]
    rows = make_rows(pks)
    with sessions.begin() as s:
        s.execute(insert(LedgerEntry), rows)
    yield Ledger(sessions), rows, pks
    engine.dispose()


def all_pages(ledger: Ledger, **kw) -> list[dict]:
    """Every bucket, following `next_page`; checks each page's shape on the way."""
    buckets, page, pages = [], None, 0
    while True:
        got = images_usage(ledger, page=page, **kw)
        assert got["object"] == "page" and got["has_more"] == (got["next_page"] is not None)
        buckets += got["data"]
        pages += 1
        assert pages < 100
        if not got["has_more"]:
            return buckets
        page = got["next_page"]


def python_totals(rows, *, width, group_by, key_pk=None, start=START, end=END, **filters) -> dict[tuple, dict]:
    """The straightforward computation: (bucket start, *group values) -> totals."""
    out: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(TOTALS, 0))
    for r in rows:
        second = int(r["created_at"].timestamp())
        source = SOURCES[r["operation"]]
        if not start <= second < end or (key_pk is not None and r["key_id"] != key_pk):
            continue
        if filters.get("models") and r["model"] not in filters["models"] or filters.get("sizes") and r["size"] not in filters["sizes"]:
            continue
        if filters.get("sources") and source not in filters["sources"]:
            continue
        if filters.get("api_key_ids") and str(r["key_id"]) not in filters["api_key_ids"]:
            continue
        if filters.get("project_ids") or filters.get("user_ids"):
            continue
        values = {"model": r["model"], "size": r["size"], "source": source, "api_key_id": r["key_id"],
                  "project_id": None, "user_id": None, "quality": r["quality"]}
        t = out[(second // width * width, *(values[g] for g in group_by))]
        t["images"] += r["n"]
        t["num_model_requests"] += 1
        t["input_tokens"] += r["text_tokens"] + r["image_tokens"] + r["cached_image_tokens"]
        t["input_cached_tokens"] += r["cached_image_tokens"]
        t["output_tokens"] += r["output_tokens"]
        t["cost_micro_usd"] += r["cost_micro_usd"]
    return dict(out)


def api_totals(buckets, group_by) -> dict[tuple, dict]:
    out = {}
    for b in buckets:
        for r in b["results"]:
            assert r["object"] == "organization.usage.images.result"
            assert all(r[f] is None for f in ("model", "size", "source", "api_key_id", "project_id", "user_id") if f not in group_by)
            k = (b["start_time"], *(r[g] for g in group_by))
            assert k not in out
            out[k] = {t: r[t] for t in TOTALS}
            assert r["cost_usd"] == r["cost_micro_usd"] / 1e6
    return out


GROUPINGS = [[], ["model"], ["size"], ["source"], ["api_key_id"], ["project_id"], ["user_id"], ["quality"],
             ["model", "source", "api_key_id"], ["size", "user_id", "project_id"]]


def filter_cases(pks):
    return [{}, {"models": ("gpt-image-2",)}, {"sizes": ("256x256", "1536x1024")}, {"sources": ("image.edit",)},
            {"sources": ("image.generation", "image.variation")}, {"api_key_ids": (str(pks[1]),)},
            {"api_key_ids": (str(pks[0]), "nope", "99999999999999999999")}, {"project_ids": ("proj_x",)}, {"user_ids": ("user_x",)},
            {"models": ("dall-e-2", "gpt-image-1-mini"), "sizes": ("1024x1024",), "sources": ("image.generation",), "api_key_ids": (str(pks[2]),)}]


def test_every_filter_and_grouping_matches_python(ledger_rows):
    ledger, rows, pks = ledger_rows
    assert sum(START <= int(r["created_at"].timestamp()) < END for r in rows) > 2000
    for group_by in GROUPINGS:
        for filters in filter_cases(pks):
            buckets = all_pages(ledger, start_time=START, end_time=END, bucket_width="1d", group_by=group_by, filters=UsageFilters(**filters))
            assert api_totals(buckets, group_by) == python_totals(rows, width=86400, group_by=group_by, **filters), (group_by, filters)


def test_hour_buckets_and_own_key(ledger_rows):
    ledger, rows, pks = ledger_rows
    for key_pk in (None, pks[0]):
        buckets = all_pages(ledger, start_time=START, end_time=END, bucket_width="1h", group_by=["model", "source"], key_pk=key_pk)
        assert api_totals(buckets, ["model", "source"]) == python_totals(rows, width=3600, group_by=["model", "source"], key_pk=key_pk)


@pytest.mark.parametrize("width,seconds,default,limit", [("1d", 86400, 7, 3), ("1h", 3600, 24, 168), ("1m", 60, 60, 1440)])
def test_paging_covers_every_bucket_once(ledger_rows, width, seconds, default, limit):
    ledger, rows, _ = ledger_rows
    end = START + 2 * 86400 if width == "1m" else END
    first = images_usage(ledger, start_time=START, end_time=end, bucket_width=width)
    assert len(first["data"]) == default and first["has_more"]
    buckets = all_pages(ledger, start_time=START, end_time=end, bucket_width=width, limit=limit)
    starts = [b["start_time"] for b in buckets]
    assert starts == list(range(START - START % seconds, end, seconds))  # each bucket once, in order, empty ones too
    assert all(b["end_time"] - b["start_time"] == seconds and b["object"] == "bucket" for b in buckets)
    got = {k[0]: v for k, v in api_totals(buckets, []).items()}
    want = {k[0]: v for k, v in python_totals(rows, width=seconds, group_by=[], end=end).items()}
    assert got == want


def test_cli_rows_match_python(ledger_rows):
    ledger, rows, pks = ledger_rows
    since = datetime.fromtimestamp(START, UTC)
    by_model = {r["model"]: r["cost_micro_usd"] for r in usage_rows(ledger, since=since, key_pk=None, group_by="model")}
    want: dict = defaultdict(int)
    for r in rows:
        if int(r["created_at"].timestamp()) >= START:
            want[r["model"]] += r["cost_micro_usd"]
    assert by_model == want
    by_day = {r["day"]: r["num_model_requests"] for r in usage_rows(ledger, since=None, key_pk=pks[1], group_by="day")}
    days: dict = defaultdict(int)
    for r in rows:
        if r["key_id"] == pks[1]:
            days[r["created_at"].date().isoformat()] += 1
    assert by_day == days
    by_key = {r["key"]: r["images"] for r in usage_rows(ledger, since=None, key_pk=None, group_by="key")}
    assert sum(by_key.values()) == sum(r["n"] for r in rows) and set(by_key) == {*pks, None}


def test_default_start_is_the_page_ending_now(ledger_rows):
    ledger, _, _ = ledger_rows
    now = T0 + 5 * 86400 + 123
    page = images_usage(ledger, now=now)
    assert [b["start_time"] for b in page["data"]] == [T0 + d * 86400 for d in range(-1, 6)] and not page["has_more"]
    hours = images_usage(ledger, bucket_width="1h", limit=2, now=now)
    assert [b["start_time"] for b in hours["data"]] == [T0 + 5 * 86400 - 3600, T0 + 5 * 86400]


def bad_cursors(good: str) -> list[str]:
    return ["page_", "page_!!!!", "nope", good + "x", good[:-2], "page_" + "A" * 2000, "page_MWQ6MTIz",  # 1d:123 unaligned
            "page_MWg6ODY0MDA", "page_MWQ6MA", "page_MWQ6OTk5OTk5OTk5OTk5", "page_\x00", "page_w6k"]


def test_bad_input_is_400(ledger_rows):
    ledger, _, _ = ledger_rows
    good = images_usage(ledger, start_time=START, end_time=END, limit=2)["next_page"]
    for cursor in bad_cursors(good):
        with pytest.raises(InvalidRequestError) as err:
            images_usage(ledger, start_time=START, end_time=END, limit=2, page=cursor)
        assert err.value.param == "page" and err.value.code == "invalid_value", cursor
    with pytest.raises(InvalidRequestError):  # a cursor of another width
        images_usage(ledger, start_time=START, end_time=END, bucket_width="1h", page=good)
    cases = [({"bucket_width": "1w"}, "bucket_width"), ({"limit": 32}, "limit"), ({"limit": 0}, "limit"),
             ({"bucket_width": "1h", "limit": 169}, "limit"), ({"bucket_width": "1m", "limit": 1441}, "limit"),
             ({"group_by": ["planet"]}, "group_by"), ({"filters": UsageFilters(sources=("image.dream",))}, "sources"),
             ({"filters": UsageFilters(models=("a\x00b",))}, "models"), ({"filters": UsageFilters(sizes=("x",) * 1001)}, "sizes"),
             ({"end_time": START}, "end_time")]
    for kw, param in cases:
        with pytest.raises(InvalidRequestError) as err:
            images_usage(ledger, **{"start_time": START, "end_time": END, **kw})
        assert err.value.param == param and err.value.code == "invalid_value", kw


def test_extreme_times(ledger_rows):
    ledger, rows, _ = ledger_rows
    top = 253402300799
    last = images_usage(ledger, start_time=top - 10, end_time=top, bucket_width="1m")
    assert [b["start_time"] for b in last["data"]] == [top - top % 60] and last["data"][0]["results"] == []
    whole = images_usage(ledger, start_time=0, end_time=top, bucket_width="1d", limit=1)
    assert whole["has_more"] and whole["data"][0]["start_time"] == 0
