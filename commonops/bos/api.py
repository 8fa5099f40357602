"""API of the bos app, registered on the shared router."""
