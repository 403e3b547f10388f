"""The pedagogical committee's pages.

- The queue (``/comite/``): committee members only (others 403).
- A proposal's page: committee members, and the authors of the course, who
  read it and answer the comments (others 403). Members who may vote see
  the vote form; the course's authors never do. Nothing here publishes: the
  committee's majority does, through courses.services.vote_cast.

Views parse the input, call one service and render; the rules are the
courses app's (services, selectors, committee).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses.committee import committee_rule
from courses.models import Proposal
from courses.selectors import (
    ReviewState,
    committee_queue,
    proposals_recently_decided,
    review_state,
)
from courses.services import (
    AlreadyVoted,
    GovernanceError,
    NotACommitteeMember,
    OwnProposal,
    ProposalClosed,
    review_comment_add,
    vote_cast,
)

from .forms import CommentForm, VoteForm
from .pages import proposal_page

# Errors that are about the state of things, not what was typed: 409.
_CONFLICTS = (ProposalClosed, AlreadyVoted, OwnProposal, NotACommitteeMember)


def _proposal_for(request: HttpRequest, pk: int) -> tuple[Proposal, ReviewState]:
    """The proposal, if ``request.user`` may read it (a committee member or
    an author of the course); 404 if there is none, 403 otherwise."""
    proposal = get_object_or_404(Proposal.objects.select_related("course", "author"), pk=pk)
    state = review_state(proposal=proposal, user=request.user)
    if not state.may_read:
        raise PermissionDenied
    return proposal, state


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The pending proposals, oldest first, and the latest decisions."""
    if not request.user.is_committee_member:
        raise PermissionDenied
    items = committee_queue(member=request.user)
    return render(
        request,
        "committee/queue.html",
        {
            "items": items,
            "decided": proposals_recently_decided(),
            "quorum": committee_rule()[0],
        },
    )


def _render_proposal(
    request: HttpRequest,
    proposal: Proposal,
    state: ReviewState,
    *,
    vote_form: VoteForm | None = None,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = proposal_page(proposal=proposal, user=request.user, state=state)
    failed = None
    if comment_form is not None:
        # The form comes back where it was written: under its thread, its
        # grain, or (aimed at nothing of this proposal) the whole course.
        parent = comment_form.cleaned_data.get("parent")
        slug = comment_form.cleaned_data.get("unit_slug", "")
        slugs = {section.slug for section in page.sections if section.preview}
        failed = {
            "form": comment_form,
            "parent": (parent.parent_id or parent.pk) if parent else None,
            "unit_slug": slug if slug in slugs and not comment_form.errors.get("parent") else "",
        }
    return render(
        request,
        "committee/proposal.html",
        {
            "page": page,
            "proposal": proposal,
            "state": state,
            "vote_form": vote_form or VoteForm(),
            "failed": failed,
        },
        status=status,
    )


@login_required
@require_GET
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposal as proposed, what changed, the comments, the votes."""
    proposal, state = _proposal_for(request, pk)
    return _render_proposal(request, proposal, state)


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's vote (courses.services.vote_cast); a refusal of the rules
    comes back as the form's errors, and nothing changes."""
    proposal, state = _proposal_for(request, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _render_proposal(request, proposal, state, vote_form=form, status=422)
    try:
        vote_cast(
            member=request.user,
            proposal=proposal,
            choice=form.cleaned_data["choice"],
            comment=form.cleaned_data["comment"],
        )
    except GovernanceError as exc:
        conflict = isinstance(exc, _CONFLICTS)
        form.add_error(None if conflict else "comment", exc.message)
        return _render_proposal(
            request, proposal, state, vote_form=form, status=409 if conflict else 422
        )
    proposal.refresh_from_db()
    if proposal.is_pending:
        messages.success(request, _("Your vote is recorded."))
    else:
        messages.success(
            request,
            _("Your vote is recorded. The committee has decided: %(status)s.")
            % {"status": proposal.get_status_display()},
        )
    return redirect(reverse("committee:proposal", args=[proposal.pk]) + "#votes")


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment or a reply (courses.services.review_comment_add)."""
    proposal, state = _proposal_for(request, pk)
    form = CommentForm(request.POST, proposal=proposal)
    if not form.is_valid():
        return _render_proposal(request, proposal, state, comment_form=form, status=422)
    try:
        written = review_comment_add(
            author=request.user,
            proposal=proposal,
            body=form.cleaned_data["body"],
            unit_slug=form.cleaned_data["unit_slug"],
            parent=form.cleaned_data["parent"],
        )
    except GovernanceError as exc:
        conflict = isinstance(exc, _CONFLICTS)
        form.add_error(None if conflict else "body", exc.message)
        return _render_proposal(
            request, proposal, state, comment_form=form, status=409 if conflict else 422
        )
    messages.success(request, _("Your comment is posted."))
    return redirect(reverse("committee:proposal", args=[proposal.pk]) + f"#comment-{written.pk}")
