"""Token counts and prices: the seed's range, the published gpt-image-1 table, o200k."""

from __future__ import annotations

import subprocess
import sys
import warnings


from imagegate.accounts import metering
from imagegate.config import load_registry, load_settings
from imagegate.accounts.metering import Usage, cost_micro_usd, count_text_tokens, output_tokens

REGISTRY = load_registry(load_settings(None))
GPT2 = REGISTRY.resolve("gpt-image-2")
MINI = REGISTRY.resolve("gpt-image-1-mini")
V15 = REGISTRY.resolve("gpt-image-1.5")


def test_seed_cost_range_for_gpt_image_2():
    standard = Usage(output_tokens=output_tokens(GPT2, 1024, 1024, "medium"))
    high_2k = Usage(output_tokens=output_tokens(GPT2, 2048, 2048, "high"))
    assert standard.output_tokens == 16 * 85
    assert cost_micro_usd(GPT2, standard) == 40_800  # $0.0408
    assert high_2k.output_tokens == 64 * 182
    assert cost_micro_usd(GPT2, high_2k) == 349_440  # $0.349


def test_partial_tiles_round_up():
    assert output_tokens(GPT2, 1040, 1024, "low") == 5 * 4 * 40


def test_published_table_wins_for_gpt_image_1_family():
    assert output_tokens(MINI, 1536, 1024, "low") == 400
    assert output_tokens(V15, 1024, 1536, "high") == 6240
    assert output_tokens(MINI, 1024, 1024, "medium") == 1056
    assert cost_micro_usd(MINI, Usage(output_tokens=1056)) == 8448  # ~1/4 of gpt-image-2's price


def test_text_tokens_are_o200k():
    assert count_text_tokens("hello world") == 2
    assert count_text_tokens("") == 0
    assert count_text_tokens("日本語のテキスト") > 2


def test_usage_wire_shape_and_cost_of_each_token_type():
    usage = Usage(text_tokens=50, image_tokens=194, cached_image_tokens=100, output_tokens=1000)
    wire = usage.to_wire()
    assert wire["input_tokens"] == 344 and wire["total_tokens"] == 1344
    assert wire["input_tokens_details"] == {"text_tokens": 50, "image_tokens": 294, "cached_tokens": 100}
    assert cost_micro_usd(GPT2, usage) == 50 * 5 + 194 * 8 + 100 * 2 + 1000 * 30
    assert cost_micro_usd(MINI, Usage(image_tokens=3)) == 8  # 7.5 rounds half up to integer micro-dollars


TOKEN_TEXTS = [
    "hello world", "a red apple", "日本語のテキスト", "emoji 🍎👩‍👩‍👧 and مرحبا بكم", "  spaces   and\n\n\ttabs ",
    "Grand Opening! 50% OFF — today only", "x\ud800y (a lone surrogate)", "a" * 5000, "🍎" * 3000, "İstanbul ß ǅ ﬁ",
]


def test_text_token_counts_match_bpe_openai_encode():
    with warnings.catch_warnings():  # the package reads its data with a deprecated importlib call
        warnings.simplefilter("ignore", DeprecationWarning)
        import bpe_openai
        from bpe_openai import registry

        encoding = bpe_openai.get_encoding("o200k_base")
    for text in TOKEN_TEXTS:
        assert count_text_tokens(text) == len(encoding.encode(text)), text[:20]
    for text in ("say <|endoftext|> now", "<|endofprompt|>"):  # a user's text, counted as ordinary text
        assert count_text_tokens(text) == len(encoding.encode(text, disallowed_special=())) > 1, text
    assert set(registry.o200k_base()["special_tokens"]) == set(metering.O200K_SPECIAL)


def test_counting_tokens_loads_only_the_rust_tokenizer():
    """Importing the `bpe_openai` package decodes all three bundled vocabularies in Python (over a
    second, ~140 MB); counting needs only the compiled tokenizer."""
    code = (
        "import sys\n"
        "from imagegate.accounts.metering import count_text_tokens, warm_up\n"
        "warm_up()\n"
        "assert count_text_tokens('hello world') == 2\n"
        "assert 'bpe_openai' not in sys.modules and 'bpe_openai.registry' not in sys.modules, sorted(sys.modules)\n"
        "import warnings; warnings.simplefilter('ignore')\n"
        "import bpe_openai\n"  # the package still imports afterwards, reusing the loaded module
        "assert len(bpe_openai.get_encoding('o200k_base').encode('hello world')) == 2\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
