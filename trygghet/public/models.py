from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trygghet.core.parsing import LONG_TEXT
from trygghet.public.texts import DEFAULTS


class PublicText(models.Model):
    """The chief's own wording of one section of the public page, in Swedish and English."""

    key = models.CharField(
        _("section"), max_length=30, unique=True, choices=[(key, key) for key in DEFAULTS]
    )
    title_sv = models.CharField(_("title (Swedish)"), max_length=120)
    body_sv = models.TextField(_("text (Swedish)"), max_length=LONG_TEXT)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    body_en = models.TextField(_("text (English)"), max_length=LONG_TEXT, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("public text")
        verbose_name_plural = _("public texts")

    def __str__(self) -> str:
        return self.title_sv
