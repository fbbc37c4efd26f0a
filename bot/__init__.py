"""The releasewatch application: storage, pipeline, Telegram bot and CLI."""
