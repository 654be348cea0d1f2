"""Signed URLs and the local content-addressed store."""

from __future__ import annotations

import os
import time

import pytest

from imagegate.errors import GoneError, PermissionDeniedError
from imagegate.storage.local import LocalStore
from imagegate.storage.signing import UrlSigner, load_or_create_secret


def test_secret_is_created_once_and_kept(tmp_path):
    key = tmp_path / "k"
    first = load_or_create_secret(key)
    assert len(first) == 32 and load_or_create_secret(key) == first
    assert oct(key.stat().st_mode & 0o777) == "0o600"


def test_sign_and_verify():
    signer = UrlSigner(b"s" * 32, ttl_seconds=60)
    expires, sig = signer.sign("a.png", now=1000)
    assert expires == 1060
    signer.verify("a.png", str(expires), sig, now=1059)
    with pytest.raises(GoneError):
        signer.verify("a.png", str(expires), sig, now=1061)
    with pytest.raises(PermissionDeniedError):
        signer.verify("b.png", str(expires), sig, now=1000)
    with pytest.raises(PermissionDeniedError):
        signer.verify("a.png", str(expires + 1), sig, now=1000)
    with pytest.raises(PermissionDeniedError):
        signer.verify("a.png", "soon", sig, now=1000)
    with pytest.raises(PermissionDeniedError):
        UrlSigner(b"t" * 32, 60).verify("a.png", str(expires), sig, now=1000)


def test_store_names_are_content_ids(tmp_path):
    store = LocalStore(tmp_path)
    name = store.put(b"abc", "png")
    assert name.endswith(".png") and len(name) == 44
    assert store.put(b"abc", "png") == name
    assert store.get(name) == b"abc"
    assert store.get("../../etc/passwd") is None
    assert store.get("0" * 40 + ".png") is None
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_sweep_removes_only_expired(tmp_path):
    store = LocalStore(tmp_path)
    old = store.put(b"old", "png")
    new = store.put(b"new", "png")
    past = time.time() - 7200
    os.utime(tmp_path / old, (past, past))
    assert store.sweep(3600) == 1
    assert store.get(old) is None and store.get(new) == b"new"
