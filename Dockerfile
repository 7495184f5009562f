# The portal's image: one image for web (gunicorn), worker and beat; docker-compose.yml picks the command.
# Build stage: dependencies from uv.lock, compiled translations, collected static files.
FROM python:3.11-slim AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# The uv that reads this lock format; `--build-arg UV_VERSION=...` to move it.
ARG UV_VERSION=0.13.9
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext nodejs npm \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir "uv==${UV_VERSION}"

WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
# Apache ECharts for the statistics page, from the npm registry as package-lock.json pins it (not axe-core, a
# test tool); collectstatic below copies it into the static files, so the runtime image needs no Node.js.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

COPY . .
# A throwaway key: settings refuse to load without one, and nothing here signs anything.
RUN export SECRET_KEY=build-only-not-a-secret STATIC_MANIFEST=true \
    && if find . -path '*/LC_MESSAGES/*.po' | grep -q .; then python manage.py compilemessages --ignore=var; fi \
    && python manage.py collectstatic --noinput --verbosity 0

# Runtime stage: no compiler, no gettext, no uv; a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    STATIC_MANIFEST=true \
    PORT=8000

# Pango and a CJK font, for WeasyPrint's PDF of the application form (projects/pdf.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home portal
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=root:root /app /app
# Writable only where the portal writes: uploads (when not on S3) and beat's schedule.
RUN mkdir -p /app/var/media /app/var/celery && chown -R portal:portal /app/var/media /app/var/celery

WORKDIR /app
USER portal
EXPOSE 8000

# WEB_CONCURRENCY is read by gunicorn itself: worker processes per container.
CMD ["sh", "-c", "exec gunicorn portal.wsgi:application --bind 0.0.0.0:${PORT} --worker-tmp-dir /dev/shm --no-control-socket --access-logfile -"]
