"""Translation exchange: articles out to translators as XLIFF or PO, and back.

A file holds one target language. Each unit is one translated field of one
reading level of one article (`<slug>/<level>/<field>`), with the English as
source, the current translation as target, and checksums of both taken at
export time. On import those checksums tell a stale unit (someone changed the
translation in the admin since) from a fresh one, so an import never
overwrites an editor's later work. Everything is validated before anything is
written, and what is written lands unreviewed.
"""
