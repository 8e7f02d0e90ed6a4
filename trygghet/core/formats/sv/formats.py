"""Swedish dates as Swedish pages write them ("30 nov 2026 21:15"), where Django's Swedish
locale writes the ISO form (2026-11-30) for its short formats. The other formats, and how dates
are read from forms, stay Django's."""

SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y H:i"
