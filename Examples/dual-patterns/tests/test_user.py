class User:
    """A stand-in for tests: test folders are left out by default."""
