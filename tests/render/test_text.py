"""draw_text_block: shaping, bidi, wrapping and fitting, legibility, emoji, and OCR read-back."""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image, ImageFont, features

from imagegate.render import _bidi, fonts, text
from imagegate.render.text import check_raqm, draw_text_block, layout_text

ARABIC = "بيت"  # beh, yeh, teh: initial, medial and final forms when shaped
DEVANAGARI = "क्षत्रिय"  # ka + virama + ssa forms the conjunct kssa


def _clear_caches() -> None:
    for cached in (fonts.load_font, text._has_raqm, text.run_width, text._emoji_bitmap, text._text_layer):
        cached.cache_clear()


@pytest.fixture
def basic_layout(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pretend Pillow lacks RAQM, as on a machine without libfribidi0."""
    real = features.check_feature
    monkeypatch.setattr(features, "check_feature", lambda name: False if name == "raqm" else real(name))
    _clear_caches()
    yield
    monkeypatch.undo()
    _clear_caches()


def luminance(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.float32)


# --- start-up guard -------------------------------------------------------------------------


def test_check_raqm_passes_with_raqm() -> None:
    check_raqm()


def test_check_raqm_raises_when_raqm_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(features, "check", lambda name: False if name == "raqm" else True)
    with pytest.raises(RuntimeError, match="RAQM.*libfribidi0"):
        check_raqm()


# --- shaping against HarfBuzz (uharfbuzz) -----------------------------------------------------


@pytest.fixture
def hb():
    import uharfbuzz  # the shaping reference; installed with the test extra

    return uharfbuzz


def hb_shape(hb, face: fonts.FontFace, string: str) -> tuple[list[str], float]:
    """Glyph names and total advance (em) HarfBuzz gives for `string` in `face`."""
    from fontTools.ttLib import TTFont

    font = hb.Font(hb.Face(hb.Blob.from_file_path(face.path), face.index))
    buf = hb.Buffer()
    buf.add_str(string)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    with TTFont(face.path, fontNumber=face.index, lazy=True) as tt:
        order = tt.getGlyphOrder()
    return [order[g.codepoint] for g in buf.glyph_infos], sum(p.x_advance for p in buf.glyph_positions) / font.face.upem


def test_arabic_is_shaped_into_joining_forms(hb) -> None:
    face = fonts.resolve_face(ARABIC)
    names, advance = hb_shape(hb, face, ARABIC)
    forms = {unicodedata.name(chr(int(n[3:7], 16))).split()[-2] for n in names if n.startswith("uniFE")}
    assert forms == {"INITIAL", "MEDIAL", "FINAL"}, names
    shaped = text.run_width(ARABIC, face, 100, True)
    assert shaped == pytest.approx(advance * 100, abs=1.0)  # Pillow RAQM = HarfBuzz
    isolated = ImageFont.truetype(face.path, 100, layout_engine=ImageFont.Layout.BASIC).getlength(ARABIC)
    assert abs(isolated - shaped) > 20  # unjoined letters are much wider: the check can tell


def test_devanagari_conjunct_forms(hb) -> None:
    face = fonts.resolve_face(DEVANAGARI)
    names, advance = hb_shape(hb, face, DEVANAGARI)
    virama, _ = hb_shape(hb, face, "्")
    assert virama[0] not in names, names  # no visible virama: ka+virama+ssa became one glyph
    assert len(names) < len(DEVANAGARI)
    assert text.run_width(DEVANAGARI, face, 100, False) == pytest.approx(advance * 100, abs=1.0)


def test_raqm_and_basic_renders_differ(monkeypatch: pytest.MonkeyPatch) -> None:
    def render() -> np.ndarray:
        image = Image.new("RGB", (600, 200), "white")
        draw_text_block(image, ARABIC + " " + DEVANAGARI, (0, 0, 600, 200), max_font_px=80)
        return luminance(image)

    shaped = render()
    real = features.check_feature
    monkeypatch.setattr(features, "check_feature", lambda name: False if name == "raqm" else real(name))
    _clear_caches()
    try:
        unshaped = render()
    finally:
        monkeypatch.undo()
        _clear_caches()
    assert np.abs(shaped - unshaped).mean() > 2.0


# --- bidi and run order ---------------------------------------------------------------------------


def visual_words(string: str) -> list[str]:
    return [r.text.strip() for r in layout_text(string, 2000, 120).runs if r.text.strip()]


def test_rtl_paragraph_places_runs_right_to_left() -> None:
    assert visual_words("אבג ABC דהו") == ["דהו", "ABC", "אבג"]


def test_ltr_paragraph_keeps_an_arabic_phrase_with_its_number() -> None:
    assert visual_words("Price سعر 24 today") == ["Price", "سعر 24", "today"]


def test_mixed_arabic_latin_digits_and_emoji() -> None:
    assert visual_words("مطعم ABC رقم 24 🍕") == ["🍕", "رقم 24", "ABC", "مطعم"]
    runs = layout_text("مطعم ABC رقم 24 🍕", 2000, 120).runs
    assert [r.rtl for r in runs if r.text.strip() == "ABC"] == [False]
    assert all(a.x + a.width <= b.x + 0.5 for a, b in zip(runs, runs[1:]))


def test_visual_order_reverses_rtl_levels() -> None:
    assert _bidi.visual_order([0, 1, 1, 0]) == [0, 2, 1, 3]
    assert _bidi.visual_order([1, 2, 1]) == [2, 1, 0]
    assert _bidi.resolve_levels("ab אב", False) == [0, 0, 0, 1, 1]
    assert _bidi.resolve_levels("אב 12", True) == [1, 1, 1, 1, 1]


# --- wrapping and fitting -----------------------------------------------------------------------


def lines_of(layout: text.TextLayout) -> list[str]:
    """Line texts in visual order (LTR text), grouped by baseline."""
    lines: dict[float, str] = {}
    for run in layout.runs:
        lines[run.baseline] = lines.get(run.baseline, "") + run.text
    return [lines[k] for k in sorted(lines)]


def test_words_wrap_within_the_box() -> None:
    layout = layout_text("The quick brown fox jumps over the lazy dog " * 3, 400, 300)
    assert layout.lines > 2
    assert all(0 <= r.x and r.x + r.width <= 400 + 0.5 for r in layout.runs)
    assert not any(line.startswith(" ") for line in lines_of(layout))  # spaces stay at line ends
    words = " ".join(lines_of(layout)).split()
    assert words == ("The quick brown fox jumps over the lazy dog " * 3).split()


def test_text_shrinks_to_fit_and_respects_max_font_px() -> None:
    short = layout_text("Sale", 600, 200)
    long = layout_text("Everything must go this weekend only", 600, 200)
    assert long.size < short.size
    assert layout_text("Sale", 600, 200, max_font_px=40).size == 40
    assert long.extent[3] - long.extent[1] <= 200


def test_long_word_is_split_only_when_it_cannot_fit() -> None:
    words = layout_text("Grand Opening Sale", 260, 300)
    assert [line.strip() for line in lines_of(words)] == ["Grand", "Opening", "Sale"]
    compound = layout_text("Donaudampfschifffahrtsgesellschaft", 200, 300)
    assert compound.lines > 1
    assert "".join(lines_of(compound)) == "Donaudampfschifffahrtsgesellschaft"


def test_cjk_breaks_between_characters_but_not_before_closing_punctuation() -> None:
    sentence = "東京タワーの夜景はとても美しいです。ぜひ一度見に来てください。"
    layout = layout_text(sentence, 300, 400, language="ja")
    lines = lines_of(layout)
    assert len(lines) > 2 and "".join(lines) == sentence
    assert not any(line[0] in "。、ー" for line in lines)


def test_thai_breaks_between_clusters_only() -> None:
    sentence = "ภาษาไทยเป็นภาษาที่ไม่มีการเว้นวรรคระหว่างคำ"
    lines = lines_of(layout_text(sentence, 300, 400))
    assert len(lines) > 1 and "".join(lines) == sentence
    for line in lines[1:]:
        assert unicodedata.category(line[0])[0] != "M" and line[0] not in "ะาำ", lines
    for line in lines[:-1]:
        assert line[-1] not in "เแโใไ" and unicodedata.combining(line[-1]) != 9, lines


def test_explicit_newlines_start_new_lines() -> None:
    layout = layout_text("Line one\nLine two", 800, 300)
    assert [line.strip() for line in lines_of(layout)] == ["Line one", "Line two"]


@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_alignment(align: str) -> None:
    layout = layout_text("Short\nA much longer line", 900, 300, align=align, max_font_px=48)
    first = [r for r in layout.runs if r.text.strip() == "Short"][0]
    expected = {"left": 0.0, "center": (900 - first.width) / 2, "right": 900 - first.width}[align]
    assert first.x == pytest.approx(expected, abs=0.5)


# --- drawing, colour and legibility ----------------------------------------------------------------


def test_returns_the_used_box_inside_the_target_on_plain_background() -> None:
    image = Image.new("RGB", (1024, 512), "white")
    box = (100, 100, 900, 300)
    used = draw_text_block(image, "Fresh Coffee Daily", box)
    assert box[0] <= used[0] < used[2] <= box[2] and box[1] <= used[1] < used[3] <= box[3]
    ink = np.argwhere(luminance(image) < 128)
    assert ink.size
    assert used[1] <= ink[:, 0].min() and ink[:, 0].max() < used[3]
    assert used[0] <= ink[:, 1].min() and ink[:, 1].max() < used[2]


@pytest.mark.parametrize(("background", "dark_text"), [("white", True), ("black", False), ((250, 220, 80), True), ((20, 40, 120), False)])
def test_automatic_colour_contrasts_with_background(background, dark_text: bool) -> None:
    image = Image.new("RGB", (600, 200), background)
    before = luminance(image)
    draw_text_block(image, "Hello", (0, 0, 600, 200))
    changed = luminance(image)[np.abs(luminance(image) - before) > 60]
    assert changed.size
    assert (np.median(changed) < 60) if dark_text else (np.median(changed) > 200)


def test_explicit_colour_is_used() -> None:
    image = Image.new("RGB", (600, 200), "white")
    draw_text_block(image, "Hello", (0, 0, 600, 200), color=(220, 0, 0))
    px = np.asarray(image).reshape(-1, 3)
    assert ((px[:, 0] > 200) & (px[:, 1] < 30) & (px[:, 2] < 30)).sum() > 500


def busy_background(seed: int = 3) -> Image.Image:
    from ocr_judge import textured_background

    return textured_background(seed)


def test_busy_background_gets_a_backing_panel() -> None:
    image = busy_background()
    before = luminance(image)
    used = draw_text_block(image, "Grand Opening", (100, 100, 924, 284))
    region = (slice(used[1], used[3]), slice(used[0], used[2]))
    after = luminance(image)[region]
    assert after.std() < before[region].std() * 0.9 or abs(np.median(after) - np.median(before[region])) > 40
    text_px = after < 40 if np.median(after) > 128 else after > 215
    assert 0.02 < text_px.mean() < 0.5  # text of one extreme on a panel of the other


def test_calm_low_contrast_background_gets_an_outline() -> None:
    # a dark ramp whose bright end comes too close to white text: white stays (it reads on the bulk)
    # and a black outline takes over at the bright end
    ramp = np.linspace(10, 160, 800, dtype=np.float32)[None, :, None].repeat(300, 0).repeat(3, 2)
    image = Image.fromarray(ramp.astype(np.uint8))
    before = luminance(image)
    draw_text_block(image, "Horizon", (50, 50, 750, 250), color=(255, 255, 255))
    px = luminance(image)
    ink = px > 250
    assert ink.sum() > 500
    grown = np.zeros_like(ink)
    grown[2:-2, 2:-2] = ink[2:-2, 2:-2] | ink[:-4, 2:-2] | ink[4:, 2:-2] | ink[2:-2, :-4] | ink[2:-2, 4:]
    ring = grown & ~ink
    assert (px[ring] < 30).mean() > 0.4  # a dark outline hugs the white letters
    assert (np.abs(px[:, 700:] - before[:, 700:]) < 3).mean() > 0.9  # and no panel covered the bright end


def test_mid_tone_ramp_gets_a_panel_not_just_an_outline() -> None:
    # the reported failure: on a ramp from dark to light no fill reads on its bulk, so an outline
    # alone leaves letters that vanish into one end; a panel goes behind them
    ramp = np.linspace(40, 230, 800, dtype=np.float32)[None, :, None].repeat(300, 0).repeat(3, 2)
    image = Image.fromarray(ramp.astype(np.uint8))
    before = luminance(image)
    used = draw_text_block(image, "Horizon", (50, 50, 750, 250), color=(255, 255, 255))
    region = (slice(used[1] + 4, used[3] - 4), slice(used[0] + 10, used[2] - 10))
    assert (np.abs(luminance(image)[region] - before[region]) > 20).mean() > 0.5


def test_emoji_are_colour_and_scaled_to_the_text() -> None:
    image = Image.new("RGB", (400, 200), "white")
    layout = layout_text("🍕", 400, 200, max_font_px=80)
    draw_text_block(image, "🍕", (0, 0, 400, 200), max_font_px=80)
    hsv = np.asarray(image.convert("HSV"))
    coloured = hsv[..., 1] > 120
    assert coloured.sum() > 1000
    rows = np.argwhere(coloured)[:, 0]
    assert 0.6 * layout.size < rows.max() - rows.min() < 1.5 * layout.size


def test_rgba_transparent_canvas_keeps_alpha_outside_text() -> None:
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    used = draw_text_block(image, "Hello", (0, 0, 600, 200), color=(200, 30, 30))
    alpha = np.asarray(image)[..., 3]
    assert alpha.max() == 255 and alpha[:, : used[0]].max() == 0
    solid = np.asarray(image)[alpha == 255][:, :3]
    assert np.abs(solid - [200, 30, 30]).max() <= 1


def test_empty_text_draws_nothing() -> None:
    image = Image.new("RGB", (100, 100), "white")
    assert draw_text_block(image, "  ", (10, 10, 90, 90)) == (10, 10, 10, 10)
    assert luminance(image).min() == 255


def test_drawing_is_deterministic() -> None:
    images = []
    for _ in range(2):
        text._text_layer.cache_clear()  # drawn afresh each time
        image = busy_background(5)
        draw_text_block(image, "مرحبا بكم 👋 Hello", (50, 50, 950, 250), style="serif", weight="bold")
        images.append(np.asarray(image))
    assert np.array_equal(*images)


def test_repeated_text_is_drawn_once_and_the_same() -> None:
    """Text layers are remembered (in a bounded cache): a repeat draws nothing new and gives the
    same pixels; the layer the cache hands out is left as it was."""
    text._text_layer.cache_clear()
    fresh = busy_background(5)
    draw_text_block(fresh, "Precision. Perfected.", (50, 50, 950, 250), style="serif")
    drawn = []
    real = text._render_layer
    try:
        text._render_layer = lambda *args: drawn.append(args) or real(*args)
        again = busy_background(5)
        draw_text_block(again, "Precision. Perfected.", (50, 50, 950, 250), style="serif")
        other = busy_background(5)
        draw_text_block(other, "Precision. Perfected!", (50, 50, 950, 250), style="serif")
    finally:
        text._render_layer = real
    assert len(drawn) == 1  # only the new text
    assert np.array_equal(np.asarray(fresh), np.asarray(again))
    assert not np.array_equal(np.asarray(fresh), np.asarray(other))


def test_text_layer_cache_stays_within_its_budget() -> None:
    layout = layout_text("Budget", 200, 100)
    one = text._render_layer(layout, (0, 0, 0), None, 0, 10)
    cache = text._LayerCache(one.width * one.height * 4 * 8)
    for i in range(20):
        cache(layout, (i, 0, 0), None, 0, 10)
    assert 0 < cache._bytes <= cache.budget
    assert len(cache._layers) == 8
    assert cache(layout, (19, 0, 0), None, 0, 10) is cache(layout, (19, 0, 0), None, 0, 10)


# --- OCR read-back ---------------------------------------------------------------------------------


def _require_tesseract() -> None:
    if shutil.which("tesseract") is None:
        pytest.fail("tesseract-ocr is not installed: run scripts/setup.sh")
    import pytesseract
    from ocr_judge import SAMPLES

    missing = {s.tess_lang for s in SAMPLES} - set(pytesseract.get_languages())
    if missing:
        pytest.fail(f"tesseract language data missing (run scripts/setup.sh): {sorted(missing)}")


@pytest.fixture(scope="module")
def verdicts():
    _require_tesseract()
    from ocr_judge import judge_all

    return judge_all()


OCR_SCRIPTS = ["Latin", "Cyrillic", "Greek", "Chinese", "Japanese", "Korean", "Arabic", "Hebrew", "Devanagari", "Thai"]


@pytest.mark.ocr
@pytest.mark.parametrize("background", ["plain", "photo", "textured"])
@pytest.mark.parametrize("script", OCR_SCRIPTS)
def test_ocr_reads_back_what_was_drawn(verdicts, script: str, background: str) -> None:
    mine = [v for v in verdicts if v.sample.script == script and v.background == background]
    assert len(mine) >= 2
    for v in mine:
        assert v.accuracy >= 0.95, f"{v.sample.text!r} read as {v.reading!r} ({v.accuracy:.2f})"


@pytest.mark.ocr
def test_ocr_judge_catches_a_typo() -> None:
    _require_tesseract()
    from ocr_judge import Sample, char_accuracy, plain_background, read_text, render

    image, used = render(Sample("Latin", "Fresh Cofee Daily", "eng"), plain_background())
    score = char_accuracy("Fresh Coffee Daily", read_text(image, used, "eng"))
    assert 0.8 < score < 1.0


@pytest.mark.ocr
@pytest.mark.parametrize(("string", "lang"), [("ברוכים הבאים", "heb"), ("قهوة عربية طازجة", "ara")])
def test_ocr_judge_fails_unshaped_right_to_left_text(basic_layout: None, string: str, lang: str) -> None:
    _require_tesseract()
    from ocr_judge import Sample, judge, plain_background

    assert judge(Sample("RTL", string, lang), "plain", plain_background()).accuracy < 0.6
