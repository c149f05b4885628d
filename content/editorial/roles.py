"""The editorial roles, as Django groups with their permissions.

Created after every migrate (and by `manage.py setup_roles`), so a fresh
database always has them. What each role may do to an article's status is
decided in content/editorial/workflow.py from these permissions; which languages a
translator may edit comes from LanguageAssignment.
"""

from django.utils.translation import gettext_lazy as _

EDITOR = "Editor"
TRANSLATOR = "Translator"
MEDICAL_REVIEWER = "Medical reviewer"

ROLE_PERMISSIONS = {
    EDITOR: [
        "view_article", "add_article", "change_article", "submit_article", "edit_english",
        "view_articlevariant", "add_articlevariant", "change_articlevariant",
        "view_glossaryterm", "add_glossaryterm", "change_glossaryterm",
        "view_sourcedocument", "view_topic", "view_translationreview", "view_statuschange", "view_changelogentry",
    ],
    TRANSLATOR: [
        "view_article", "view_articlevariant", "change_articlevariant",
        "view_glossaryterm", "change_glossaryterm", "view_sourcedocument", "view_topic",
        "view_translationreview", "view_statuschange",
    ],
    MEDICAL_REVIEWER: [
        "view_article", "change_article", "publish_article", "archive_article", "review_translation",
        "edit_clinical_codes",
        # Changing a variant is how a review is recorded on its page; its text stays locked (no edit_english,
        # no language assignments).
        "view_articlevariant", "change_articlevariant", "view_glossaryterm", "change_glossaryterm",
        "publish_glossaryterm", "view_sourcedocument", "view_topic",
        "view_translationreview", "change_translationreview", "view_statuschange", "view_changelogentry",
    ],
}

ROLE_DESCRIPTIONS = {
    EDITOR: _("Edits English, submits for review."),
    TRANSLATOR: _("Edits the languages assigned to them; cannot touch English."),
    MEDICAL_REVIEWER: _("Approves, publishes and archives; records clinical review."),
}


def ensure_roles():
    """Create or update the three groups; returns their names."""
    from django.contrib.auth.models import Group, Permission

    for name, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="content", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise LookupError(f"permissions not found for {name}: {sorted(missing)}")
        group.permissions.set(permissions)
    return list(ROLE_PERMISSIONS)


def create_roles_after_migrate(sender, **kwargs):
    ensure_roles()
