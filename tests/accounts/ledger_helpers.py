"""Helpers shared by the accounts tests."""

from __future__ import annotations

from imagegate.accounts.keys import KeyStore
from imagegate.accounts.ledger import Charge
from imagegate.accounts.metering import Usage


def charge(request_id: str, cost: int) -> Charge:
    return Charge(request_id, "gpt-image-2", "1024x1024", "low", 1, Usage(text_tokens=3, output_tokens=640), cost)


def money(keys: KeyStore, key_pk: int) -> tuple[int, int]:
    key = keys.get(key_pk)
    return key.spent_micro_usd, key.reserved_micro_usd
