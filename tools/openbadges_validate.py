"""Check a live assertion with IMS Global's Open Badges 2.0 validator
(openbadges-validator-core, PyPI `openbadges` 1.1.2), offline: the OB v2
JSON-LD context, which the validator would fetch from w3id.org, is served
from the copy the validator ships.

The validator pins libraries too old for Python 3.11, so it lives in a venv
of its own, not in the project's:

    python3 -m venv /tmp/obv
    /tmp/obv/bin/pip install openbadges
    /tmp/obv/bin/pip install -U --no-deps "pycryptodome>=3.20" "python-jose>=3.3" \
        pytz "jsonschema<4" ecdsa rsa pyasn1
    /tmp/obv/bin/pip install -U attrs pyrsistent
    /tmp/obv/bin/python tools/openbadges_validate.py ASSERTION_URL EMAIL
"""

import json
import sys

import requests
from openbadges import verify
from openbadges.verifier.openbadges_context import (
    OPENBADGES_CONTEXT_V2_DICT,
)

_send = requests.adapters.HTTPAdapter.send


def send(self, request, **kwargs):
    if request.url.startswith("https://w3id.org/openbadges/v2"):
        response = requests.models.Response()
        response.status_code, response.url, response.request = 200, request.url, request
        response._content = json.dumps(OPENBADGES_CONTEXT_V2_DICT).encode()
        response.headers["Content-Type"] = "application/ld+json"
        return response
    return _send(self, request, **kwargs)


requests.adapters.HTTPAdapter.send = send

url, email = sys.argv[1], sys.argv[2]
report = verify(
    url,
    recipient_profile={"email": email},
)
print(json.dumps(report["report"], indent=1))
