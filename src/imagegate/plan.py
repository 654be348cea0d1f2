"""Engine-neutral scene plan: what the planner ("thinking mode") makes of a prompt.

A plan is plain frozen data. Every engine can read it: the built-in renderer draws it, a
diffusion engine turns it back into a prompt, and the typography overlay sets its text
elements exactly after any engine has run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class TextElement:
    """One exact string to set in the image."""

    text: str
    style: str = "sans"  # sans | serif | script | mono | display
    weight: str = "regular"  # regular | bold
    position: str = "center"  # center, top, bottom, upper right, lower left, left, ...
    size: str = "medium"  # small | medium | large | headline
    color: RGB | None = None  # None: the renderer picks a colour that contrasts
    language: str | None = None  # BCP-47 hint for Han text (zh-Hans, ja, ko, ...)


@dataclass(frozen=True)
class Subject:
    """Something to depict, and where."""

    name: str  # the noun phrase from the prompt ("luxury watch")
    kind: str = "object"  # watch, person, tree, building, animal, bottle, object, ...
    placement: str = "center"  # center, left third, right third, upper left, ...
    scale: float = 0.45  # fraction of the short canvas side
    color: RGB | None = None


@dataclass(frozen=True)
class Plan:
    """The structured reading of one prompt."""

    prompt: str
    complexity: float = 0.0
    thinking: bool = False
    aspect: str | None = None  # landscape | portrait | square | None (no hint)
    background: str = "gradient"  # gradient, marble, wood, paper, sky, bokeh, studio, plain, ...
    setting: str | None = None
    palette: tuple[RGB, ...] = ()
    lighting: str | None = None  # dramatic side, soft studio, golden hour, backlit, neon, ...
    light_direction: str | None = None  # left | right | top | front | back
    subjects: tuple[Subject, ...] = ()
    texts: tuple[TextElement, ...] = ()
    mood: str | None = None
    transparent: bool = False  # the prompt itself asks for a transparent background
    notes: tuple[str, ...] = field(default=())  # the planner's reasoning steps, for debugging

    def to_dict(self) -> dict:
        """The plan as JSON-ready data."""
        return asdict(self)
