"""The clinical code systems BoneCare tags content with, and what a valid code of each looks like.

An article or glossary term carries coded concepts as `[{system, code, display}]`
(content/shipped/codes.yaml says which, and where each was verified). Health
systems ask for content by these codes (the HL7 Infobutton endpoint,
content/delivery/infobutton.py), naming the system by its HL7 OID.

Pure functions, no database: the write path and the admin form validate with
them, the Infobutton request is parsed with them.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class CodeSystem:
    name: str  # what `system` says in payloads and in content/shipped/codes.yaml
    oid: str  # what an Infobutton request names in mainSearchCriteria.v.cs (HL7 OIDs, checked in the docs' sources)
    pattern: re.Pattern
    example: str


ICD10CM = CodeSystem(
    "ICD-10-CM", "2.16.840.1.113883.6.90",
    # A letter, two characters, then up to four after the dot (C40, C40.2, C40.21).
    re.compile(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?"), "C79.51",
)
SNOMED_CT = CodeSystem(
    "SNOMED-CT", "2.16.840.1.113883.6.96",
    # An SCTID: 6 to 18 digits, no leading zero, the last a Verhoeff check digit (checked below).
    re.compile(r"[1-9][0-9]{5,17}"), "128462008",
)
ICDO3 = CodeSystem(
    # OID as HL7's value set icd-o-3-m names its code system ("2.16.840.1.113883.6.43.1 - International
    # Classification of Diseases for Oncology, version 3", wiki.hl7.de, value set 1.3.6.1.4.1.19376.1.3.11.33).
    "ICD-O-3", "2.16.840.1.113883.6.43.1",
    # Morphology: four digits, a slash and the behaviour code (0, 1, 2, 3, 6 or 9), as 9180/3.
    re.compile(r"[89][0-9]{3}/[012369]"), "9180/3",
)

SYSTEMS = {system.name: system for system in (ICD10CM, SNOMED_CT, ICDO3)}
SYSTEMS_BY_OID = {system.oid: system for system in SYSTEMS.values()}
SYSTEM_CHOICES = [(name, name) for name in SYSTEMS]

# Verhoeff's tables (SNOMED CT's check digit, per the SNOMED CT Technical Implementation Guide).
_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def verhoeff_valid(digits):
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _D[check][_P[position % 8][int(digit)]]
    return check == 0


def normalise_code(system, code):
    """The code as stored and compared: trimmed; ICD codes upper-case."""
    code = (code or "").strip()
    return code.upper() if system in (ICD10CM.name, ICDO3.name) else code


def code_problems(system, code):
    """Why `code` is not a well-formed code of `system`, in words an editor can act on; empty when it is."""
    known = SYSTEMS.get(system)
    if known is None:
        return [_("Unknown code system “%(system)s”; use one of: %(systems)s.")
                % {"system": system, "systems": ", ".join(SYSTEMS)}]
    if not known.pattern.fullmatch(code):
        return [_("“%(code)s” is not a %(system)s code (for example %(example)s).")
                % {"code": code, "system": system, "example": known.example}]
    if known is SNOMED_CT and not verhoeff_valid(code):
        return [_("“%(code)s” is not a SNOMED CT identifier: its check digit is wrong.") % {"code": code}]
    return []


def normalise_codes(codes):
    """(codes as stored, problems): each entry {system, code, display}, in the given order, without repeats."""
    normalised, problems, seen = [], [], set()
    for entry in codes or []:
        if not isinstance(entry, dict):
            problems.append(_("Each code needs a system, a code and a display name."))
            continue
        system = str(entry.get("system") or "").strip()
        code = normalise_code(system, str(entry.get("code") or ""))
        display = " ".join(str(entry.get("display") or "").split())
        entry_problems = code_problems(system, code)
        if not display:
            entry_problems.append(_("The code %(code)s has no display name.") % {"code": code})
        problems.extend(entry_problems)
        if not entry_problems and (system, code) not in seen:
            seen.add((system, code))
            normalised.append({"system": system, "code": code, "display": display})
    return normalised, problems


def icd10cm_lineage(code):
    """The code and every parent it has in ICD-10-CM, most specific first: C40.21 → C40.21, C40.2, C40."""
    code = normalise_code(ICD10CM.name, code)
    if "." not in code and len(code) > 3:
        code = f"{code[:3]}.{code[3:]}"  # EHRs often send codes without the dot: C4021
    category, _dot, rest = code.partition(".")
    return [f"{category}.{rest[:length]}" for length in range(len(rest), 0, -1)] + [category]
