"""Turn plain-text source documents into draft articles with an import report.

The work is split so that everything but the last step is pure (text in,
data out) and can be tested without a database:

    source_file.py  read and validate a file (bad input stops here)
    lines.py        the text as numbered lines, with the blank lines before each
    clean.py        typography and page furniture
    metadata.py     review dates, reviewer and publisher the page states
    parse.py        lines -> title and blocks (headings, paragraphs, lists)
    markup.py       blocks -> the body markup content/text/blocks.py reads, and a summary
    report.py       defects an editor should look at
    document.py     all of the above, for one text
    service.py      the transactional import of one file into the database
"""
