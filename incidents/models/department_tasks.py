"""Street issues passed to the department responsible in public space: a host's event in a
category that names a department (graffiti, littering, a broken street light → the streets and
parks department) becomes that department's task, followed up as a building deviation is
(trygghet.core.follow_up)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.models.incidents import Incident
from trygghet.accounts.models import Department
from trygghet.core.follow_up import (
    FollowedUp,
    FollowedUpQuerySet,
    FollowUpStep,
    followed_up_constraints,
    step_constraints,
)


class DepartmentTask(FollowedUp):
    """An event for a department to put right, found when the host logged it."""

    incident = models.OneToOneField(
        Incident,
        verbose_name=_("incident"),
        on_delete=models.PROTECT,
        related_name="department_task",
    )
    # The category's department when the event was logged; a later change of the category's
    # department leaves the tasks already given where they are.
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="incident_tasks",
    )

    objects = FollowedUpQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("street-issue task")
        verbose_name_plural = _("street-issue tasks")
        constraints = followed_up_constraints("department_task")
        indexes = [models.Index(fields=["department", "state", "found_at"])]

    def __str__(self) -> str:
        return f"{self.department} – {timezone.localtime(self.found_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:department-task-detail", args=[self.pk])


class DepartmentTaskStep(FollowUpStep):
    """One step of a task's follow-up, with who took it and when. Append-only."""

    task = models.ForeignKey(
        DepartmentTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="steps"
    )

    record_field = "task"

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("follow-up step")
        verbose_name_plural = _("follow-up steps")
        constraints = step_constraints("department_task", "task")

    def __str__(self) -> str:
        return f"{self.task}: {self.get_state_display()}"
