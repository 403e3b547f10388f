#!/usr/bin/env bash
# Schemathesis against a live server: every operation of the API schema, as an
# anonymous client and as a learner with a personal token. Fails (nonzero exit)
# on any server error or any response that breaks the schema.
#
#   tests/api/run_schemathesis.sh            # about a minute
#   MAX_EXAMPLES=200 tests/api/run_schemathesis.sh
#
# A throwaway SQLite database gets the demo content and a learner who is
# enrolled, has completed a course (with its badge), submitted an attempt and
# left one open, so that their lists and attempts have real records to check.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

PY=.venv/bin/python
MAX_EXAMPLES=${MAX_EXAMPLES:-25}
CHECKS=not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance
WORK=$(mktemp -d)
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export DATABASE_URL="sqlite:///$WORK/api.sqlite3"
export DEBUG=true
unset REDIS_URL
# Rate limits out of the way: the run sends thousands of requests a minute.
# (tests/api/test_access.py proves the 429s.)
export API_THROTTLE_ANON=1000000/minute API_THROTTLE_USER=1000000/minute
export API_THROTTLE_QUIZ=1000000/minute

$PY manage.py migrate --noinput -v0
$PY manage.py load_content content/ >/dev/null
# The learner, their token, and the identifiers the run may use in paths (besides
# random ones): real course and grain slugs, quiz grains, the learner's own
# attempts, a spare token of theirs to revoke.
export ST_CONFIG="$WORK/schemathesis.toml"
TOKENS=$($PY manage.py shell -v0 -c '
import json
import os

from badges.services import award_all
from courses.models import Course, Unit
from learning_platform.services import api_token_create
from progress.services import unit_complete, unit_open
from quizzes.models import Attempt, Quiz
from quizzes.services import attempt_start, attempt_submit
from tests.factories import make_learner, right_answers

learner = make_learner(username="schemathesis", email="schemathesis@example.org")
first, second = Course.objects.published().order_by("title")[:2]
for unit in first.units.exclude(kind=Unit.Kind.QUIZ):
    unit_complete(learner=learner, unit=unit)
for quiz in Quiz.objects.filter(unit__course=first):
    attempt = attempt_start(learner=learner, quiz=quiz)
    attempt_submit(learner=learner, attempt=attempt, answers=right_answers(attempt))
award_all()
quiz = Quiz.objects.filter(unit__course=second).first()
unit_open(learner=learner, unit=quiz.unit)
attempt_start(learner=learner, quiz=quiz)
spare, _ = api_token_create(user=learner, name="spare")

def toml_list(values):
    return json.dumps(sorted(set(values)))

dictionaries = {
    "course_slugs": Course.objects.values_list("slug", flat=True),
    "unit_slugs": Unit.objects.values_list("slug", flat=True),
    "quiz_units": Quiz.objects.values_list("unit_id", flat=True),
    "attempts": Attempt.objects.filter(learner=learner).values_list("id", flat=True),
    "tokens": [spare.id],
}
bindings = {
    "path.slug": "course_slugs",
    "path.unit_slug": "unit_slugs",
    "path.unit_id": "quiz_units",
    "path.attempt_id": "attempts",
    "path.token_id": "tokens",
}
with open(os.environ["ST_CONFIG"], "w") as config:
    for name, values in dictionaries.items():
        config.write(f"[dictionaries.{name}]\nvalues = {toml_list(values)}\n\n")
    config.write("[parameters]\n")
    for key, name in bindings.items():
        config.write(f"\"{key}\" = {{ dictionary = \"{name}\", probability = 0.5 }}\n")
# Two tokens: revoking ends a token, so that operation runs last, on its own one.
print(api_token_create(user=learner, name="schemathesis")[1])
print(api_token_create(user=learner, name="schemathesis, revoking")[1])
')
TOKEN=$(echo "$TOKENS" | sed -n 1p)
REVOKING_TOKEN=$(echo "$TOKENS" | sed -n 2p)

PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
$PY manage.py runserver "127.0.0.1:$PORT" --noreload >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 60); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "$BASE/healthz" >/dev/null || { cat "$WORK/server.log"; exit 1; }

run() {
  local who=$1
  shift
  echo "-- schemathesis: $who --"
  # From the scratch directory: schemathesis's and hypothesis's caches stay out of the tree.
  (cd "$WORK" && "$ROOT/.venv/bin/schemathesis" --config-file "$ST_CONFIG" \
    run "$BASE/api/schema/?format=json" \
    --checks "$CHECKS" --max-examples "$MAX_EXAMPLES" --seed 1 --workers 1 --no-color "$@")
}

status=0
run "anonymous client" || status=1
run "learner with a token" -H "Authorization: Bearer $TOKEN" \
  --exclude-operation-id me_tokens_revoke || status=1
run "learner revoking tokens" -H "Authorization: Bearer $REVOKING_TOKEN" \
  --include-operation-id me_tokens_revoke || status=1
if grep -q "Internal Server Error\|Traceback" "$WORK/server.log"; then
  echo "The server logged an error:" && grep -B2 -A20 "Traceback" "$WORK/server.log" | head -80
  status=1
fi
exit $status
