"""Helpers the backup round-trip test runs in a child process against the database in DATABASE_URL.

    python -m tests.backup_scenario build           # editors' work on top of the shipped content
    python -m tests.backup_scenario rows  OUT.json  # every backed-up table, row by row, comparable across vendors
    python -m tests.backup_scenario api   OUT.json  # what the public API answers, status, headers and body

A child process because each database (SQLite file, PostgreSQL) is a
separate Django configuration, as it is for `manage.py backup` and `restore`.
"""

import base64
import datetime
import gzip
import json
import os
import sys

import django


def build():
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import Group, Permission, User
    from django.contrib.contenttypes.models import ContentType
    from django.test import Client
    from django.utils import translation

    from content.editorial import services
    from content.editorial.roles import EDITOR, MEDICAL_REVIEWER, TRANSLATOR
    from content.models import Article, ArticleStatus, ArticleVariant, GlossaryTerm, LanguageAssignment, ReviewStatus

    editor = User.objects.create_user("edna", "edna@example.org", "edna-pass-1234", first_name="Edna")
    editor.groups.add(Group.objects.get(name=EDITOR))
    reviewer = User.objects.create_user("rita", "rita@example.org", "rita-pass-1234", first_name="Rita")
    reviewer.groups.add(Group.objects.get(name=MEDICAL_REVIEWER))
    translator = User.objects.create_user("tomas", "tomas@example.org", "tomas-pass-1234")
    translator.groups.add(Group.objects.get(name=TRANSLATOR))
    translator.user_permissions.add(Permission.objects.get(codename="view_changelogentry"))
    LanguageAssignment.objects.create(user=translator, language="es")
    User.objects.create_superuser("root", "root@example.org", "root-pass-1234")
    Group.objects.create(name="Auditors").permissions.add(Permission.objects.get(codename="view_article"))

    # Another app's rows (here webhooks, when installed) are backed up without the backup naming them:
    # an endpoint, then the deliveries and queued tasks the publication below makes for it.
    from django.apps import apps

    if apps.is_installed("webhooks"):
        apps.get_model("webhooks", "Endpoint").objects.create(name="Hospital portal", url="https://example.org/hook")
    if apps.is_installed("partners"):
        from partners.keys import create_key, revoke_key

        create_key("Hospital portal", request_limit=5000)
        revoke_key(create_key("Former partner")[0])

    # An editor's English edit and a translator's Spanish one to a published article: pending, then published.
    variant = ArticleVariant.objects.get(article__slug="metastatic-bone-cancer", level="standard")
    variant.body_en = variant.body_en + "\n\nAsk your care team about pain relief."
    services.save_variant(variant, user=editor, reason="pain relief")
    variant = ArticleVariant.objects.get(pk=variant.pk)
    variant.title_es = variant.title_es + " (actualizado)"
    services.save_variant(variant, user=translator, reason="título")
    article = Article.objects.get(slug="metastatic-bone-cancer")
    services.publish_article(article, user=reviewer, comment="pain relief paragraph")
    review = variant.reviews.get(language="es")
    services.record_review(review, status=ReviewStatus.CLINICIAN_REVIEWED, user=reviewer)

    # A revert: back to the revision before the editor's edit, a pending change again.
    variant = ArticleVariant.objects.get(pk=variant.pk)
    older = variant.history.order_by("history_id").first()
    services.revert_to(variant, older, user=editor)

    # Saved while Spanish is active, so the untranslated `title` column holds Spanish: restore must keep it so.
    other = ArticleVariant.objects.get(article__slug="bone-cancer-treatment-options", level="plain")
    with translation.override("es"):
        other.summary_es = other.summary_es + " Pregunte a su equipo."
        services.save_variant(other, user=translator, reason="resumen")

    # A withdrawal.
    withdrawn = Article.objects.get(slug="treating-bone-metastases")
    services.move_article(withdrawn, ArticleStatus.ARCHIVED, user=reviewer, comment="being rewritten")

    # A glossary edit, published.
    term = GlossaryTerm.objects.order_by("slug").first()
    term.plain_definition_es = (term.plain_definition_es or "") + " Revisado."
    services.save_glossary_term(term, user=translator)
    services.publish_glossary_term(term, user=reviewer, comment="es")

    LogEntry.objects.create(
        user=editor, content_type=ContentType.objects.get_for_model(Article), object_id=str(article.pk),
        object_repr=str(article), action_flag=CHANGE, change_message="Changed body.",
    )
    # Stored answers and a log-in session exist too; both are left out of a backup on purpose.
    client = Client()
    client.force_login(editor)
    for path in ("/api/v1/articles/?lang=es", "/api/v1/articles/metastatic-bone-cancer/?lang=en"):
        assert client.get(path).status_code == 200, path


def _plain(value):
    """A column value in one form whichever database it came from."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode()
    return value


def _identity(model, pk):
    """How to name a row of another table: by natural key for tables migrate fills (their ids differ), else by id."""
    from bonecare.backup import EXCLUDED

    if pk is None or model._meta.label_lower not in EXCLUDED:
        return pk
    return list(model._base_manager.get(pk=pk).natural_key())


def rows():
    """{model label: [row, ...]} for every backed-up model, each row every column as stored, ordered by id."""
    from bonecare.backup import backed_up_models

    tables = {}
    for model in backed_up_models():
        fields = model._meta.concrete_fields
        m2m = model._meta.many_to_many
        listed = []
        for obj in model._base_manager.order_by("pk"):
            # obj.__dict__: the stored column, not modeltranslation's active-language reading of it.
            row = {}
            for field in fields:
                value = obj.__dict__.get(field.attname)
                row[field.attname] = (
                    _identity(field.related_model, value) if field.is_relation else _plain(value)
                )
            for field in m2m:
                related = getattr(obj, field.name).values_list("pk", flat=True)
                row[field.name] = sorted((_identity(field.related_model, pk) for pk in related), key=json.dumps)
            listed.append(row)
        tables[model._meta.label_lower] = listed
    return tables


def api_paths():
    from content.languages import language_codes
    from content.models import Article, GlossaryTerm

    paths = ["/api/v1/", "/api/v1/languages/", "/api/v1/topics/", "/api/v1/glossary/", "/api/v1/sync/?lang=en"]
    for language in language_codes():
        for level in ("standard", "plain"):
            query = f"?lang={language}&level={level}"
            paths += [f"/api/v1/articles/{query}", f"/api/v1/bundle/{query}"]
            paths += [f"/api/v1/articles/{slug}/{query}" for slug in Article.objects.values_list("slug", flat=True)]
        # The term edited and published in build() comes first by slug; two more beside it.
        terms = GlossaryTerm.objects.order_by("slug").values_list("slug", flat=True)[:3]
        paths += [f"/api/v1/glossary/{slug}/?lang={language}" for slug in terms]
    return sorted(paths)


def _decoded(response):
    """The body as data: PostgreSQL's jsonb keeps an object's keys in an order of its own, so bytes may differ."""
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    if response.get("Content-Type", "").startswith("application/json") and content:
        data = json.loads(content)
        # A bundle says when it was rendered; stored answers are not restored but rendered again (bonecare.backup).
        if isinstance(data, dict):
            data.pop("generated_at", None)
        return data
    return base64.b64encode(content).decode()


def api():
    from django.test import Client

    client = Client()
    answers = {}
    for path in api_paths():
        # Twice: the first may render and store, the second is the stored answer; both must match.
        for round_ in ("first", "stored"):
            response = client.get(path)
            answers[f"{round_} {path}"] = {
                "status": response.status_code,
                "headers": {name: response.get(name) for name in ("ETag", "Last-Modified", "Content-Language")},
                "body": _decoded(response),
            }
    return answers


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bonecare.settings")
    django.setup()
    action = sys.argv[1]
    if action == "build":
        build()
        return
    result = rows() if action == "rows" else api()
    with open(sys.argv[2], "w") as output:
        json.dump(result, output, sort_keys=True, ensure_ascii=False, default=str)  # UUIDs, decimals


if __name__ == "__main__":
    main()
