"""The app as the bench serves it, plus a bare Django reference.

``/bench/bare`` is answered by a Django handler with no middleware at all
and a URLconf of its own (bench/bare_urls.py): one ``SELECT 1``, like
/healthz, without the app's eleven middleware. Its rate is the second
reference of bench/RESULTS.md; /healthz's CPU per request less its own is
what the middleware stack costs. Every other path goes to the app
(``BENCH_WSGI_APP``'s target, learning_platform.wsgi by default).
"""

import os
from importlib import import_module

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler

_module, _name = os.environ.get("BENCH_APP", "learning_platform.wsgi:application").split(":")
app = getattr(import_module(_module), _name)

BARE_PATH = "/bench/bare"


class BareHandler(WSGIHandler):
    """Django's WSGI handler with an empty middleware chain and the bench's
    own URLconf: URL resolving, the view, the response, nothing else."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)

    def get_response(self, request):
        request.urlconf = "bench.bare_urls"
        return super().get_response(request)


bare = BareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == BARE_PATH:
        return bare(environ, start_response)
    return app(environ, start_response)
