# The platform's image (README, "Déployer"): the app served by gunicorn; the
# same image runs the background worker and its scheduler (compose.yaml).
# Not built in this project's CI (no container engine there): kept minimal
# and conventional.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
COPY . .
RUN pip install --no-deps --upgrade pip \
 && pip install ".[deploy]" \
 && python -m babel.messages.frontend compile -d locale -D django -l fr \
 && DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 app && mkdir -p /srv/media && chown app /srv/media
USER app
ENV MEDIA_ROOT=/srv/media
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "learning_platform.wsgi"]
