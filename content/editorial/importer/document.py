"""One source text → everything the importer writes, without touching the database."""

from dataclasses import dataclass

from content.editorial.importer.clean import normalise_text, remove_furniture
from content.editorial.importer.errors import ImportFailure
from content.editorial.importer.lines import split_lines
from content.editorial.importer.markup import body_markup, summary_of
from content.editorial.importer.metadata import ReviewMetadata, detect_publisher, extract_review_metadata
from content.editorial.importer.parse import parse_blocks, split_title
from content.editorial.importer.report import find_defects
from content.editorial.text_checks import value_problems
from content.models import ArticleVariant

# The shortest of the columns the title goes into (ArticleVariant.title).
TITLE_MAX_LENGTH = 200


@dataclass
class ImportedDocument:
    title: str
    blocks: list
    body: str
    summary: str
    metadata: ReviewMetadata
    publisher: str
    defects: list


def build_document(text, name="the document"):
    """Title, body markup, summary, metadata and defects of `text`; ImportFailure if it has no article in it."""
    text = normalise_text(text)
    all_lines = split_lines(text)
    kept, removed = remove_furniture(all_lines)
    metadata, kept = extract_review_metadata(kept)
    title, body_lines = split_title(kept)
    if not title:
        raise ImportFailure(f"{name}: nothing is left once page furniture and review notes are removed")
    if len(title) > TITLE_MAX_LENGTH:
        raise ImportFailure(
            f"{name}: the first line is {len(title)} characters long; a title of at most {TITLE_MAX_LENGTH} is "
            "expected there"
        )
    blocks = parse_blocks(body_lines)
    if not blocks:
        raise ImportFailure(f'{name}: has a title ("{title}") but no body text')
    body, summary = body_markup(blocks), summary_of(blocks)
    # Articles are plain text (content/text/plain_text.py) of bounded length: a page saved with its HTML is refused,
    # not cleaned, and one too long for its field is refused here rather than by the write path.
    for part, value in (("title", title), ("summary", summary), ("body", body)):
        problems = value_problems(ArticleVariant, part, value)
        if problems:
            raise ImportFailure(f"{name}: the {part} cannot be imported. {' '.join(problems)}")
    return ImportedDocument(
        title=title,
        blocks=blocks,
        body=body,
        summary=summary,
        metadata=metadata,
        publisher=detect_publisher(text),
        defects=find_defects(all_lines, body_lines, blocks, removed),
    )
