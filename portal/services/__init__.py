"""The rules of the portal, free of request and session objects."""
