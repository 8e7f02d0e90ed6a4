from django.db.models import QuerySet

from trygghet.accounts.models import Department, User
from trygghet.accounts.policy import Capability, can, department_of


def departments_for_user(user: User) -> QuerySet[Department]:
    """All departments for those who read the property register; a property owner sees their own."""
    if can(user, Capability.VIEW_PROPERTIES):
        return Department.objects.all()
    own = department_of(user)
    return Department.objects.filter(pk=own.pk) if own else Department.objects.none()
