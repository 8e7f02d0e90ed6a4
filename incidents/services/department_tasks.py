"""Street issues to the department responsible: an event in a category that names a
department becomes its task when it is logged, the department's contact gets an e-mail, and the
department moves it along as it does a building deviation (trygghet.core.follow_up)."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from incidents.models import CategoryKind, DepartmentTask, DepartmentTaskStep, Incident
from trygghet.accounts.models import User
from trygghet.core.follow_up import follow_up_start, follow_up_step

logger = logging.getLogger(__name__)


def department_task_open(*, incident: Incident, by: User) -> DepartmentTask | None:
    """The department's task for a newly logged event, when its category names a department
    (activities never: a dialogue is nothing to put right). The e-mail goes once the incident
    is saved."""
    category = incident.category
    if category.department_id is None or category.kind != CategoryKind.EVENT:
        return None
    task = DepartmentTask.objects.create(
        incident=incident, department_id=category.department_id, found_at=incident.occurred_at
    )
    follow_up_start(record=task, steps=DepartmentTaskStep, by=by)
    # After the commit: the e-mail never announces an incident that was rolled back, and a mail
    # server that fails cannot take the incident with it.
    transaction.on_commit(partial(department_task_notify, task_id=task.pk))
    return task


def department_task_notify(*, task_id: int) -> bool:
    """E-mail the department about a new task. Returns whether it was sent; a failure is
    logged, and the task stays as it is (the department also finds it in its list)."""
    task = DepartmentTask.objects.select_related(
        "department", "incident__category", "incident__area"
    ).get(pk=task_id)
    recipient = task.department.contact_email
    if not recipient:
        logger.warning("Task %s: %s has no contact e-mail", task.pk, task.department)
        return False
    # The department reads the municipality's language, whatever the host's phone was set to.
    with translation.override(settings.LANGUAGE_CODE):
        context = {"task": task, "url": settings.SITE_URL.rstrip("/") + task.get_absolute_url()}
        subject = _("Street issue for {department}: {category}").format(
            department=task.department.name, category=task.incident.category.name
        )
        body = render_to_string("incidents/email/department_task_created.txt", context)
    try:
        send_mail(subject, body, None, [recipient])
    except Exception:
        # Any failure of the mail server (refused, unreachable, bad address) leaves the task.
        logger.exception("Task %s: the e-mail to %s could not be sent", task.pk, recipient)
        return False
    DepartmentTask.objects.filter(pk=task.pk).update(notified_at=timezone.now())
    return True


def department_task_transition(
    *, task: DepartmentTask, to: str, by: User, note: str = ""
) -> DepartmentTask:
    """Take the task one step along open → acknowledged → resolved (with a note)."""
    return follow_up_step(
        record=task,
        steps=DepartmentTaskStep,
        to=to,
        by=by,
        note=note,
        already=_("The task is already {state}."),
        cannot=_("A task that is {current} cannot become {target}."),
    )
