class ImportFailure(Exception):
    """A file that cannot be imported; the message tells the user why, in their terms."""
