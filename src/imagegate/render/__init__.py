"""Rendering: text shaping and fonts, composition primitives, encoders."""
