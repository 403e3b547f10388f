"""The "API tokens" section of the profile page: create a token (shown
once, in the response to the form, and stored nowhere), list them, revoke
one. The logged-in user, for their own tokens only; anyone else's is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .forms import ApiTokenForm, ProfileForm
from .models import ApiToken
from .selectors import api_tokens_for
from .services import TokenError, api_token_create, api_token_revoke


def tokens_context(request: HttpRequest, token_form: ApiTokenForm | None = None) -> dict:
    """What the profile page's "API tokens" section needs."""
    return {
        "api_tokens": list(api_tokens_for(user=request.user)),
        "token_form": token_form or ApiTokenForm(prefix="token"),
    }


@login_required
@require_POST
@never_cache  # the page carries the new token: no cache may keep it
def api_token_create_view(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST, prefix="token")
    new_token = None
    if form.is_valid():
        try:
            token, new_token = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except TokenError as error:
            form.add_error(None, error.message)
    context = {
        "form": ProfileForm(instance=request.user),
        **tokens_context(request, None if new_token else form),
        "new_token": new_token,
    }
    return render(request, "registration/profile.html", context)


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = api_tokens_for(user=request.user).get(pk=token_id)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect(reverse("profile") + "#api-tokens")
