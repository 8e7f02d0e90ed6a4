"""Static files in production: whitenoise's compressed, fingerprinted files."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _pattern(rule) -> str:
    return rule if isinstance(rule, str) else rule[0]


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The vendored libraries end with a comment naming their source map, which static/vendor
    does not ship (it holds only what the pages load). Fingerprinting follows such references
    and fails on a missing file, so `collectstatic` leaves these comments alone."""

    patterns = tuple(
        (extension, tuple(rule for rule in rules if "sourceMappingURL" not in _pattern(rule)))
        for extension, rules in CompressedManifestStaticFilesStorage.patterns
    )
