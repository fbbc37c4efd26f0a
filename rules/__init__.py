"""Event detection and deduplication: pure functions, no I/O, no clock, no SQLite."""
