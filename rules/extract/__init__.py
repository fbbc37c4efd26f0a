"""Extractors the detection engine runs on an article: numbers, dates, people, places."""
