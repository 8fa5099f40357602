"""API of the results app, registered on the shared router."""
