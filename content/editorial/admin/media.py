"""Static assets of the tabbed translation admin, served locally (no CDN)."""


class TABBED_TRANSLATION_MEDIA:
    js = (
        "admin/js/jquery.init.js",
        "modeltranslation/js/force_jquery.js",
        "jquery_ui/jquery-ui.min.js",
        "modeltranslation/js/tabbed_translation_fields.js",
    )
    css = {"all": ("modeltranslation/css/tabbed_translation_fields.css",)}
