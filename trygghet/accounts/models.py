import hashlib
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField, DateRangeField
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygghet.accounts.capabilities import Capability
from trygghet.accounts.roles import Role
from trygghet.core.parsing import readable_moments


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


class OrganisationKind(models.TextChoices):
    """The partners of the municipality's EST group (Effektiv samordning för trygghet)."""

    POLICE = "police", _("Police")
    RESCUE = "rescue", _("Rescue service")
    SECURITY_COMPANY = "security", _("Security company")
    HOUSING_COMPANY = "housing", _("Housing company")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """A partner outside the municipality's own departments: a police area, the rescue service,
    the security company, each housing company. Its users see the lägesbild only inside its
    scope, and it reports its own events for each week.

    The scope is set by the chief: the areas (the areas' side of it is `patrols.Area.organisations`,
    as patrols may not know this app's neighbours), the category groups (empty: every group) and
    the period of the agreement (empty: no end)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    all_areas = models.BooleanField(
        _("every area"),
        default=False,
        help_text=_("Sees every area; otherwise only the areas chosen for it."),
    )
    # The groups of incidents.CategoryGroup, as codes: accounts may not import incidents; the
    # chief's form offers and checks the choices.
    category_groups = ArrayField(
        models.CharField(max_length=20),
        verbose_name=_("category groups"),
        default=list,
        blank=True,
        help_text=_("Empty: every group."),
    )
    agreement = DateRangeField(
        _("agreement period"),
        null=True,
        blank=True,
        help_text=_("Figures are shown only for nights inside it. Empty: no limit."),
    )
    reports_weekly = models.BooleanField(
        _("reports each week"),
        default=True,
        help_text=_("Listed among those who have or have not reported for a week."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

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
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text=_("Partners see the lägesbild inside this organisation's scope."),
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
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=True) | Q(organisation__isnull=True),
                name="user_department_or_organisation",
                violation_error_message=_(
                    "A user belongs to a department or a partner organisation, not both."
                ),
            )
        ]

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
    # Blank in a form means the default lifetime (services.api_token_create); never null.
    expires_at = models.DateTimeField(
        _("expires"),
        blank=True,
        help_text=_("After this the token is refused; by default a year after it was made."),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="api_token_unique_name_per_user"),
            *readable_moments("expires_at"),
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


def role_choices() -> list:
    # A callable, so that a new role needs no migration of this field.
    return Role.choices


class ProviderGroup(models.Model):
    """A group at the municipality's identity provider, and the role and the department or
    partner organisation it gives.

    Read on every single sign-on, so a person moved to another group at the provider has the
    new role the next time they sign in, and one in no group here cannot sign in at all."""

    name = models.CharField(
        _("group at the provider"),
        max_length=255,
        unique=True,
        help_text=_(
            "Exactly as the provider sends it in the groups claim: an object id in Entra ID, "
            "a group name in ADFS, a group path such as /trygghet/vardar in Keycloak."
        ),
    )
    role = models.CharField(_("role"), max_length=32, choices=role_choices, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provider_groups",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provider_groups",
        help_text=_("Partners in this group read inside this organisation's scope."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("group at the identity provider")
        verbose_name_plural = _("groups at the identity provider")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="")
                | models.Q(department__isnull=False)
                | models.Q(organisation__isnull=False),
                name="provider_group_gives_a_role_or_department",
                violation_error_message=_(
                    "Choose a role, a department or a partner organisation, or a role with one of them."
                ),
            ),
            # As for users: a municipal department's staff are never a partner's.
            models.CheckConstraint(
                condition=Q(department__isnull=True) | Q(organisation__isnull=True),
                name="provider_group_department_or_organisation",
                violation_error_message=_(
                    "A group gives a department or a partner organisation, not both."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProviderIdentity(models.Model):
    """Who a user is at the identity provider: its issuer and the subject it gives the person,
    which never changes. E-mail addresses and names change and are reused; this is never matched
    on anything else."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="provider_identity"
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"))

    class Meta:
        verbose_name = _("identity at the provider")
        verbose_name_plural = _("identities at the provider")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="provider_identity_unique_subject"
            ),
            *readable_moments("created_at", "last_sign_in_at"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.issuer})"


class UserSessionQuerySet(models.QuerySet):
    def live(self, *, idle: timedelta):
        """Sessions that have not ended: not expired, and used within `idle`."""
        now = timezone.now()
        unexpired = Session.objects.filter(expire_date__gt=now).values("session_key")
        return self.filter(session_key__in=unexpired, last_activity__gt=now - idle)


class UserSession(models.Model):
    """A signed-in session as its owner sees it on the sessions page: which device, from where,
    last active when. The session itself is Django's; this row goes when it ends."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="user_sessions"
    )
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    signed_in_at = models.DateTimeField(_("signed in"))
    last_activity = models.DateTimeField(_("last activity"))

    objects = UserSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = readable_moments("signed_in_at", "last_activity")

    def __str__(self) -> str:
        return f"{self.user} {self.signed_in_at:%Y-%m-%d %H:%M}"
