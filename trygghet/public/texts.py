"""The default texts of the public page. The chief may replace each one (PublicText); until then
these are shown, translated into the visitor's language."""

from django.utils.translation import gettext_lazy as _

DEFAULTS = {
    "intro": (
        _("The municipality's safety hosts"),
        _(
            "The safety hosts drive through the municipality in a clearly marked car, mostly in "
            "the evenings and at night. They are there to make people feel safe: they talk to "
            "residents, keep an eye on places that feel unsafe and check that the municipality's "
            "buildings are locked and undamaged."
        ),
    ),
    "what_we_do": (
        _("What the safety hosts do — and do not do"),
        _(
            "The safety hosts cannot take anyone into custody or turn anyone away. When something "
            "happens they can call those who can help: the police, security guards, an ambulance "
            "or the rescue service.\n\n"
            "Their observations go into the municipality's situational picture, which is shared "
            "with the police and the rescue service to prevent crime."
        ),
    ),
    "when_112": (
        _("Call 112 for ongoing crime"),
        _(
            "Always call 112 when a crime is happening now, such as a burglary or a fight, or when "
            "someone's life or health is in danger. For crimes that have already happened, call "
            "the police on 114 14."
        ),
    ),
    "when_to_contact": (
        _("Contact the safety hosts"),
        _(
            "Call the safety hosts when you feel unsafe or want someone to talk to, or to tell "
            "them about vandalism, littering, graffiti, or crowds and noise that make people feel "
            "unsafe."
        ),
    ),
    "night_button": (
        _("The night button"),
        _(
            "Walking home late and feeling unsafe? Call one of the safety hosts' numbers and they "
            "will keep you company on the phone until you are home. You do not have to say who "
            "you are."
        ),
    ),
}
