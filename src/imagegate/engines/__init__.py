"""Image engines: the built-in renderer, diffusers pipelines, upstream providers."""
