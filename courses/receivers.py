"""Subscriptions of the courses app: its part of a user's personal-data
export (learning_platform.data_rights): the proposals they made, the votes
they cast on the committee, the errors they reported."""

from django.dispatch import receiver

from learning_platform.signals import personal_data_export

from .attribution import attribution
from .models import ErrorReport, Proposal, Vote


def _iso(value):
    return value.isoformat() if value else None


@receiver(personal_data_export, dispatch_uid="courses.export")
def export_courses(sender, *, user, **kwargs) -> dict:
    """Four queries: proposals, votes, reports, and the reports' courses'
    author accounts (for the credit line of a course crediting nobody by name)."""
    reports = list(
        ErrorReport.objects.filter(reporter=user)
        .select_related("course", "unit")
        .prefetch_related("course__authors")
        .order_by("created_at", "id")
    )
    return {
        "course_proposals": [
            {
                "course": p.course.title,
                "status": p.status,
                "revision": p.is_revision,
                "note": p.note,
                "proposed_at": _iso(p.created_at),
                "decided_at": _iso(p.decided_at),
            }
            for p in Proposal.objects.filter(author=user)
            .select_related("course")
            .order_by("created_at", "id")
        ],
        "committee_votes": [
            {
                "course": v.proposal.course.title,
                "proposed_at": _iso(v.proposal.created_at),
                "choice": v.choice,
                "comment": v.comment,
                "cast_at": _iso(v.created_at),
            }
            for v in Vote.objects.filter(member=user)
            .select_related("proposal__course")
            .order_by("created_at", "id")
        ],
        "error_reports": [
            {
                "course": r.course.title,
                "grain": r.unit.title,
                "question_id": r.question_id,
                "attribution": attribution(r.course, r.unit).text,
                "text": r.text,
                "status": r.status,
                "reported_at": _iso(r.created_at),
                "answer": r.answer,
                "answered_at": _iso(r.answered_at),
            }
            for r in reports
        ],
    }
