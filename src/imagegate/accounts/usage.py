"""Usage and cost reports from the ledger: OpenAI's usage API shape, and rows for the CLI."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from imagegate.db.tables import LedgerEntry
from imagegate.errors import InvalidRequestError, invalid_value
from imagegate.accounts.ledger import Ledger

BUCKET_WIDTHS = {"1m": timedelta(minutes=1), "1h": timedelta(hours=1), "1d": timedelta(days=1)}
GROUP_FIELDS = {"model": "model", "api_key_id": "key_id", "size": "size", "quality": "quality", "key": "key_id"}


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _bucket_start(moment: datetime, width: timedelta) -> datetime:
    epoch = int(_as_utc(moment).timestamp())
    step = int(width.total_seconds())
    return datetime.fromtimestamp(epoch - epoch % step, UTC)


def _totals(entries: list[LedgerEntry]) -> dict[str, Any]:
    cost = sum(e.cost_micro_usd for e in entries)
    return {
        "images": sum(e.n for e in entries),
        "num_model_requests": len(entries),
        "input_tokens": sum(e.text_tokens + e.image_tokens + e.cached_image_tokens for e in entries),
        "input_cached_tokens": sum(e.cached_image_tokens for e in entries),
        "output_tokens": sum(e.output_tokens for e in entries),
        "cost_micro_usd": cost,
        "cost_usd": cost / 1_000_000,
    }


def _group(entries: list[LedgerEntry], group_by: list[str]) -> dict[tuple, list[LedgerEntry]]:
    groups: dict[tuple, list[LedgerEntry]] = defaultdict(list)
    for e in entries:
        groups[tuple(getattr(e, GROUP_FIELDS[g]) for g in group_by)].append(e)
    return groups


def images_usage(
    ledger: Ledger,
    *,
    start_time: int,
    end_time: int | None = None,
    bucket_width: str = "1d",
    group_by: list[str] | None = None,
    key_pk: int | None = None,
) -> dict[str, Any]:
    """`GET /v1/organization/usage/images`: time buckets of grouped results, with costs."""
    if bucket_width not in BUCKET_WIDTHS:
        raise invalid_value("bucket_width", bucket_width, list(BUCKET_WIDTHS))
    group_by = group_by or []
    for g in group_by:
        if g not in ("model", "api_key_id", "size", "quality"):
            raise invalid_value("group_by", g, ["model", "api_key_id", "size", "quality"])
    start = datetime.fromtimestamp(start_time, UTC)
    end = datetime.fromtimestamp(end_time, UTC) if end_time else datetime.now(UTC) + timedelta(seconds=1)
    if end <= start:
        raise InvalidRequestError("end_time must be after start_time.", param="end_time", code="invalid_value")
    width = BUCKET_WIDTHS[bucket_width]
    by_bucket: dict[datetime, list[LedgerEntry]] = defaultdict(list)
    for e in ledger.entries(since=start, until=end, key_pk=key_pk):
        by_bucket[_bucket_start(e.created_at, width)].append(e)
    data = []
    for bucket in sorted(by_bucket):
        results = []
        for values, rows in _group(by_bucket[bucket], group_by).items():
            result = {"object": "organization.usage.images.result", **_totals(rows)}
            result.update({g: v for g, v in zip(group_by, values, strict=True)})
            results.append(result)
        data.append({
            "object": "bucket",
            "start_time": int(bucket.timestamp()),
            "end_time": int((bucket + width).timestamp()),
            "results": results,
        })
    return {"object": "page", "data": data, "has_more": False, "next_page": None}


def usage_rows(ledger: Ledger, *, since: datetime | None, key_pk: int | None, group_by: str) -> list[dict[str, Any]]:
    """Rows for `imagegate usage`: one per model, day or key, with tokens and cost."""
    entries = ledger.entries(since=since, key_pk=key_pk)
    groups: dict[Any, list[LedgerEntry]] = defaultdict(list)
    for e in entries:
        label = {"model": e.model, "day": _as_utc(e.created_at).date().isoformat(), "key": e.key_id}[group_by]
        groups[label].append(e)
    return [{group_by: label, **_totals(rows)} for label, rows in sorted(groups.items(), key=lambda kv: str(kv[0]))]
