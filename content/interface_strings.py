"""The interface strings BoneCare's own code and templates mark for translation, read the way makemessages reads them.

Tests compare these with the catalogs in locale/, so a string added to an admin
page, a model or an API message without its translations is caught before an
editor or a reader meets it in English. GNU xgettext is not needed.
"""

import ast
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation.template import templatize

# The packages that are BoneCare's own; third-party apps bring their own catalogs.
OWN_PACKAGES = ("bonecare", "content", "webhooks", "partners")
GETTEXT_FUNCTIONS = {
    "_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
    "npgettext", "npgettext_lazy",
}
# templatize turns {% translate %} and {% blocktranslate %} into these calls, with Python string literals.
_LITERAL = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
TEMPLATE_CALL = re.compile(rf"(?<![\w.])(n?p?gettext|_)\(\s*({_LITERAL}(?:\s*,\s*{_LITERAL})*)")


def own_files(suffix):
    base = Path(settings.BASE_DIR)
    for package in OWN_PACKAGES:
        for path in sorted((base / package).rglob(f"*{suffix}")):
            if "migrations" not in path.parts:
                yield path


def python_msgids(source):
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT_FUNCTIONS:
            continue
        strings = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        if name.startswith("p") or name.startswith("np"):
            strings = strings[1:]  # the first is the context
        if strings:
            yield strings[0]


def template_msgids(source):
    for match in TEMPLATE_CALL.finditer(templatize(source)):
        strings = ast.literal_eval(f"({match.group(2)},)")
        yield strings[1] if match.group(1).startswith("p") or match.group(1).startswith("np") else strings[0]


@cache
def marked_msgids():
    """Every msgid (singular) BoneCare's Python and templates mark, as the catalogs should hold it."""
    found = set()
    for path in own_files(".py"):
        found.update(python_msgids(path.read_text(encoding="utf-8")))
    for path in own_files(".html"):
        if "templates" in path.parts:
            found.update(template_msgids(path.read_text(encoding="utf-8")))
    return frozenset(found)
