"""Who reads and writes the EST group's assessments and actions.

The chief writes them. A partner in the group (a user of an active partner organisation) reads
the assessments and comments on them in the organisation's name; of the actions, a partner reads
those in the areas of the organisation's scope, those with no area (the whole municipality) and
those given to the organisation itself. The party an action is given to reports its progress: the
organisation's partners, or the department's property owners (who read only their department's
actions, as they read only its buildings). Everyone else gets 403 on the pages and 404 on an
action they may not see."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from patrols.models import Area
from trygghet.accounts.models import Organisation, User
from trygghet.accounts.policy import Capability, can, department_of
from trygghet.partners.models import Action

# Any of these reaches the list of actions; what it lists depends on which.
READ_ACTIONS = (
    Capability.WRITE_ASSESSMENTS,
    Capability.COMMENT_ASSESSMENTS,
    Capability.FOLLOW_UP_DEVIATIONS,
)


def writes_assessments(user: User) -> bool:
    return can(user, Capability.WRITE_ASSESSMENTS)


def organisation_in_group(user: User) -> Organisation | None:
    """The organisation a partner comments for, or None for those who are no partner in the
    group (a partner whose organisation has ended its part is no longer in it)."""
    if user.is_superuser or not can(user, Capability.COMMENT_ASSESSMENTS):
        return None
    organisation = user.organisation
    return organisation if organisation is not None and organisation.active else None


def reads_assessments(user: User) -> bool:
    return writes_assessments(user) or organisation_in_group(user) is not None


def _given_to(user: User) -> Q | None:
    """The actions the user's organisation or department is given, or None."""
    organisation = organisation_in_group(user)
    if organisation is not None:
        return Q(organisation=organisation)
    department = department_of(user)
    if department is not None:
        return Q(department=department)
    return None


def actions_for_user(user: User) -> QuerySet[Action]:
    actions = Action.objects.all()
    if writes_assessments(user):
        return actions
    given = _given_to(user)
    if given is None:
        return actions.none()
    organisation = organisation_in_group(user)
    if organisation is not None and organisation.all_areas:
        return actions
    if organisation is not None:
        scoped = Area.objects.filter(organisations=organisation).values("pk")
        given |= Q(area__isnull=True) | Q(area__in=scoped)
    return actions.filter(given)


def get_action_for_user(user: User, pk: int) -> Action:
    return get_object_or_404(
        actions_for_user(user).select_related("assessment", "area", "organisation", "department"),
        pk=pk,
    )


def may_update_action(user: User, action: Action) -> bool:
    """Whether the user sets the action's status and outcome: the chief, or the party it is
    given to. Asks nothing of the database, so a list can ask it of every row."""
    if writes_assessments(user):
        return True
    organisation = organisation_in_group(user)
    if organisation is not None:
        return action.organisation_id == organisation.pk
    department = department_of(user)
    return department is not None and action.department_id == department.pk
