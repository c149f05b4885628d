"""schema.org's JSON-LD context, for the terms BoneCare's JSON-LD uses, so it expands without the network.

BoneCare's JSON-LD names `"@context": "https://schema.org"`, as partners' tools
expect. A JSON-LD processor would fetch that context from schema.org; a
partner's tool may, but nothing here ever does. `offline_document_loader` gives
a processor (pyld) these definitions instead, and refuses every other URL.

Each definition below is written as schema.org's own context file defines it
(release 30.0, schemaorgcontext.jsonld): the `@type` coercions matter, since
`url`, `license` and `isBasedOn` expand to IRIs and the dates to schema:Date
values there. tests/delivery/test_jsonld.py fails when a document uses a term
that is not defined here, so a new term comes with its definition copied from
schema.org's context, and expansion here stays what it is with the real one.
"""

SCHEMA_ORG_CONTEXT_URLS = frozenset(
    {"https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/"}
)

SCHEMA_ORG_CONTEXT = {
    "@context": {
        "type": "@type",
        "id": "@id",
        "@vocab": "http://schema.org/",
        "schema": "http://schema.org/",
        # Types
        "Audience": {"@id": "schema:Audience"},
        "CreativeWork": {"@id": "schema:CreativeWork"},
        "Date": {"@id": "schema:Date"},
        "DateTime": {"@id": "schema:DateTime"},
        "DefinedTerm": {"@id": "schema:DefinedTerm"},
        "MedicalAudience": {"@id": "schema:MedicalAudience"},
        "MedicalCode": {"@id": "schema:MedicalCode"},
        "MedicalCondition": {"@id": "schema:MedicalCondition"},
        "MedicalWebPage": {"@id": "schema:MedicalWebPage"},
        "Organization": {"@id": "schema:Organization"},
        "PeopleAudience": {"@id": "schema:PeopleAudience"},
        "Person": {"@id": "schema:Person"},
        "WebPage": {"@id": "schema:WebPage"},
        # Properties
        "about": {"@id": "schema:about"},
        "audience": {"@id": "schema:audience"},
        "audienceType": {"@id": "schema:audienceType"},
        "code": {"@id": "schema:code"},
        "codeValue": {"@id": "schema:codeValue"},
        "codingSystem": {"@id": "schema:codingSystem"},
        "creditText": {"@id": "schema:creditText"},
        "dateModified": {"@id": "schema:dateModified", "@type": "Date"},
        "datePublished": {"@id": "schema:datePublished", "@type": "Date"},
        "description": {"@id": "schema:description"},
        "educationalLevel": {"@id": "schema:educationalLevel"},
        "inLanguage": {"@id": "schema:inLanguage"},
        "isBasedOn": {"@id": "schema:isBasedOn", "@type": "@id"},
        "lastReviewed": {"@id": "schema:lastReviewed", "@type": "Date"},
        "license": {"@id": "schema:license", "@type": "@id"},
        "name": {"@id": "schema:name"},
        "publisher": {"@id": "schema:publisher"},
        "reviewedBy": {"@id": "schema:reviewedBy"},
        "termCode": {"@id": "schema:termCode"},
        "url": {"@id": "schema:url", "@type": "@id"},
    }
}


class RemoteContextRefused(Exception):
    """A document named a remote context other than schema.org's: nothing is fetched."""


def offline_document_loader(url, options=None):
    """A pyld document loader that answers schema.org's context from memory and never opens a connection."""
    if url not in SCHEMA_ORG_CONTEXT_URLS:
        raise RemoteContextRefused(f"{url} is not loaded: only schema.org's context is known offline")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": SCHEMA_ORG_CONTEXT,
    }
