"""A glossary term's pronunciation as an app meets it: IPA per language, an editor's correction published by a
Medical reviewer, the headword spoken as MP3 in ranges, and null with a reason without eSpeak NG."""

import shutil

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from content.audio import speech
from content.audio.tasks import pronounce_term
from content.editorial import services
from content.editorial.roles import EDITOR, MEDICAL_REVIEWER, ensure_roles
from content.editorial.shipped import SHIPPED_DIR
from content.models import GlossaryTerm, TermPronunciation
from tests.factories import make_term

pytestmark = pytest.mark.django_db
DETAIL = "/api/v1/glossary/osteosarcoma/"


@pytest.fixture
def osteosarcoma(tmp_path):
    """The shipped term, loaded as shipped (topics and sources too, no articles)."""
    root = tmp_path / "shipped"
    (root / "glossary").mkdir(parents=True)
    (root / "articles").mkdir()
    for name in ("topics.yaml", "sources.yaml"):
        shutil.copy(SHIPPED_DIR / name, root / name)
    shutil.copy(SHIPPED_DIR / "glossary" / "osteosarcoma.yaml", root / "glossary" / "osteosarcoma.yaml")
    call_command("load_content", path=str(root), verbosity=0)
    return GlossaryTerm.objects.get(slug="osteosarcoma")


def pronunciation(client, lang, path=DETAIL):
    return client.get(path, {"lang": lang}).json()["pronunciation"]


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def person(role, name):
    ensure_roles()
    user = User.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return User.objects.get(pk=user.pk)


@pytest.mark.needs_speech
@pytest.mark.parametrize("lang", ["en", "es", "fr", "zh-hans", "ar"])
def test_a_shipped_term_has_espeak_ng_ipa_in_each_language(client, osteosarcoma, lang):
    said = pronunciation(client, lang)
    headword = client.get(DETAIL, {"lang": lang}).json()["term"]
    assert said["source"] == "espeak-ng" and said["language"] == lang
    assert said["ipa"] == speech.phonemes(headword, speech.VOICES[lang])
    assert said["ipa"] and not any(letter in said["ipa"] for letter in headword if not letter.isascii())
    listed = client.get("/api/v1/glossary/", {"lang": lang}).json()["results"]
    assert next(item for item in listed if item["slug"] == "osteosarcoma")["pronunciation"]["ipa"] == said["ipa"]


@pytest.mark.needs_speech
def test_english_ipa_of_osteosarcoma_says_its_stressed_syllable(client, osteosarcoma):
    ipa = pronunciation(client, "en")["ipa"]
    # en-us "ahs-tee-ah-sar-KOH-muh": secondary stress first, main stress on "-co-" (eSpeak marks it on the vowel).
    assert ipa.startswith("ˌɑːs") and ipa.endswith("ˈoʊmə"), ipa


def test_an_editors_ipa_is_pending_until_a_medical_reviewer_publishes_it(client, osteosarcoma):
    before = pronunciation(client, "en")
    editor, reviewer = person(EDITOR, "eddie"), person(MEDICAL_REVIEWER, "mira")
    osteosarcoma.ipa_en = "ˌɒstɪəʊsɑːˈkəʊmə"
    services.save_glossary_term(osteosarcoma, user=editor, reason="British pronunciation")

    assert pronunciation(client, "en") == before  # patients still hear the published one
    assert before["source"] != "editor"
    with pytest.raises(services.EditRefused):
        services.publish_glossary_term(GlossaryTerm.objects.get(pk=osteosarcoma.pk), user=editor)
    services.publish_glossary_term(GlossaryTerm.objects.get(pk=osteosarcoma.pk), user=reviewer)

    said = pronunciation(client, "en")
    assert (said["ipa"], said["source"]) == ("ˌɒstɪəʊsɑːˈkəʊmə", "editor")
    assert pronunciation(client, "fr")["source"] != "editor"  # the correction is English's only


@pytest.mark.needs_speech
def test_the_headword_is_spoken_as_mp3_served_in_ranges(client):
    term = make_term("femur", en=("femur", "The thigh bone.", "The bone in your upper leg."))
    said = pronunciation(client, "en", "/api/v1/glossary/femur/")
    assert (said["audio_url"], said["audio_unavailable_reason"]) == (None, "being_made")

    assert pronounce_term.call(term.pk) == 1

    said = pronunciation(client, "en", "/api/v1/glossary/femur/")  # the stored answer was rendered again with it
    assert said["audio_unavailable_reason"] is None
    whole = client.get(path_of(said["audio_url"]))
    assert whole.status_code == 200 and whole["Content-Type"] == "audio/mpeg" and whole["ETag"]
    assert whole.content[0] == 0xFF and whole.content[1] & 0xE0 == 0xE0  # an MPEG audio frame starts the file
    part = client.get(path_of(said["audio_url"]), HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206 and part.content == whole.content[:100]
    assert part["Content-Range"] == f"bytes 0-99/{len(whole.content)}"
    assert pronounce_term.call(term.pk) == 0  # unchanged headword: not made again


def test_without_speech_the_pronunciation_is_null_with_its_reason(client, settings):
    settings.BONECARE_SPEECH = False
    make_term("femur", en=("femur", "The thigh bone.", "The bone in your upper leg."))
    assert pronunciation(client, "es", "/api/v1/glossary/femur/") == {
        "ipa": None, "source": None, "language": "en", "audio_url": None,
        "audio_unavailable_reason": "synthesizer_missing",
    }


def test_an_editor_presses_save_with_the_ipa_field_and_a_medical_reviewer_publishes_it(client, osteosarcoma):
    from tests.test_admin_save_every_page import _press_save

    page = f"/admin/content/glossaryterm/{osteosarcoma.pk}/change/"
    editor, reviewer = Client(), Client()
    editor.force_login(person(EDITOR, "eddie"))
    reviewer.force_login(person(MEDICAL_REVIEWER, "mira"))

    saved, offered = _press_save(editor, page, "glossaryterm_form", ipa_en="ˌɒstɪəʊsɑːˈkəʊmə")
    assert "ipa_en" in offered  # the Editor edits English; translators their language's
    assert saved.status_code == 302
    assert pronunciation(client, "en")["ipa"] != "ˌɒstɪəʊsɑːˈkəʊmə"

    assert reviewer.post(f"/admin/content/glossaryterm/{osteosarcoma.pk}/publish/").status_code == 302
    said = pronunciation(client, "en")
    assert (said["ipa"], said["source"]) == ("ˌɒstɪəʊsɑːˈkəʊmə", "editor")


@pytest.mark.needs_speech
@pytest.mark.django_db(transaction=True)  # the worker opens its own transactions, as in production
def test_publishing_a_term_queues_its_pronunciation_for_the_audio_worker(client):
    term = make_term("femur", en=("femur", "The thigh bone.", "The bone in your upper leg."),
                     es=("fémur", "El hueso del muslo.", "El hueso de la parte de arriba de la pierna."))
    queued = DBTaskResult.objects.get(task_path="content.audio.tasks.pronounce_term")
    assert queued.args_kwargs["args"] == [term.pk] and queued.queue_name == "audio"
    assert not TermPronunciation.objects.exists()  # nothing was said in the publication itself

    call_command("db_worker", "--queue-name", "audio", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert sorted(TermPronunciation.objects.values_list("language", flat=True)) == ["en", "es"]
    assert pronunciation(client, "es", "/api/v1/glossary/femur/")["audio_url"] is not None
