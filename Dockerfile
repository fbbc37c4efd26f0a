# releasewatch: one process, one SQLite file on a volume, running as an unprivileged user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RELEASEWATCH_DB=/data/releasewatch.db \
    RELEASEWATCH_HEALTH_FILE=/data/health.json

WORKDIR /app
COPY pyproject.toml README.md constraints.txt ./
COPY bot ./bot
COPY feeds ./feeds
COPY rules ./rules
RUN pip install --constraint constraints.txt . \
    && groupadd --system --gid 10001 releasewatch \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin releasewatch \
    && mkdir -p /data && chown 10001:10001 /data

USER 10001:10001
VOLUME ["/data"]

# The service rewrites the health file after every poll cycle; stale or failing means unhealthy.
HEALTHCHECK --interval=60s --timeout=10s --start-period=120s --retries=3 \
    CMD ["releasewatch", "health"]

# Exec form: Python is PID 1 and receives SIGTERM itself; `run` shuts down gracefully on it.
ENTRYPOINT ["releasewatch"]
CMD ["run"]
