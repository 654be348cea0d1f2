"""Font selection: the curated table, cmap coverage, CJK faces, emoji, fallbacks, caching."""

from __future__ import annotations

import os

import pytest

from imagegate.render import _segment, fonts
from imagegate.render.text import layout_text

SCRIPT_TEXTS = {
    "Latin": "Fresh Coffee Daily",
    "Cyrillic": "Свежий хлеб каждый день",
    "Greek": "Ταβέρνα Η Θάλασσα",
    "Chinese": "新鲜水果店",
    "Japanese": "いらっしゃいませ東京",
    "Korean": "서울 커피하우스",
    "Arabic": "قهوة عربية طازجة",
    "Hebrew": "ברוכים הבאים",
    "Devanagari": "श्री गणेश मिठाई भंडार",
    "Thai": "ร้านกาแฟสด",
    "Bengali": "মিষ্টির দোকান",
    "Tamil": "புத்தக கண்காட்சி",
    "Georgian": "ქართული ენა",
}
NON_LATIN = [k for k in SCRIPT_TEXTS if k not in ("Latin", "Cyrillic", "Greek")]
LATIN_FACES = {
    os.path.basename(fonts.resolve_face("Abc", style, weight).path)
    for style in fonts.STYLES
    for weight in fonts.WEIGHTS
}


def name(face: fonts.FontFace) -> str:
    return os.path.basename(face.path)


@pytest.mark.parametrize("style", fonts.STYLES)
@pytest.mark.parametrize("weight", fonts.WEIGHTS)
@pytest.mark.parametrize("script", SCRIPT_TEXTS)
def test_each_script_and_style_resolves_to_a_covering_face(script: str, style: str, weight: str) -> None:
    text = SCRIPT_TEXTS[script]
    face = fonts.resolve_face(text, style, weight)
    assert fonts.covers(face, text), f"{name(face)} lacks glyphs for {text!r}"


@pytest.mark.parametrize("style", fonts.STYLES)
@pytest.mark.parametrize("script", NON_LATIN)
def test_non_latin_text_never_gets_a_latin_face(script: str, style: str) -> None:
    face = fonts.resolve_face(SCRIPT_TEXTS[script], style)
    assert name(face) not in LATIN_FACES


@pytest.mark.parametrize("script", SCRIPT_TEXTS)
def test_every_laid_out_run_is_covered_by_its_face(script: str) -> None:
    layout = layout_text(SCRIPT_TEXTS[script] + " 2024 ☕!", 900, 200)
    for run in layout.runs:
        assert fonts.covers(run.face, run.text), (run.text, name(run.face))


def test_serif_and_sans_differ_for_latin() -> None:
    sans, serif = fonts.resolve_face("Hello", "sans"), fonts.resolve_face("Hello", "serif")
    assert name(sans) == "NotoSans-Regular.ttf"
    assert name(serif) == "NotoSerif-Regular.ttf"


@pytest.mark.parametrize(
    ("style", "weight", "expected"),
    [
        ("sans", "bold", "NotoSans-Bold.ttf"),
        ("display", "regular", "NotoSansDisplay-Regular.ttf"),
        ("mono", "regular", "NotoSansMono-Regular.ttf"),
        ("script", "regular", "DancingScript-Regular.otf"),
        ("script", "bold", "DancingScript-Bold.otf"),
    ],
)
def test_latin_styles_and_weights(style: str, weight: str, expected: str) -> None:
    assert name(fonts.resolve_face("Grand Opening", style, weight)) == expected


def test_handwritten_style_falls_back_to_serif_italic_where_the_script_face_lacks_letters() -> None:
    assert name(fonts.resolve_face("Добро пожаловать", "script")) == "NotoSerif-Italic.ttf"


@pytest.mark.parametrize(
    ("style", "expected"),
    [("sans", "NotoSansArabic"), ("serif", "NotoNaskhArabic"), ("display", "NotoKufiArabic"), ("script", "NotoNaskhArabic")],
)
def test_arabic_styles(style: str, expected: str) -> None:
    assert name(fonts.resolve_face("مرحبا بكم", style)).startswith(expected + "-")


@pytest.mark.parametrize(
    ("language", "text", "index"),
    [
        ("zh-Hans", "漢字", 2),
        ("zh-CN", "漢字", 2),
        ("zh-Hant", "漢字", 3),
        ("zh-TW", "漢字", 3),
        ("zh-Hant-HK", "漢字", 4),
        ("ja", "漢字", 0),
        ("ko", "漢字", 1),
        (None, "ひらがなと漢字", 0),
        (None, "한국어 漢字", 1),
        (None, "漢字", 2),
    ],
)
def test_cjk_language_hint_picks_the_ttc_face(language: str | None, text: str, index: int) -> None:
    face = fonts.resolve_face(text, "sans", language=language)
    assert name(face) == "NotoSansCJK-Regular.ttc"
    assert face.index == index


def test_cjk_serif_bold_and_mono_faces() -> None:
    assert name(fonts.resolve_face("東京", "serif", "bold", language="ja")) == "NotoSerifCJK-Bold.ttc"
    mono = fonts.resolve_face("東京", "mono", language="ja")
    assert (name(mono), mono.index) == ("NotoSansCJK-Regular.ttc", 5)


def test_emoji_gets_the_colour_font_and_loads_at_its_strike() -> None:
    faces = _segment.assign_faces("Pizza 🍕 night", "sans", "regular", None)
    assert [f.is_emoji for f in faces] == [False] * 6 + [True] + [False] * 6
    assert name(faces[6]) == "NotoColorEmoji.ttf"
    assert fonts.load_font(faces[6], 40).size == fonts.EMOJI_PX


def test_emoji_sequences_stay_together_and_text_presentation_does_not() -> None:
    family = "👩\u200d👩\u200d👧"
    assert all(_segment.emoji_mask(family + "🇯🇵"))
    assert _segment.emoji_mask("1\ufe0f\u20e3 #") == [True, True, True, False, False]
    assert _segment.emoji_mask("\u2764\ufe0e") == [False, False]


@pytest.mark.parametrize(
    ("text", "script"),
    [("Hello, мир!", "Latn"), ("مرحبا world", "Arab"), ("東京タワー", "Hani"), ("123 !?", "Latn"), ("ქართული", "Geor")],
)
def test_detect_script(text: str, script: str) -> None:
    assert fonts.detect_script(text) == script


def test_scripts_without_a_table_entry_use_their_noto_family() -> None:
    assert name(fonts.resolve_face("ქართული ენა", "sans")) == "NotoSansGeorgian-Regular.ttf"
    assert name(fonts.resolve_face("ქართული ენა", "serif")) == "NotoSerifGeorgian-Regular.ttf"


def test_stray_symbols_fall_back_to_a_covering_face() -> None:
    for ch in "♞∮⚙":
        face = fonts.fallback_face(ch)
        assert ord(ch) in fonts.coverage(face), (ch, name(face))


def test_fontconfig_finds_a_covering_face_for_a_stray_character() -> None:
    face = fonts._fontconfig_face(ord("ᚠ"))  # Runic: in none of the generic families
    assert face is not None and ord("ᚠ") in fonts.coverage(face)
    assert ord("ᚠ") in fonts.coverage(fonts.fallback_face("ᚠ"))


def test_coverage_ignores_whitespace_and_joiners_only() -> None:
    face = fonts.resolve_face("abc")
    assert fonts.covers(face, "a b\u200dc\ufe0f")
    assert not fonts.covers(face, "a 東")


def test_fonts_are_cached_per_face_and_size() -> None:
    face = fonts.resolve_face("abc")
    assert fonts.load_font(face, 33) is fonts.load_font(face, 33)
    assert fonts.load_font(face, 33) is not fonts.load_font(face, 34)
