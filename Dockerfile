# Over-Graph production image: one image for web (gunicorn), Celery worker, Celery beat and the
# migrate job of docker-compose.yml. Settings come from the environment (README, "Configuration").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OVERGRAPH_MODE=production \
    OVERGRAPH_VAR_DIR=/app/var

# gettext: compilemessages below (msgfmt).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 overgraph \
    && useradd --system --uid 1000 --gid overgraph --home-dir /app --shell /usr/sbin/nologin overgraph

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

# Code stays owned by root: the app user may write only to /app/var (media, scratch).
COPY . .

# Build-time only: production settings refuse to load without their secrets, and neither step below
# signs or encrypts anything. The real ones come from DJANGO_SECRET_KEY(_FILE) and
# TOKEN_ENCRYPTION_KEYS(_FILE) at run time; these never leave this RUN step.
RUN export DJANGO_SECRET_KEY=build-only-not-a-secret \
        TOKEN_ENCRYPTION_KEYS=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
    && if find . -name '*.po' -not -path './.venv/*' | grep -q .; then \
        python manage.py compilemessages --ignore=.venv; \
    fi \
    && python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media \
    && chown -R overgraph:overgraph /app/var /app/staticfiles

USER overgraph
EXPOSE 8000

# WEB_CONCURRENCY (read by gunicorn) sets the number of workers; each serves 4 requests at once in
# threads (the waits on PostgreSQL and Redis), as bench/load.py measures it (docs/performance.md
# "Load": one worker per core). GUNICORN_CMD_ARGS can override both.
ENV GUNICORN_CMD_ARGS="--worker-class gthread --threads 4"
CMD ["gunicorn", "overgraph.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
