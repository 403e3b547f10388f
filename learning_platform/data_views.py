"""The user's data rights: see what is kept, download it all, delete the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .data_rights import delete_account, export_data
from .forms import DeleteAccountForm


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """What we keep, the download, and the deletion form (POST deletes)."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        delete_account(user)
        messages.success(request, _("Your account has been deleted. Goodbye, and thank you."))
        return redirect("courses:catalogue")
    return render(request, "registration/my_data.html", {"form": form})


@login_required
@require_GET
@never_cache
def my_data_export(request: HttpRequest) -> HttpResponse:
    """Everything about the logged-in user, as a JSON file."""
    body = json.dumps(export_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mes-donnees-{stamp}.json"'
    return response
