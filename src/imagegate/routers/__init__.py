"""HTTP routers: thin handlers that parse, call a service and return its answer."""
