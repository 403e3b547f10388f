"""Writes of the progress app: enrolments, completions, assignments and the
claims on the tutors' weekly digests.

Every service is idempotent: the same call twice, even at the same time
from two processes, leaves one enrolment and one completion.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.utils import timezone

from courses.models import Course, Unit

from .models import CohortCourse, Enrolment, TutorDigest, UnitCompletion
from .signals import course_completed


def enrolment_ensure(*, learner, course: Course, last_unit: Unit | None = None) -> Enrolment:
    """Enrol the learner on first entering the course; remember the last grain seen."""
    found = Enrolment.objects.filter(learner=learner, course=course).first()
    return _enrolment_kept(learner=learner, course=course, last_unit=last_unit, found=found)


def _enrolment_kept(
    *, learner, course: Course, last_unit: Unit | None, found: Enrolment | None
) -> Enrolment:
    """``enrolment_ensure`` from the enrolment already read (``found``; None
    when there was none)."""
    enrolment = found
    if enrolment is None:
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    learner=learner, course=course, last_unit=last_unit
                )
        except IntegrityError:
            # Another request enrolled the learner between our read and write.
            enrolment = Enrolment.objects.get(learner=learner, course=course)
    if last_unit is not None and enrolment.last_unit_id != last_unit.id:
        Enrolment.objects.filter(pk=enrolment.pk).update(
            last_unit=last_unit, last_activity_at=timezone.now()
        )
        enrolment.last_unit = last_unit
    return enrolment


def unit_open(*, learner, unit: Unit) -> Enrolment | None:
    """The learner opens a grain: in a published course, enrol them and
    remember the grain for resuming. Authors and staff preview drafts without
    recording anything. Returns the enrolment, or None when the course does
    not record progress."""
    if not unit.course.is_published:
        return None
    return enrolment_ensure(learner=learner, course=unit.course, last_unit=unit)


def unit_complete(*, learner, unit: Unit) -> bool:
    """Record that the learner completed the grain. Returns True when this
    call created the completion, False when it already existed. Completes
    the course (and announces it after commit) once every required grain is."""
    # No savepoint of its own when called inside a transaction (a quiz
    # submission): an error here fails the caller's transaction anyway.
    with transaction.atomic(savepoint=False):
        # One read: the enrolment, and whether the grain is done already.
        found = (
            Enrolment.objects.filter(learner=learner, course=unit.course)
            .annotate(unit_done=Exists(UnitCompletion.objects.filter(learner=learner, unit=unit)))
            .first()
        )
        enrolment = _enrolment_kept(
            learner=learner, course=unit.course, last_unit=unit, found=found
        )
        # Most calls for a grain already done (a quiz passed again) stop here,
        # rather than at a failed insert and its savepoint. Without an
        # enrolment before, the grain is not expected done: the insert says.
        if found is not None and found.unit_done:
            return False
        try:
            with transaction.atomic():
                UnitCompletion.objects.create(learner=learner, unit=unit)
        except IntegrityError:
            return False
        _course_complete_if_done(learner=learner, enrolment=enrolment)
    return True


def _course_complete_if_done(*, learner, enrolment: Enrolment) -> None:
    if enrolment.completed_at is not None:
        return
    remaining = (
        Unit.objects.filter(course_id=enrolment.course_id, required=True)
        .exclude(completions__learner=learner)
        .exists()
    )
    if remaining:
        return
    # Conditional update: of two concurrent completions, one marks the course.
    now = timezone.now()
    marked = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(
        completed_at=now, last_activity_at=now
    )
    if marked:
        enrolment.completed_at = now
        transaction.on_commit(
            lambda: course_completed.send(
                sender=Course, learner=learner, course=enrolment.course, enrolment=enrolment
            )
        )


def course_completions_settle(*, course: Course) -> int:
    """After a new version of ``course`` (a revision may delete a required
    grain or make it optional): complete the course for each enrolled
    learner who now has every required grain done, as ``unit_complete``
    would have. Completions already recorded are never taken back (a
    revision adding a required grain leaves them, and the badges earned).
    Returns the number of learners who completed the course now."""
    required = list(course.units.filter(required=True).values_list("pk", flat=True))
    if not required:
        return 0  # nothing marks a course without required grains as done
    pending = Enrolment.objects.filter(course=course, completed_at__isnull=True)
    done = (
        UnitCompletion.objects.filter(learner=OuterRef("learner"), unit__in=required)
        .values("learner")
        .annotate(n=Count("id"))
        .values("n")
    )
    pending = pending.annotate(done=Subquery(done)).filter(done=len(required))
    count = 0
    for enrolment in pending.select_related("learner", "course"):
        with transaction.atomic():
            _course_complete_if_done(learner=enrolment.learner, enrolment=enrolment)
        count += enrolment.completed_at is not None
    return count


def cohort_course_assign(*, cohort, course: Course, due_date=None) -> CohortCourse:
    """Assign a published course to a cohort, or change its due date."""
    position = CohortCourse.objects.filter(cohort=cohort).count()
    assignment, created = CohortCourse.objects.get_or_create(
        cohort=cohort, course=course, defaults={"due_date": due_date, "position": position}
    )
    if not created and assignment.due_date != due_date:
        assignment.due_date = due_date
        assignment.save(update_fields=["due_date"])
    return assignment


def cohort_course_unassign(*, cohort, assignment_id: int) -> bool:
    """Take a course off a cohort's assignments. Only an assignment of this
    cohort goes; returns whether one did. The learners keep their progress."""
    deleted, _rows = CohortCourse.objects.filter(cohort=cohort, pk=assignment_id).delete()
    return bool(deleted)


def tutor_digest_claim(*, tutor, week: str) -> TutorDigest | None:
    """Take the right to send ``tutor``'s digest of ``week`` (``2026-W48``):
    create its row, or take back the row of a sending that failed. None when
    the digest is sent or being sent. Of two calls at the same time, from two
    workers or two schedulers, one gets it: the unique row, then a
    conditional update that only one of them can make."""
    try:
        with transaction.atomic():
            return TutorDigest.objects.create(tutor=tutor, week=week, attempts=1)
    except IntegrityError:
        pass
    taken = TutorDigest.objects.filter(
        tutor=tutor, week=week, status=TutorDigest.Status.FAILED
    ).update(status=TutorDigest.Status.SENDING, attempts=F("attempts") + 1)
    return TutorDigest.objects.get(tutor=tutor, week=week) if taken else None


def tutor_digest_sent(*, digest: TutorDigest) -> None:
    """The mail server took the digest."""
    TutorDigest.objects.filter(pk=digest.pk).update(
        status=TutorDigest.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def tutor_digest_failed(*, digest: TutorDigest, error: str) -> None:
    """The mail server refused the digest: the row says why, and the next
    try (a retry, or a later run of the job) may claim it again."""
    TutorDigest.objects.filter(pk=digest.pk).update(
        status=TutorDigest.Status.FAILED, last_error=error[:1000]
    )
