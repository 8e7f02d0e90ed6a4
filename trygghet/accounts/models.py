import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.capabilities import Capability


class Department(models.Model):
    """An organisation unit (förvaltning) of the municipality; property owners belong to one."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Where deviations go when a property has no contact of its own."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("Property owners see the buildings of this department."),
    )
    # A default in the database too: code that knows nothing of the field (a web server still on
    # the release before, a migration's historical model) can still add users.
    lagesbild_email = models.BooleanField(
        _("weekly lägesbild by e-mail"),
        db_default=False,
        help_text=_(
            "Every Monday morning, the week's figures as the user's own lägesbild shows them. "
            "Security chiefs get it whatever this says."
        ),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        # Capabilities: the code checks these, never group names. Roles are groups holding them
        # (trygghet/accounts/roles.py).
        permissions = [(capability.codename, capability.label) for capability in Capability]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A named key for a program. Only a hash is kept; the key is shown once, when it is made."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="api_token_unique_name_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash_key(key: str) -> str:
        # The keys are long random strings, so a fast hash is enough; a slow one would cost every
        # API request.
        return hashlib.sha256(key.encode()).hexdigest()
