"""Image storage: where generated files live, and the signed URLs that reach them."""
