"""USB sync: package format, signatures, hybrid clock and merge."""
