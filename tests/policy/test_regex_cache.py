"""The policy's compiled patterns kept between starts: equal to `re.compile`'s, read back on the
next load, and rebuilt when the file is stale, corrupt or cannot be written."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from imagegate.policy import _regex_cache
from imagegate.policy.rules import Policy, PolicyError, compile_policy, default_policy_text, load_policy, policy_regexes


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "imagegate"


def regexes_of(policy: Policy) -> list[re.Pattern[str]]:
    out = [m.regex for matchers in policy.categories.values() for m in matchers.values()]
    out += [m.regex for m in policy.lexicons.values()]
    return [*out, policy.allow]


def assert_same_policy(a: Policy, b: Policy) -> None:
    for x, y in zip(regexes_of(a), regexes_of(b), strict=True):
        assert x == y  # pattern, flags and the compiled program
        assert x.groupindex == y.groupindex and x.groups == y.groups
    assert [m.labels for c in a.categories.values() for m in c.values()] == [m.labels for c in b.categories.values() for m in c.values()]
    assert (a.weights, a.thresholds, a.combinations, a.semantic) == (b.weights, b.thresholds, b.combinations, b.semantic)


def reference() -> Policy:
    return compile_policy(tomllib.loads(default_policy_text()), "<default>")


def test_the_interpreter_compiles_as_expected() -> None:
    assert _regex_cache.internals_ok()


def test_first_load_writes_the_cache_and_the_next_reads_it(cache_home: Path) -> None:
    ref = reference()
    first = load_policy()
    files = list(cache_home.glob("policy-regex-*.bin"))
    assert len(files) == 1
    assert_same_policy(first, ref)
    cache = policy_regexes(default_policy_text())
    again = compile_policy(tomllib.loads(default_policy_text()), "<default>", regexes=cache)
    assert (cache.hits, cache.misses) == (len(regexes_of(ref)), 0)
    assert_same_policy(again, ref)
    for text in ("kill yourself", "a red apple", "n4k3d p0rn", "Свежий хлеб"):
        assert again.score(text) == ref.score(text)


def test_loading_with_the_cache_off(cache_home: Path) -> None:
    assert_same_policy(load_policy(cache=False), reference())
    assert not cache_home.exists()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "empty", "foreign entries"])
def test_a_damaged_cache_file_is_rebuilt(cache_home: Path, damage: str) -> None:
    load_policy()
    (path,) = cache_home.glob("policy-regex-*.bin")
    blob = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"not a cache")
    elif damage == "truncated":
        path.write_bytes(blob[: len(blob) // 2])
    elif damage == "flipped":
        path.write_bytes(blob[:-10] + bytes([blob[-10] ^ 0xFF]) + blob[-9:])
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # a well-formed file whose entries are not programs the engine accepts
        import hashlib
        import marshal

        entries = marshal.loads(blob[len(_regex_cache.FORMAT) + 32:])
        entries = {key: (entry[0], entry[1], [999_999] * len(entry[2]), *entry[3:]) for key, entry in entries.items()}
        body = marshal.dumps(entries)
        path.write_bytes(_regex_cache.FORMAT + hashlib.sha256(body).digest() + body)
    assert_same_policy(load_policy(), reference())
    cache = policy_regexes(default_policy_text())
    assert cache.path == path
    compile_policy(tomllib.loads(default_policy_text()), "<default>", regexes=cache)
    assert cache.misses == 0  # rewritten whole


def test_another_policy_gets_its_own_file(cache_home: Path, tmp_path: Path) -> None:
    custom = tmp_path / "policy.toml"
    custom.write_text('[categories.hate]\nstrong = ["grobnik"]\n[allow]\nen = ["grobnik festival"]\n')
    policy = load_policy(custom)
    load_policy()
    assert len(list(cache_home.glob("policy-regex-*.bin"))) == 2
    assert policy.score("a grobnik")[0]["hate"] == 1.0 and policy.score("the grobnik festival")[0]["hate"] == 0.0
    assert load_policy(custom).score("a grobnik")[0]["hate"] == 1.0  # read back


def test_a_bad_pattern_is_still_refused(cache_home: Path, tmp_path: Path) -> None:
    custom = tmp_path / "policy.toml"
    custom.write_text('[categories.hate]\npatterns = [{ regex = "(unclosed" }]\n')
    for _ in range(2):
        with pytest.raises(PolicyError, match="bad pattern"):
            load_policy(custom)


def test_an_unwritable_cache_directory_only_costs_the_compile(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert_same_policy(load_policy(), reference())


def test_old_files_are_pruned(cache_home: Path, tmp_path: Path) -> None:
    cache_home.mkdir(parents=True)
    for i in range(_regex_cache.KEEP_FILES + 3):
        (cache_home / f"policy-regex-old{i:02d}.bin").write_bytes(b"x")
    load_policy()
    assert len(list(cache_home.glob("policy-regex-*.bin"))) == _regex_cache.KEEP_FILES


def test_a_start_reads_the_cache_instead_of_compiling(cache_home: Path) -> None:
    """In a fresh process with the cache written, loading the shipped policy takes no `re` compile
    of its alternations (the ~0.4 s this saves)."""
    load_policy()
    code = (
        "import re\n"
        "calls = []\n"
        "real = re.compile\n"
        "def spy(pattern, flags=0):\n"
        "    calls.append(len(pattern))\n"
        "    return real(pattern, flags)\n"
        "re.compile = spy\n"
        "from imagegate.policy.rules import load_policy\n"
        "load_policy()\n"
        "assert max(calls, default=0) < 1000, sorted(calls)[-5:]\n"
    )
    env = {"XDG_CACHE_HOME": str(cache_home.parent), "PATH": "/usr/bin:/bin", "HOME": str(cache_home.parent)}
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, env=env)
