"""Services: the request pipeline between the HTTP layer and the engines."""
