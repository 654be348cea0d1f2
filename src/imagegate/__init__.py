"""imagegate: a self-hosted image generation service that speaks OpenAI's Images API."""

__version__ = "0.1.0"
