"""gunicorn settings for production (README, "Déployer"):
`gunicorn -c deploy/gunicorn.conf.py learning_platform.wsgi`.

Each value can be overridden from the environment (GUNICORN_*)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: each serves one request at a time, and the app's requests
# are short (no request waits on e-mail: that is the worker's job). Two per
# core, plus one, keeps the cores busy while a request waits on the database.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# A request taking longer than this is killed and its worker replaced: long
# enough for the slowest page (a 1,000-learner CSV), short enough that a
# stuck worker is noticed. Behind the proxy, keep its read timeout above it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# A restart or a deploy lets requests in flight finish for this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Keep-alive between the proxy and gunicorn (the proxy holds the clients').
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# Each worker is replaced after this many requests (spread by the jitter, so
# that they do not all restart at once): a slow leak in a library cannot
# grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 200))
# The proxy in front sets X-Forwarded-For/-Proto; trust it only from there.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
