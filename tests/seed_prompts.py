"""The seed document's example prompts, shared by the tests."""

WATCH = """
A product advertisement for a luxury watch brand.
The watch should be centered on a dark marble surface.
Dramatic side lighting highlights the metal case.
Include the text 'Precision. Perfected.' in elegant serif font in the upper right.
Wide format suitable for a magazine spread.
"""
HEADSHOT = "A professional headshot of a woman in her 30s, soft studio lighting, neutral background, photorealistic"
IPHONE = """A product launch poster for the latest iPhone.
Research the current iPhone model's design and use it as visual reference.
Modern Apple aesthetic, clean white background.
"""
