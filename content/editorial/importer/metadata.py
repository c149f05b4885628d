"""What a page says about itself: who reviewed it, when, and who published it.

Only what the page states is captured; nothing is guessed. Lines that state
review metadata are taken out of the body, since they describe the source,
not the illness.
"""

import datetime
import re
from dataclasses import dataclass

REVIEWED_BY = re.compile(r"This page was reviewed under our medical and editorial policy by:? *(?P<name>.*)", re.I)
# A reviewer's name and title fit on one line; anything longer is body text, not a name.
REVIEWER_MAX_LENGTH = 200


def _month_name_date(text):
    for layout in ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y"):
        try:
            return datetime.datetime.strptime(text, layout).date()
        except ValueError:
            continue
    return None


def _us_date(text):
    try:
        return datetime.datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        return None


DATE_STATEMENTS = (
    (
        "updated_on",
        re.compile(r"This page was updated on (?P<date>[A-Za-z]+\.? \d{1,2}, \d{4})\.?", re.I),
        _month_name_date,
    ),
    ("last_medical_review", re.compile(r"Last Medical Review: *(?P<date>\d{1,2}/\d{1,2}/\d{4})\.?", re.I), _us_date),
    ("last_revised", re.compile(r"Last Revised: *(?P<date>\d{1,2}/\d{1,2}/\d{4})\.?", re.I), _us_date),
)

# (publisher as we cite it, the marks that name it in a page). Extend as sources arrive.
PUBLISHER_MARKERS = (
    ("Memorial Sloan Kettering Cancer Center (MSK)", re.compile(r"\bMSK\b|Memorial Sloan[- ]Kettering")),
    ("Cancer Treatment Centers of America (CTCA)", re.compile(r"\bCTCA\b|Cancer Treatment Centers of America")),
    ("American Cancer Society (ACS)", re.compile(r"American Cancer Society")),
)


@dataclass
class ReviewMetadata:
    reviewed_by: str = ""
    updated_on: datetime.date | None = None
    last_medical_review: datetime.date | None = None
    last_revised: datetime.date | None = None

    def stated(self):
        """{field: value} for what the page states."""
        return {name: value for name, value in vars(self).items() if value not in ("", None)}


def extract_review_metadata(lines):
    """(ReviewMetadata, the lines that are not review metadata).

    A date that does not parse is left in the body, where an editor will see it.
    """
    metadata = ReviewMetadata()
    kept = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        reviewed = REVIEWED_BY.fullmatch(line.text)
        if reviewed:
            name = reviewed.group("name").strip()
            if not name and index < len(lines) and _is_reviewer_line(lines[index].text):
                name = lines[index].text
                index += 1
            metadata.reviewed_by = name.rstrip(".").strip()
            continue
        if _take_date(line.text, metadata):
            continue
        kept.append(line)
    return metadata, kept


def _is_reviewer_line(text):
    return len(text) <= REVIEWER_MAX_LENGTH and not any(pattern.fullmatch(text) for _f, pattern, _p in DATE_STATEMENTS)


def _take_date(text, metadata):
    for field_name, pattern, parse in DATE_STATEMENTS:
        match = pattern.fullmatch(text)
        if match:
            value = parse(match.group("date"))
            if value is not None:
                setattr(metadata, field_name, value)
                return True
    return False


def detect_publisher(text):
    """The publisher whose marks the text carries most often, or "" when it carries none."""
    counts = [(len(pattern.findall(text)), publisher) for publisher, pattern in PUBLISHER_MARKERS]
    best_count, best = max(counts, key=lambda pair: pair[0])
    return best if best_count else ""
