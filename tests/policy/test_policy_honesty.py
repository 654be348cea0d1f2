"""The labelled prompts' test split stays held out: nothing in the shipped policy can only have
come from it, and the split is a fixed function of each prompt's text.

"Occurs" is what the rule layer itself matches (benchmarks/moderation_quality.py,
`occurrences`): a term occurs in a prompt when its pattern — whole words of the normalised text
(case, accents, look-alikes, leetspeak and spacing undone), an optional plural "s"/"es",
`word*` as a prefix — is found there; an operator regex when it is found in the normalised
text. The allow-list is not applied. A phrase that occurs in some test prompt and in no dev
prompt fails; one in both, or in neither (general vocabulary, other languages), is fine. A
semantic exemplar fails when it is a near copy of a test prompt (half or more of its words in
common) and no dev prompt is as near.

The one exception is the policy's `[core_vocabulary]`: harmful-side category terms and lexicon
words named a priori from the category definitions, taken out at the re-split because test
prompts contain them and put back because a product's policy must name them. It is held to
`CORE_VOCABULARY` below, term by term, and to the harmful side (no allow-list phrase, pattern or
exemplar can be there; the loader refuses them too). A phrase anywhere else in the policy that
only test prompts contain still fails.
"""

from __future__ import annotations

import copy
import json
import re
import sys
import tomllib
from pathlib import Path

import pytest

from imagegate.policy.normalize import normalize
from imagegate.policy.rules import CORE, PolicyError, compile_policy, default_policy_text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import moderation_quality  # noqa: E402


# The policy's [core_vocabulary] section, exactly (where -> terms, all languages together). These
# are the harmful-side terms the dev/test re-split took out (each occurs in a test prompt and in
# no dev prompt) and that were put back as vocabulary any content policy names a priori; none of
# the allow-list phrases, patterns or exemplars taken out with them came back. Adding a term
# here (and to the policy's section) needs a comment saying why it is named a priori, and never
# because a test prompt is missed: that is how the test split stops being held out.
CORE_VOCABULARY: dict[str, list[str]] = {
    "lexicons.minor": [
        "minor", "teen", "teenager", "young boy", "enfant", "儿童",
    ],
    "lexicons.target": [
        "mi companera",
        "meinem klassenkameraden",
    ],
    "categories.sexual.strong": [
        "sexually explicit", "sex tape", "intercourse", "blowjob", "masturbat*", "orgy", "genital*", "vagina",
        "oral sex", "hardcore", "exposed breasts", "fully naked", "legs spread", "faire lamour", "masturb*",
        ],
    "categories.sexual.medium": [
        "making love", "bdsm", "stripper", "pussy", "sexuel*", "explicite", "sexuell*", "nackt*", "explizit",
        "секс*", "голая", "откровенн*",
    ],
    "categories.sexual.weak": [
        "bondage", "breast", "breasts",
    ],
    "categories.sexual/minors.strong": [
        "csam", "shotacon", "pornografia infantil", "enfant nu", "儿童色情",
    ],
    "categories.violence/graphic.strong": [
        "behead*", "dismember*", "severed head", "brains splattered", "intestines spilling", "mass shooting",
        "snuff", "skinned alive", "blood spraying", "pool of blood", "dead bodies everywhere",
        "blood everywhere", "stabbed repeatedly", "decapitad*", "lleno de sangre", "demembre*",
        "baignant dans le sang", "enthauptet*", "blutlache", "обезглавлен*", "в крови",
    ],
    "categories.violence/graphic.medium": [
        "dead bodies", "stab*", "gunshot wound", "murder victim", "intestines", "cadavre*", "leiche*",
    ],
    "categories.violence/graphic.weak": [
        "wound", "sangre", "sang", "крови",
    ],
    "categories.self-harm.strong": [
        "self harm", "kill himself", "kill herself", "slit their wrists", "pro ana", "starve yourself",
        "overdosing on purpose", "self harm scars", "sich umbring*",
    ],
    "categories.self-harm.medium": [
        "noose", "overdos*", "jump off a bridge", "skin and bones", "nobody will miss you", "umbring*",
    ],
    "categories.self-harm.weak": [
        "scars", "starve", "jump off",
    ],
    "categories.hate.strong": [
        "heil hitler", "hitler salute", "1488", "vergast sie", "vergast",
    ],
    "categories.hate.medium": [
        "genocide", "racism", "exterminate them", "should be burned", "exterminer", "a exterminer", "уничтожить их",
    ],
    "categories.hate.weak": [
        "freaks", "diseased",
    ],
    "categories.harassment.strong": [
        "kill herself", "kill himself", "i know where you live", "make her life hell", "you will be dead",
        "cyberbully*", "doxx*", "retard", "que se mate",
        "soll sich umbringen",
    ],
    "categories.harassment.medium": [
        "home address", "threatening", "threaten*", "freak",
    ],
    "categories.illicit.strong": [
        "cook meth", "pipe bomb", "molotov cocktail", "ghost gun", "fake passport", "fake driver's license",
        "fake drivers license", "card skimmer", "crack cocaine", "ricin", "homemade explosive*", "smuggle cocaine",
        "synthesize fentanyl", "метамфетамин",
    ],
    "categories.illicit.medium": [
        "meth", "smuggl*", "untraceable", "skimmer", "full auto",
    ],
    "categories.illicit.weak": [
        "explosive", "cocaine", "synthesize", "как сварить",
    ],
}


def _core_entries(raw: dict) -> set[tuple[str, str]]:
    """(where, term) of every term of the policy's core vocabulary, `where` without the prefix."""
    return {(where.removeprefix(f"{CORE}."), phrase) for where, phrase, _ in moderation_quality.policy_phrases(raw)
            if where.startswith(f"{CORE}.")}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return moderation_quality.load_prompts()


@pytest.fixture(scope="module")
def raw() -> dict:
    return tomllib.loads(default_policy_text())


def test_no_policy_phrase_or_exemplar_comes_only_from_the_test_split(raw, rows):
    leaks = moderation_quality.policy_leaks(raw, rows)
    assert leaks["phrases"] == [], "phrases only test prompts contain (remove them, or find dev evidence):\n" + "\n".join(leaks["phrases"])
    assert leaks["exemplars"] == [], f"semantic exemplars copied from test prompts: {leaks['exemplars']}"


def test_the_core_vocabulary_is_exactly_the_documented_list(raw, rows):
    documented = {(where, term) for where, terms in CORE_VOCABULARY.items() for term in terms}
    shipped = _core_entries(raw)
    assert shipped - documented == set(), "core vocabulary terms not in CORE_VOCABULARY (document them there, or take them out)"
    assert documented - shipped == set(), "CORE_VOCABULARY terms missing from the policy's [core_vocabulary]"
    # the only phrases that occur in test prompts alone are core terms, all of them documented
    leaks = moderation_quality.policy_leaks(raw, rows)
    assert {tuple(line.split(": ", 1)) for line in leaks["core"]} <= {(f"{CORE}.{w}", t) for w, t in documented}


def test_the_core_vocabulary_is_harmful_side_only(raw):
    core = raw[CORE]
    assert set(core) <= {"categories", "lexicons"}  # no allow-list, no semantic exemplars or settings
    for cat, table in core.get("categories", {}).items():
        assert set(table) <= {"strong", "medium", "weak"}, f"{cat}: only term lists, no patterns"
        assert all(not isinstance(terms, dict) or "patterns" not in terms for terms in table.values())
    # a lexicon only ever raises a score: combinations, and the semantic layer's requires_lexicon
    raising = {c["lexicon"] for c in raw.get("combinations", [])} | set(raw.get("semantic", {}).get("requires_lexicon", {}).values())
    for name, table in core.get("lexicons", {}).items():
        assert name in raising, f"lexicon {name} is not one that raises a score"
        assert not isinstance(table, dict) or "patterns" not in table
    # no core term is itself an allow-list phrase: nothing in the section is an exception
    allow = {normalize(a) for a in moderation_quality._terms(raw.get("allow"))}
    for where, term in _core_entries(raw):
        word = normalize(term.rstrip("*"))
        assert word not in allow, f"{where}: {term} is an allow-list phrase"
    # and its terms appear nowhere else in the policy, so that the two parts can be told apart
    elsewhere = {(w, p) for w, p, _ in moderation_quality.policy_phrases(raw) if not w.startswith(f"{CORE}.")}
    assert _core_entries(raw) & elsewhere == set()


@pytest.mark.parametrize("section", [
    {"allow": ["great tit"]},
    {"categories": {"hate": {"patterns": [{"weight": "strong", "regex": "x"}]}}},
    {"categories": {"hate": {"strong": {"en": ["x"], "patterns": ["y"]}}}},
    {"lexicons": {"minor": {"patterns": ["x"]}}},
    {"lexicons": {"benign": ["x"]}},
    {"semantic": {"exemplars": {}}},
])
def test_the_loader_refuses_anything_but_harmful_terms_in_the_core_vocabulary(raw, section):
    policy = copy.deepcopy(raw)
    policy[CORE] = section
    with pytest.raises(PolicyError):
        compile_policy(policy)


def test_the_core_vocabulary_only_adds_hits(raw, rows):
    """With the core vocabulary every category scores at least what it scores without it, on dev
    prompts and on sentences made of the core terms themselves."""
    shipped, bare = compile_policy(raw), compile_policy(raw, core=False)
    texts = [r["text"] for r in rows if r["split"] == "dev"]
    texts += [f"a picture of {term.rstrip('*')} with a child" for _, term in sorted(_core_entries(raw))]
    for text in texts:
        with_core, without_core = shipped.score(text)[0], bare.score(text)[0]
        assert all(with_core.get(c, 0.0) >= s for c, s in without_core.items()), text
    for where, term in sorted(_core_entries(raw)):  # each term is compiled in, where it says
        kind, name, *strength = where.split(".")
        if kind == "lexicons":
            assert term in shipped.lexicons[name].labels and term not in bare.lexicons[name].labels
            assert shipped.lexicon_hit(name, f"a picture of {term.rstrip('*')}")
        else:
            assert term in shipped.categories[name][strength[0]].labels, where + ": " + term
            without = bare.categories.get(name, {}).get(strength[0])
            assert without is None or term not in without.labels


def test_a_test_only_term_in_the_core_vocabulary_is_not_hidden(raw, rows):
    planted = _phrase_only_in(rows, "test")
    policy = copy.deepcopy(raw)
    policy[CORE]["categories"]["hate"]["weak"] = {"en": [planted]}
    leaks = moderation_quality.policy_leaks(policy, rows)
    assert leaks["phrases"] == []
    assert f"{CORE}.categories.hate.weak: {planted}" in leaks["core"]
    assert ("categories.hate.weak", planted) in _core_entries(policy) - {(w, t) for w, ts in CORE_VOCABULARY.items() for t in ts}


def test_the_split_is_a_function_of_the_normalised_text(rows):
    stored = [json.loads(line) for line in moderation_quality.FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert all("split" not in r for r in stored)  # computed, never edited by hand
    assert [r["split"] for r in rows] == [moderation_quality.split_of(r["text"]) for r in rows]
    test_share = sum(r["split"] == "test" for r in rows) / len(rows)
    assert 0.4 <= test_share <= 0.6
    for r in rows[:40]:  # spellings that normalise alike land in the same split
        disguised = r["text"].upper().replace("a", "4").replace("A", "4")
        if normalize(disguised) == normalize(r["text"]):
            assert moderation_quality.split_of(disguised) == r["split"]
        spaced = "\u200b" + r["text"] + "  "
        assert moderation_quality.split_of(spaced) == r["split"]


def _phrase_only_in(rows: list[dict], split: str) -> str:
    """Two words in a row from a prompt of `split` that no prompt of the other split has."""
    other = " | ".join(normalize(r["text"]) for r in rows if r["split"] != split)
    for r in rows:
        if r["split"] != split or r["lang"] != "en":
            continue
        words = re.findall(r"[a-z]+", normalize(r["text"]))
        for a, b in zip(words, words[1:]):
            if len(a) > 3 and len(b) > 3 and not re.search(rf"(?<![^\W_]){a}[\W_]+{b}", other):
                return f"{a} {b}"
    raise AssertionError(f"no phrase only {split} has")


def test_the_check_catches_a_phrase_planted_from_the_test_split(raw, rows):
    planted = _phrase_only_in(rows, "test")
    from_dev = _phrase_only_in(rows, "dev")
    policy = copy.deepcopy(raw)
    policy["allow"]["en"] = [*policy["allow"]["en"], planted, from_dev]
    policy["categories"]["hate"]["weak"]["en"] = [*policy["categories"]["hate"]["weak"]["en"], planted]
    policy["categories"]["illicit"]["patterns"] = [*policy["categories"]["illicit"]["patterns"],
                                                   {"weight": "strong", "regex": planted.replace(" ", r"\s+")}]
    leaks = moderation_quality.policy_leaks(policy, rows)["phrases"]
    assert sorted(leaks) == sorted([f"allow: {planted}", f"categories.hate.weak: {planted}",
                                    f"categories.illicit.patterns: {planted.replace(' ', chr(92) + 's+')}"])


def test_the_check_reads_text_as_the_rules_do(raw, rows):
    """A term written in leetspeak, capitals or the plural in a prompt still occurs there; a term
    that is only part of a longer word does not."""
    planted = _phrase_only_in(rows, "test")
    first, second = planted.split()
    disguised = first.upper().replace("E", "3").replace("A", "4").replace("O", "0")
    prompts = [r for r in rows if r["split"] == "dev"] + [{"text": f"a {disguised} -- {second}s here", "split": "test"}]
    policy = copy.deepcopy(raw)
    inside = first[1:]  # the planted word without its first letter
    policy["categories"]["hate"]["weak"]["en"] = [*policy["categories"]["hate"]["weak"]["en"], planted, inside]
    found = moderation_quality.occurrences(policy, prompts)
    assert found[("categories.hate.weak", planted)] == {"test"}
    assert "test" not in found[("categories.hate.weak", inside)]


def test_the_check_catches_an_exemplar_copied_from_a_test_prompt(raw, rows):
    prompt = next(r for r in rows if r["split"] == "test" and len(r["text"].split()) >= 6 and r["lang"] == "en")
    policy = copy.deepcopy(raw)
    policy["semantic"]["exemplars"]["illicit"]["benign"].append(prompt["text"].upper())
    copies = moderation_quality.policy_leaks(policy, rows)["exemplars"]
    assert [text for text, _, _ in copies] == [prompt["text"].upper()]
