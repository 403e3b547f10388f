import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings")
application = get_asgi_application()

from learning_platform.checks import refuse_insecure_key  # noqa: E402 (needs settings)

refuse_insecure_key()
