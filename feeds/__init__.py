"""Feed fetching, parsing and scheduling: a library that knows nothing of rules, bot or SQLite."""
