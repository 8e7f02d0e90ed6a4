from django.db import migrations

# code, EST group, Swedish name, English name, default severity (1 low – 3 high), colour, quick-log button
CATEGORIES = [
    ("vandalism", "damage", "Skadegörelse", "Vandalism", 2, "#c62828", True),
    ("graffiti", "graffiti", "Klotter", "Graffiti", 1, "#8e24aa", True),
    ("littering", "littering", "Nedskräpning", "Littering", 1, "#6d4c41", True),
    ("crowd", "crowd", "Folksamling eller oljud", "Crowd or noise", 2, "#ef6c00", True),
    ("unsafe_place", "unsafe_place", "Otrygg plats", "Unsafe place", 2, "#f9a825", True),
    ("dialogue", "dialogue", "Dialog", "Dialogue", 1, "#2e7d32", True),
    ("suspected_crime", "order", "Misstänkt brott", "Suspected crime", 3, "#ad1457", True),
    ("fire", "fire", "Brand", "Fire", 3, "#d84315", True),
    ("medical", "medical", "Sjukdom eller skada", "Medical", 3, "#0277bd", True),
    ("other", "other", "Övrigt", "Other", 1, "#546e7a", True),
    ("disturbance", "order", "Ordningsstörning", "Disturbance", 2, "#e65100", False),
    ("reckless_driving", "reckless_driving", "Vårdslös körning (moped, A-traktor)",
     "Reckless driving (mopeds, A-tractors)", 2, "#00838f", False),
    ("drug_dealing", "drugs", "Misstänkt narkotikahandel", "Suspected drug dealing", 3, "#4527a0", False),
    ("violence", "violence", "Våld eller hot", "Violence or threat", 3, "#b71c1c", False),
    ("burglary", "burglary", "Inbrott", "Burglary", 3, "#37474f", False),
    ("threat_to_staff", "threat_to_staff", "Hot mot personal", "Threat against staff", 3, "#880e4f", False),
]

# service, name, number: the numbers the hosts call for help. The security company's and the
# municipal on-call numbers are the municipality's own; change them in the admin.
SERVICE_NUMBERS = [
    ("emergency", "Akut: 112", "112"),
    ("police", "Polisen (ej akut)", "114 14"),
    ("ambulance", "Ambulans via 112", "112"),
    ("rescue", "Räddningstjänsten via 112", "112"),
    ("security", "Bevakningsbolagets larmcentral", "08-465 004 10"),
    ("municipal_on_call", "Socialjouren", "08-465 004 20"),
    ("municipal_on_call", "Fastighetsjouren", "08-465 004 30"),
    ("municipal_on_call", "Gata- och parkjouren", "08-465 004 40"),
]


def add_defaults(apps, schema_editor):
    Category = apps.get_model("incidents", "Category")
    for position, (code, group, sv, en, severity, colour, quick) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "group": group,
                "name_sv": sv,
                "name_en": en,
                "default_severity": severity,
                "colour": colour,
                "quick_log": quick,
                "position": (position + 1) * 10,
            },
        )
    ServiceNumber = apps.get_model("incidents", "ServiceNumber")
    for position, (service, name, number) in enumerate(SERVICE_NUMBERS):
        ServiceNumber.objects.get_or_create(
            name=name, number=number, defaults={"service": service, "position": (position + 1) * 10}
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("incidents", "ServiceNumber").objects.filter(
        name__in=[name for _service, name, _number in SERVICE_NUMBERS]
    ).delete()
    apps.get_model("incidents", "Category").objects.filter(
        code__in=[row[0] for row in CATEGORIES], incidents__isnull=True
    ).delete()


class Migration(migrations.Migration):
    """The default categories, grouped as in EST, and the numbers the hosts call for help."""

    dependencies = [("incidents", "0001_incidents_categories_escalations_contacts_calls")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
