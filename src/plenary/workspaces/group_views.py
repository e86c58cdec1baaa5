"""The groups page of a workspace: who is in ``@rapporteurs``; moderators change it.

Thin, as ``views``: the rules are in ``services.groups``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from plenary.core.errors import refusals_as_http
from plenary.workspaces import pages
from plenary.workspaces.forms import GroupForm
from plenary.workspaces.services import groups


def isolated(handle: str) -> str:
    """``@handle`` kept whole inside a sentence in any direction (Unicode isolates)."""
    return f"\u2068@{handle}\u2069"


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest, slug: str) -> HttpResponse:
    place = pages.place(request, slug)
    form = GroupForm(request.POST or None) if place.is_moderator else None
    if request.method == "POST" and form is not None and form.is_valid():
        created, _reply = pages.attempt(
            request,
            form,
            lambda: groups.do_create_group(
                request.user,
                place,
                form.cleaned_data["handle"],
                form.cleaned_data["name"],
                form.people(),
                moderators_only=form.cleaned_data["moderators_only"],
            ),
        )
        if created is not None:
            messages.success(
                request, _("Group %(group)s created.") % {"group": isolated(created.handle)}
            )
            return redirect("workspaces:groups", slug)
    elif request.method == "POST" and form is None:
        raise PermissionDenied(_("Only the workspace's moderators and staff may do this."))
    with refusals_as_http():
        found = list(groups.groups(place))
    changes = {
        group.handle: GroupForm(
            new=False,
            initial={
                "name": group.name,
                "members": "\n".join(person.username for person in group.members.all()),
                "moderators_only": group.moderators_only,
            },
            prefix=group.handle,
        )
        for group in found
        if place.is_moderator
    }
    return render(
        request,
        "workspaces/groups.html",
        {
            "place": place,
            "workspace": place.workspace,
            "groups": [(group, changes.get(group.handle)) for group in found],
            "form": form,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
@require_POST
def change(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    place = pages.place(request, slug)
    form = GroupForm(request.POST, new=False, prefix=handle)
    if not form.is_valid():
        messages.error(request, str(next(iter(form.errors.values()))[0]))
        return redirect("workspaces:groups", slug)
    changed, _reply = pages.attempt(
        request,
        None,
        lambda: groups.do_change_group(
            request.user,
            place,
            handle,
            form.cleaned_data["name"],
            form.people(),
            moderators_only=form.cleaned_data["moderators_only"],
        ),
    )
    if changed is not None:
        messages.success(request, _("Group %(group)s changed.") % {"group": isolated(handle)})
    return redirect("workspaces:groups", slug)


@login_required
@require_POST
def remove(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    place = pages.place(request, slug)
    removed, _reply = pages.attempt(
        request, None, lambda: groups.do_remove_group(request.user, place, handle)
    )
    if removed is not None:
        messages.success(request, _("Group %(group)s removed.") % {"group": isolated(handle)})
    return redirect("workspaces:groups", slug)
