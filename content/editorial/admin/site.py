"""The workspace's own name on every admin page, in the editor's language (Django's admin.site hooks)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("BoneCare editorial workspace")
admin.site.site_title = _("BoneCare editors")
admin.site.index_title = _("BoneCare content and translations")
