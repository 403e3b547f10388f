"""API of quiz attempts: the same services and selectors as the quiz pages
(quizzes/views.py), the same secrecy of the answer key.

- ``POST /api/v1/quizzes/{unit_id}/attempts/``: open an attempt at a quiz
  grain of a published course (or get back the one already open).
- ``GET /api/v1/attempts/{id}/``: the learner's own attempt. Open: its
  questions and choices only. Submitted: the result, revealing what the
  result page reveals and nothing more.
- ``POST /api/v1/attempts/{id}/submit/``: score it, once; a second
  submission is a 409.

Anyone else's attempt is a 404, staff included, as on the pages.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from learning_platform.api_support import Conflict, ErrorSerializer, LinkField, RequestInvalid
from learning_platform.inputs import ApiIdField
from learning_platform.validators import validate_single_line

from . import selectors, services
from .models import Attempt, Question, Quiz
from .pages import attempt_or_404, attempt_result_page, quiz_or_404


def _attempt_api_path(attempt: Attempt) -> str:
    return reverse("api:attempt-detail", args=[attempt.pk])


class AttemptRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField(_attempt_api_path)


class PastAttemptSerializer(AttemptRefSerializer):
    submitted_at = serializers.DateTimeField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    passed = serializers.BooleanField()


class QuizMetaSerializer(serializers.Serializer):
    """A quiz grain's quiz and where the learner stands: no question here."""

    unit_id = serializers.IntegerField()
    pass_mark = serializers.IntegerField(help_text="Percent.")
    attempts_allowed = serializers.IntegerField(allow_null=True, help_text="Null: unlimited.")
    questions_per_attempt = serializers.IntegerField(
        allow_null=True, help_text="Null: the whole pool."
    )
    feedback = serializers.ChoiceField(choices=Quiz.Feedback.choices)
    attempts_used = serializers.IntegerField(help_text="In the current set of attempts.")
    attempts_left = serializers.IntegerField(
        allow_null=True, help_text="In the current set, tutors' grants included. Null: unlimited."
    )
    retry_at = serializers.DateTimeField(
        allow_null=True,
        help_text="While the set is used up: when a new set of attempts opens.",
    )
    best_score = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    passed = serializers.BooleanField()
    can_start = serializers.BooleanField(
        help_text="An attempt may be opened now (quizzes open once the course is published)."
    )
    start_url = LinkField(lambda meta: reverse("api:attempt-start", args=[meta["unit_id"]]))
    open_attempt = AttemptRefSerializer(allow_null=True)
    past_attempts = PastAttemptSerializer(many=True, help_text="The latest ten, newest first.")


def quiz_meta(*, request: Request, panel: selectors.QuizPanel) -> dict:
    """The quiz panel of the unit page (courses.pages), for QuizMetaSerializer."""
    quiz, status_ = panel.quiz, panel.status
    return {
        "unit_id": quiz.unit_id,
        "pass_mark": quiz.pass_mark,
        "attempts_allowed": quiz.attempts_allowed,
        "questions_per_attempt": quiz.questions_per_attempt,
        "feedback": quiz.feedback,
        "attempts_used": status_.attempts_used,
        "attempts_left": status_.attempts_left,
        "retry_at": status_.retry_at,
        "best_score": status_.best_score,
        "passed": status_.passed,
        "can_start": panel.can_start,
        "open_attempt": status_.open_attempt,
        "past_attempts": panel.past_attempts,
    }


class FormChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class FormQuestionSerializer(serializers.Serializer):
    """A question of an open attempt: what the learner needs to answer, and
    nothing that tells the answer."""

    id = serializers.IntegerField()
    number = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    prompt_html = serializers.CharField(help_text="Sanitised HTML.")
    points = serializers.IntegerField()
    choices = FormChoiceSerializer(many=True, help_text="In the order drawn; empty for text.")


class ResultChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    chosen = serializers.BooleanField()
    is_correct = serializers.BooleanField(
        allow_null=True, help_text="Null while the right answers are withheld."
    )
    feedback_html = serializers.CharField(help_text="Empty when withheld.")


class ResultQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    prompt_html = serializers.CharField()
    points = serializers.IntegerField()
    points_awarded = serializers.DecimalField(
        max_digits=8, decimal_places=2, coerce_to_string=False
    )
    is_correct = serializers.BooleanField()
    choices = ResultChoiceSerializer(many=True)
    given_text = serializers.CharField(help_text="The text or number typed.")
    right_answer = serializers.CharField(help_text="Text and numeric questions; empty if withheld.")
    explanation_html = serializers.CharField(help_text="Empty when withheld.")


class AttemptResultSerializer(serializers.Serializer):
    """A submitted attempt's result, as its result page shows it."""

    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False, help_text="Percent."
    )
    points = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False)
    max_points = serializers.DecimalField(max_digits=8, decimal_places=2, coerce_to_string=False)
    passed = serializers.BooleanField()
    pass_mark = serializers.IntegerField()
    reveal = serializers.BooleanField(help_text="Right answers and explanations are shown.")
    show_feedback = serializers.BooleanField(
        help_text="Per-question results are shown (false when the quiz never gives feedback)."
    )
    attempts_left = serializers.IntegerField(allow_null=True)
    retry_at = serializers.DateTimeField(
        allow_null=True, help_text="When no attempt is left: when a new set opens."
    )
    can_start = serializers.BooleanField(help_text="Another attempt may be opened.")
    course_completed = serializers.BooleanField()
    questions = ResultQuestionSerializer(many=True)


class AttemptSerializer(serializers.Serializer):
    """A learner's attempt. While open, ``questions`` holds the questions and
    choices only and ``result`` is null; once submitted, ``questions`` is
    empty and ``result`` holds the score and what the quiz reveals."""

    id = serializers.IntegerField()
    url = LinkField(lambda payload: _attempt_api_path(payload["attempt"]))
    unit_id = serializers.IntegerField()
    course = serializers.SlugField(help_text="The course's slug.")
    unit = serializers.SlugField(help_text="The quiz grain's slug.")
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    submit_url = LinkField(
        lambda payload: (
            None
            if payload["attempt"].is_submitted
            else reverse("api:attempt-submit", args=[payload["attempt"].pk])
        ),
        allow_null=True,
    )
    questions = FormQuestionSerializer(many=True)
    result = AttemptResultSerializer(allow_null=True)


def _attempt_payload(request: Request, attempt: Attempt) -> dict:
    quiz = attempt.quiz
    result = None
    questions = []
    if attempt.is_submitted:
        page = attempt_result_page(learner=request.user, attempt=attempt)
        outcome = page.outcome
        result = {
            "score": attempt.score,
            "points": attempt.points,
            "max_points": attempt.max_points,
            "passed": attempt.passed,
            "pass_mark": quiz.pass_mark,
            "reveal": outcome.reveal,
            "show_feedback": outcome.show_feedback,
            "attempts_left": outcome.status.attempts_left,
            "retry_at": outcome.status.retry_at,
            "can_start": outcome.status.can_start,
            "course_completed": page.progress.completed,
            "questions": outcome.results,
        }
    else:
        questions = selectors.attempt_form_questions(attempt=attempt)
    return {
        "attempt": attempt,
        "id": attempt.pk,
        "unit_id": quiz.unit_id,
        "course": quiz.unit.course.slug,
        "unit": quiz.unit.slug,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "questions": questions,
        "result": result,
    }


def _attempt_response(request: Request, attempt: Attempt, status_code: int = 200) -> Response:
    data = AttemptSerializer(_attempt_payload(request, attempt), context={"request": request}).data
    return Response(data, status=status_code)


class AttemptStartView(APIView):
    """A logged-in learner, at a quiz grain of a published course."""

    permission_classes = [IsAuthenticated]
    throttle_scope = "quiz"

    @extend_schema(
        operation_id="attempts_start",
        request=None,
        responses={
            201: OpenApiResponse(AttemptSerializer, description="A new attempt was opened."),
            200: OpenApiResponse(AttemptSerializer, description="The attempt already open."),
            409: OpenApiResponse(
                ErrorSerializer, description="No attempts left, or the quiz has no questions."
            ),
        },
        tags=["quizzes"],
    )
    def post(self, request: Request, unit_id: int) -> Response:
        quiz = quiz_or_404(unit_id=unit_id)
        already_open = selectors.open_attempt(learner=request.user, quiz=quiz) is not None
        try:
            attempt = services.attempt_start(learner=request.user, quiz=quiz)
        except services.QuizError as error:
            raise Conflict(error.message) from error
        attempt.quiz = quiz  # with its unit and course, already fetched
        code = status.HTTP_200_OK if already_open else status.HTTP_201_CREATED
        return _attempt_response(request, attempt, code)


class AttemptDetailView(APIView):
    """The learner who owns the attempt."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="attempts_retrieve", responses=AttemptSerializer, tags=["quizzes"])
    def get(self, request: Request, attempt_id: int) -> Response:
        return _attempt_response(
            request, attempt_or_404(learner=request.user, attempt_id=attempt_id)
        )


class AnswerSerializer(serializers.Serializer):
    question = ApiIdField(help_text="A question id of the attempt.")
    choices = serializers.ListField(
        child=ApiIdField(),
        required=False,
        max_length=50,
        help_text="Choice questions: the ids of the choices ticked (one for single and "
        "true/false).",
    )
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        validators=[validate_single_line],
        help_text="Short text and numeric questions: the answer typed (`3,5` or `3.5`).",
    )


class AttemptSubmitSerializer(serializers.Serializer):
    answers = AnswerSerializer(
        many=True,
        max_length=500,
        help_text="One entry per question answered; a question left out scores zero.",
    )

    def validate_answers(self, answers: list[dict]) -> list[dict]:
        seen = set()
        for answer in answers:
            if answer["question"] in seen:
                raise serializers.ValidationError(_("Answer each question once."))
            seen.add(answer["question"])
        return answers

    def service_answers(self) -> tuple[dict[str, list[str]], dict[int, int]]:
        """The answers as the service takes them (what a page form posts), and
        each question's index in the request, to point errors at it."""
        answers, index = {}, {}
        for position, answer in enumerate(self.validated_data["answers"]):
            values = [str(c) for c in answer.get("choices", [])]
            if "text" in answer:
                values.append(answer["text"])
            answers[str(answer["question"])] = values
            index[answer["question"]] = position
        return answers, index


class AttemptSubmitView(APIView):
    """The learner who owns the attempt, once."""

    permission_classes = [IsAuthenticated]
    throttle_scope = "quiz"

    @extend_schema(
        operation_id="attempts_submit",
        request=AttemptSubmitSerializer,
        responses={
            200: OpenApiResponse(AttemptSerializer, description="Scored: the result."),
            400: OpenApiResponse(
                ErrorSerializer,
                description="Answers that cannot be scored; `errors` points at them "
                "(`answers.<index>`). Nothing is recorded.",
            ),
            409: OpenApiResponse(ErrorSerializer, description="Already submitted."),
        },
        tags=["quizzes"],
    )
    def post(self, request: Request, attempt_id: int) -> Response:
        attempt = attempt_or_404(learner=request.user, attempt_id=attempt_id)
        body = AttemptSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answers, index = body.service_answers()
        try:
            attempt = services.attempt_submit(
                learner=request.user, attempt=attempt, answers=answers
            )
        except services.AttemptInvalid as error:
            errors = {
                f"answers.{index[qid]}" if qid in index else "answers": [message]
                for qid, message in error.errors.items()
            }
            raise RequestInvalid(error.message, errors) from error
        except services.AttemptAlreadySubmitted as error:
            raise Conflict(error.message) from error
        return _attempt_response(request, attempt)
