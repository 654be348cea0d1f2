"""Usage and cost reports from the ledger, aggregated in SQL: OpenAI's usage API, and CLI rows.

Rows never come into Python one by one: each report is one `GROUP BY` over time buckets that the
database computes from `created_at` (SQLite and PostgreSQL each have their expression).
"""

from __future__ import annotations

import base64
import binascii
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Integer, and_, cast, extract, false, func, literal_column, select
from sqlalchemy.sql.elements import ColumnElement

from imagegate.accounts.ledger import Ledger
from imagegate.db.tables import LedgerEntry
from imagegate.errors import InvalidRequestError, invalid_value

BUCKET_WIDTHS = {"1m": 60, "1h": 3600, "1d": 86400}
PAGE_LIMITS = {"1m": (60, 1440), "1h": (24, 168), "1d": (7, 31)}  # (default, max) buckets a page, as OpenAI
SOURCES = {"generation": "image.generation", "edit": "image.edit", "variation": "image.variation"}
RESULT_FIELDS = ("model", "size", "source", "api_key_id", "project_id", "user_id")  # always in a result
GROUP_BY = (*RESULT_FIELDS, "quality")  # `quality` is our extension
_COLUMNS = {"model": LedgerEntry.model, "size": LedgerEntry.size, "source": LedgerEntry.operation,
            "api_key_id": LedgerEntry.key_id, "quality": LedgerEntry.quality}
MAX_TIME = 253402300799  # 9999-12-31T23:59:59Z
MAX_VALUES = 1000  # values a list filter may hold
_KEY_PK_MAX = 2**31 - 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = re.compile(r"(1m|1h|1d):([0-9]{1,12})")


@dataclass(frozen=True)
class UsageFilters:
    """The list filters of the usage API (empty: no filter)."""

    models: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    api_key_ids: tuple[str, ...] = ()
    project_ids: tuple[str, ...] = ()
    user_ids: tuple[str, ...] = ()

    def validate(self) -> None:
        """400 for a source OpenAI doesn't have, too many values, or a control character."""
        for name in ("models", "sizes", "sources", "api_key_ids", "project_ids", "user_ids"):
            values = getattr(self, name)
            if len(values) > MAX_VALUES:
                raise InvalidRequestError(f"At most {MAX_VALUES} values of {name}.", param=name, code="invalid_value")
            for v in values:
                if any(ord(c) < 32 or ord(c) == 127 for c in v):
                    raise invalid_value(name, v)
        for s in self.sources:
            if s not in SOURCES.values():
                raise invalid_value("sources", s, list(SOURCES.values()))

    def conditions(self) -> list[ColumnElement[bool]]:
        """WHERE conditions. Every row has no project and no user, so those filters match none."""
        conds: list[ColumnElement[bool]] = []
        if self.project_ids or self.user_ids:
            conds.append(false())
        if self.models:
            conds.append(LedgerEntry.model.in_(self.models))
        if self.sizes:
            conds.append(LedgerEntry.size.in_(self.sizes))
        if self.sources:
            conds.append(LedgerEntry.operation.in_([op for op, s in SOURCES.items() if s in self.sources]))
        if self.api_key_ids:
            pks = {int(v) for v in self.api_key_ids if v.isascii() and v.isdigit() and int(v) <= _KEY_PK_MAX}
            conds.append(LedgerEntry.key_id.in_(sorted(pks)) if pks else false())
        return conds


@dataclass(frozen=True)
class _Window:
    """One page: bucket starts `first`, `first + width`, … below `stop`, rows in [start, end)."""

    width: int
    first: int
    stop: int
    start: int
    end: int
    has_more: bool
    next_start: int


def _epoch_seconds(dialect: str) -> ColumnElement[int]:
    """`created_at` as whole unix seconds, computed by the database."""
    if dialect == "postgresql":
        return cast(func.floor(extract("epoch", LedgerEntry.created_at)), BigInteger)
    return cast(func.strftime("%s", LedgerEntry.created_at), Integer)


def _moment(seconds: int) -> datetime:
    return _EPOCH + timedelta(seconds=seconds)


def _time_conditions(epoch: ColumnElement[int], start: int | None, end: int | None) -> list[ColumnElement[bool]]:
    """[start, end) in whole seconds; the padded `created_at` range lets the index narrow the scan
    (SQLite compares stored text, so an exact datetime bound can miss a row on the boundary)."""
    conds: list[ColumnElement[bool]] = []
    if start is not None:
        conds += [LedgerEntry.created_at >= _moment(start - 1), epoch >= start]
    if end is not None:
        conds.append(epoch < end)
        if end + 1 <= MAX_TIME:
            conds.append(LedgerEntry.created_at < _moment(end + 1))
    return conds


def _aggregate(ledger: Ledger, *, width: int | None, groups: list[str], where: list, start: int | None, end: int | None) -> list[dict[str, Any]]:
    """One GROUP BY over (bucket, *groups): each row's bucket start (or None) and totals."""
    with ledger.sessions() as s:
        epoch = _epoch_seconds(s.get_bind().dialect.name)
        keys: list[ColumnElement[Any]] = []
        if width is not None:
            keys.append((epoch // literal_column(str(int(width)), BigInteger)).label("bucket"))
        keys += [_COLUMNS[g].label(g) for g in groups]
        stmt = select(
            *keys,
            func.coalesce(func.sum(LedgerEntry.n), 0).label("images"),
            func.count().label("num_model_requests"),
            func.coalesce(func.sum(LedgerEntry.text_tokens + LedgerEntry.image_tokens + LedgerEntry.cached_image_tokens), 0).label("input_tokens"),
            func.coalesce(func.sum(LedgerEntry.cached_image_tokens), 0).label("input_cached_tokens"),
            func.coalesce(func.sum(LedgerEntry.output_tokens), 0).label("output_tokens"),
            func.coalesce(func.sum(LedgerEntry.cost_micro_usd), 0).label("cost_micro_usd"),
        ).where(and_(True, *_time_conditions(epoch, start, end), *where))
        if keys:
            stmt = stmt.group_by(*keys).order_by(*keys)
        rows = [dict(r._mapping) for r in s.execute(stmt)]
    for r in rows:
        if width is not None:
            r["bucket"] = int(r["bucket"]) * width
        for name in ("images", "num_model_requests", "input_tokens", "input_cached_tokens", "output_tokens", "cost_micro_usd"):
            r[name] = int(r[name])
        r["cost_usd"] = r["cost_micro_usd"] / 1_000_000
    return rows


def _cursor(width_name: str, bucket: int) -> str:
    return "page_" + base64.urlsafe_b64encode(f"{width_name}:{bucket}".encode()).decode().rstrip("=")


def _from_cursor(page: str, width_name: str, first: int, end: int) -> int:
    """The first bucket of the page `page` names; 400 `invalid_value` for anything we didn't make."""
    bad = invalid_value("page", page if len(page) <= 100 else page[:100] + "…")
    if not page.startswith("page_") or len(page) > 100:
        raise bad
    body = page.removeprefix("page_")
    try:
        text = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        raise bad from None
    match = _CURSOR.fullmatch(text)
    if match is None or match[1] != width_name:
        raise bad
    bucket = int(match[2])
    if bucket % BUCKET_WIDTHS[width_name] or not first <= bucket < end:
        raise bad
    return bucket


def _window(*, start: int | None, end: int | None, bucket_width: str, limit: int | None, page: str | None, now: int) -> _Window:
    """Check the times, width, limit and cursor; the buckets this page covers."""
    if bucket_width not in BUCKET_WIDTHS:
        raise invalid_value("bucket_width", bucket_width, list(BUCKET_WIDTHS))
    default_limit, max_limit = PAGE_LIMITS[bucket_width]
    if limit is not None and not 1 <= limit <= max_limit:
        raise InvalidRequestError(f"Invalid value: {limit}. limit must be 1 to {max_limit} for bucket_width={bucket_width}.",
                                  param="limit", code="invalid_value")
    limit = limit or default_limit
    width = BUCKET_WIDTHS[bucket_width]
    end = min(end, MAX_TIME + 1) if end is not None else min(now + 1, MAX_TIME + 1)
    if start is None:  # our default: the page that ends with the current bucket
        start = max(0, (min(now, end - 1) // width - (limit - 1)) * width)
    if end <= start:
        raise InvalidRequestError("end_time must be after start_time.", param="end_time", code="invalid_value")
    first = start - start % width
    page_first = _from_cursor(page, bucket_width, first, end) if page else first
    stop = min(page_first + limit * width, end)
    has_more = page_first + limit * width < end
    return _Window(width, page_first, stop, max(start, page_first), stop, has_more, page_first + limit * width)


def images_usage(
    ledger: Ledger,
    *,
    start_time: int | None = None,
    end_time: int | None = None,
    bucket_width: str = "1d",
    group_by: list[str] | None = None,
    filters: UsageFilters | None = None,
    limit: int | None = None,
    page: str | None = None,
    key_pk: int | None = None,
    now: int | None = None,
) -> dict[str, Any]:
    """`GET /v1/organization/usage/images`: a page of time buckets of grouped results, with costs.

    Args:
        key_pk: only this key's usage (a non-admin caller); None for every key.
        now: unix seconds standing for "now" (tests); the default end and start derive from it.
    """
    group_by = list(dict.fromkeys(group_by or []))
    for g in group_by:
        if g not in GROUP_BY:
            raise invalid_value("group_by", g, list(GROUP_BY))
    filters = filters or UsageFilters()
    filters.validate()
    win = _window(start=start_time, end=end_time, bucket_width=bucket_width, limit=limit, page=page,
                  now=int(time.time()) if now is None else now)
    where = filters.conditions()
    if key_pk is not None:
        where.append(LedgerEntry.key_id == key_pk)
    sql_groups = [g for g in group_by if g in _COLUMNS]
    rows = _aggregate(ledger, width=win.width, groups=sql_groups, where=where, start=win.start, end=win.end)
    by_bucket: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        by_bucket.setdefault(r.pop("bucket"), []).append(_result(r, group_by))
    data = [{"object": "bucket", "start_time": b, "end_time": b + win.width, "results": by_bucket.get(b, [])}
            for b in range(win.first, win.stop, win.width)]
    return {"object": "page", "data": data, "has_more": win.has_more,
            "next_page": _cursor(bucket_width, win.next_start) if win.has_more else None}


def _result(row: dict[str, Any], group_by: list[str]) -> dict[str, Any]:
    """OpenAI's result object: every grouping field (null unless grouped by), then our totals."""
    result: dict[str, Any] = {"object": "organization.usage.images.result"}
    result.update({name: None for name in RESULT_FIELDS})
    for g in group_by:
        value = row.get(g)
        result[g] = SOURCES.get(value, f"image.{value}") if g == "source" and value is not None else value
    for name in ("images", "num_model_requests", "input_tokens", "input_cached_tokens", "output_tokens", "cost_micro_usd", "cost_usd"):
        result[name] = row[name]
    return result


def usage_rows(ledger: Ledger, *, since: datetime | None, key_pk: int | None, group_by: str) -> list[dict[str, Any]]:
    """Rows for `imagegate usage`: one per model, day or key, with tokens and cost (same SQL as the API)."""
    start = None
    if since is not None:
        moment = since.replace(tzinfo=UTC) if since.tzinfo is None else since.astimezone(UTC)
        start = max(0, int(moment.timestamp()))
    where = [LedgerEntry.key_id == key_pk] if key_pk is not None else []
    if group_by == "day":
        rows = _aggregate(ledger, width=86400, groups=[], where=where, start=start, end=None)
        for r in rows:
            r["day"] = datetime.fromtimestamp(r.pop("bucket"), UTC).date().isoformat()
    else:
        column = {"model": "model", "key": "api_key_id"}[group_by]
        rows = _aggregate(ledger, width=None, groups=[column], where=where, start=start, end=None)
        for r in rows:
            r[group_by] = r.pop(column)
    return [{group_by: r.pop(group_by), **r} for r in sorted(rows, key=lambda r: str(r[group_by]))]
