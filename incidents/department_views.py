"""The street-issue tasks' pages: a department's list and each task, followed up as a building
deviation is (trygghet.core.follow_up)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incidents.permissions import (
    can_follow_up_task,
    department_tasks_for_user,
    get_department_task_for_user,
    manages_incidents,
    task_department_filter_for,
)
from incidents.services import department_task_transition
from trygghet.accounts.decorators import capability_required
from trygghet.accounts.policy import Capability
from trygghet.audit.reads import record_read
from trygghet.core.follow_up import FollowUpFilterForm, step_form_for, take_step

READERS = (Capability.MANAGE_INCIDENTS, Capability.FOLLOW_UP_DEVIATIONS)
TASKS_PER_PAGE = 50


# The list shows no personal column (category, when, area, department, state) to anyone, so it
# writes no read row.
@capability_required(*READERS)
def department_task_list(request):
    form = FollowUpFilterForm(request.GET, departments=task_department_filter_for(request.user))
    tasks = department_tasks_for_user(request.user)
    valid = form.is_valid()
    tasks = form.filter(tasks) if valid else tasks.none()
    page = Paginator(tasks.order_by("found_at", "id"), TASKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "incidents/department_task_list.html",
        {"form": form, "page": page, "tasks": page.object_list, "query": query.urlencode()},
        status=200 if valid else 400,
    )


def _task_page(request, task, form=None, status=200, errors=()):
    steps = list(task.steps.select_related("by"))
    # The steps' notes are the page's only free text (the department writes there whom it spoke
    # to); the rest is what every reader of the task sees and names no one. A page showing a
    # note is a read of personal data, whoever reads it.
    if any(step.has_note() for step in steps):
        record_read(request, task)
    context = {
        "task": task,
        "steps": steps,
        "form": form or step_form_for(task, may_follow_up=can_follow_up_task(request.user, task)),
        "errors": errors,
        # The department reads the task, not the host's free text about it.
        "incident_link": manages_incidents(request.user),
    }
    return render(request, "incidents/department_task_detail.html", context, status=status)


@capability_required(*READERS)
def department_task_detail(request, pk):
    return _task_page(request, get_department_task_for_user(request.user, pk))


@require_POST
@capability_required(Capability.FOLLOW_UP_DEVIATIONS)
def department_task_step(request, pk):
    task = get_department_task_for_user(request.user, pk)
    if not can_follow_up_task(request.user, task):
        raise PermissionDenied
    return take_step(
        request,
        task,
        transition=partial(department_task_transition, task=task),
        page=partial(_task_page, request, task),
        done=_("The task is now {state}."),
    )
