from django.contrib.auth.models import Group
from django.utils.translation import gettext as _

from trygghet.accounts.models import Department, Organisation, OrganisationKind, User
from trygghet.accounts.roles import GROUP_NAMES, Role
from trygghet.core.demodata import DemoContext

# Responsible in public space: the street issues the hosts log (graffiti, littering, lights).
STREETS = "Gatu- och parkförvaltningen"
DEPARTMENTS = [
    ("Utbildningsförvaltningen", "fastighet.utbildning@example.se"),
    ("Kultur- och fritidsförvaltningen", "fastighet.kultur@example.se"),
    ("Socialförvaltningen", "fastighet.social@example.se"),
    ("Kommunledningsförvaltningen", "fastighet.kommunledning@example.se"),
    ("Samhällsbyggnadsförvaltningen", "fastighet.samhallsbyggnad@example.se"),
    (STREETS, "gata.park@example.se"),
]

# The demo partner's organisation: the local police area, seeing every area, group and night.
POLICE = "Polisen, lokalpolisområde Centrum"

# username, first name, last name, role, department index, superuser
USERS = [
    ("chef", "Karin", "Lindqvist", Role.CHIEF, None, False),
    ("vard1", "Ahmed", "Hassan", Role.HOST, None, False),
    ("vard2", "Elin", "Berg", Role.HOST, None, False),
    ("vard3", "Jonas", "Nyström", Role.HOST, None, False),
    ("vard4", "Sara", "Mäkinen", Role.HOST, None, False),
    ("agare", "Per", "Sandberg", Role.PROPERTY_OWNER, 0, False),
    ("agare2", "Lena", "Holm", Role.PROPERTY_OWNER, 1, False),
    ("gata", "Mikael", "Ström", Role.PROPERTY_OWNER, 5, False),
    ("partner", "Polisen", "Lokalpolisområdet", Role.PARTNER, None, False),
    ("rapport", "Rapportklient", "EST", Role.REPORT_CLIENT, None, False),
    ("dso", "Maria", "Ekström", Role.DATA_PROTECTION_OFFICER, None, False),
    ("admin", "Administratör", "", None, None, True),
]


def build(ctx: DemoContext) -> None:
    departments = [
        Department.objects.get_or_create(name=name, defaults={"contact_email": email})[0]
        for name, email in DEPARTMENTS
    ]
    for username, first, last, role, department, superuser in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.se",
                "department": departments[department] if department is not None else None,
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(ctx.password)
            user.save(update_fields=["password"])
            if role:
                user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    police, _created = Organisation.objects.get_or_create(
        name=POLICE,
        defaults={
            "kind": OrganisationKind.POLICE,
            "contact_email": "est.centrum@polisen.example.se",
            "all_areas": True,
        },
    )
    User.objects.filter(username="partner", organisation__isnull=True).update(organisation=police)
    ctx.closing.append(f"Demo logins, all with the password {ctx.password}:")
    for username, _first, _last, role, _department, _superuser in USERS:
        ctx.closing.append(f"  {username:<8} {role.label if role else _('Administrator')}")
