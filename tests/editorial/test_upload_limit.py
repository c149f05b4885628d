"""One size limit for every file BoneCare takes in, checked before the file is read."""

import os
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from content.editorial.importer.errors import ImportFailure
from content.editorial.importer.service import import_document
from content.models import SourceDocument
from tests.admin_forms import form_fields

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def big_file(path, size):
    """A file of `size` bytes that starts like an XLIFF export; written in chunks, never held whole."""
    with open(path, "wb") as out:
        out.write(b"<?xml version='1.0' encoding='UTF-8'?>\n<xliff version='1.2'>")
        chunk = b"<!-- padding -->" * 4096
        while out.tell() < size:
            out.write(chunk[: size - out.tell()])
    return path


def test_admin_refuses_a_25_mb_translation_file_naming_the_limit(admin_client, settings, tmp_path):
    settings.BONECARE_MAX_UPLOAD_BYTES = 5 * MB
    url = reverse("admin:content_article_import_translations")
    fields = form_fields(admin_client.get(url).content.decode(), "import-form")
    fields.pop("csrfmiddlewaretoken", None)
    path = big_file(tmp_path / "fr.xlf", 25 * MB)

    with open(path, "rb") as upload:
        response = admin_client.post(url, {**fields, "file": upload})

    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == ["fr.xlf is 25.0 MB; files of at most 5.0 MB can be imported."]
    assert "files of at most 5.0 MB can be imported" in response.content.decode()
    assert response.context["report"] is None  # never parsed


def test_admin_message_is_in_the_editors_language(admin_client, settings):
    settings.BONECARE_MAX_UPLOAD_BYTES = 10
    url = reverse("admin:content_article_import_translations")

    response = admin_client.post(
        url, {"file": SimpleUploadedFile("fr.po", b"x" * 11)}, HTTP_ACCEPT_LANGUAGE="fr"
    )

    error = response.context["form"].errors["file"][0]
    assert "fr.po" in error and "0.0 MB" in error
    assert "can be imported" not in error


def test_a_file_at_the_limit_is_read(admin_client, settings):
    settings.BONECARE_MAX_UPLOAD_BYTES = 20
    response = admin_client.post(
        reverse("admin:content_article_import_translations"), {"file": SimpleUploadedFile("fr.po", b"not a po file")}
    )

    assert "file" not in response.context["form"].errors
    assert response.context["report"] is not None


def test_command_refuses_a_25_mb_file_before_reading_it(settings, tmp_path):
    settings.BONECARE_MAX_UPLOAD_BYTES = 5 * MB
    path = big_file(tmp_path / "fr.po", 25 * MB)

    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as refused:
            call_command("import_translations", str(path))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert str(refused.value) == "nothing imported: fr.po is 25.0 MB; files of at most 5.0 MB can be imported."
    assert peak < 1 * MB


def test_document_importer_refuses_an_oversized_source(settings, tmp_path):
    settings.BONECARE_MAX_UPLOAD_BYTES = 1000
    path = tmp_path / "big.txt"
    path.write_text("Bone cancer\n\n" + "Bone cancer starts in a bone. " * 100)

    with pytest.raises(ImportFailure, match=r"big\.txt is 0\.0 MB; files of at most 0\.0 MB can be imported"):
        import_document(path)
    with pytest.raises(CommandError, match="big.txt is 0.0 MB"):
        call_command("import_documents", str(path), verbosity=0)
    assert not SourceDocument.objects.exists()


# --- special files: their size says nothing about what reading them costs ------------------------------


def _special_files(tmp_path):
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    return {"a FIFO": fifo, "a link to /dev/zero": zero}


@pytest.mark.parametrize("kind", ["a FIFO", "a link to /dev/zero"])
def test_document_importer_refuses_what_is_not_a_regular_file_without_reading_it(tmp_path, kind):
    path = _special_files(tmp_path)[kind]

    with pytest.raises(ImportFailure, match="not a regular file"):
        import_document(path)  # before the fix: hangs on the FIFO, reads /dev/zero until memory runs out
    assert not SourceDocument.objects.exists()


@pytest.mark.parametrize("kind", ["a FIFO", "a link to /dev/zero"])
def test_translation_command_refuses_what_is_not_a_regular_file(tmp_path, kind):
    path = _special_files(tmp_path)[kind]

    with pytest.raises(CommandError, match="not a regular file"):
        call_command("import_translations", str(path))


def test_a_file_that_grows_past_the_limit_after_the_check_is_not_read_whole(settings, tmp_path):
    settings.BONECARE_MAX_UPLOAD_BYTES = 1000
    path = tmp_path / "growing.txt"
    path.write_text("Title\n\nBody.\n")
    from content.editorial import upload_limit

    real_fstat = os.fstat

    def fstat_then_grow(descriptor):
        result = real_fstat(descriptor)
        path.write_bytes(b"x" * 5000)  # written by someone else between the check and the read
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(upload_limit.os, "fstat", fstat_then_grow)
        with pytest.raises(upload_limit.FileTooLarge):
            upload_limit.read_within_limit(path)


# --- units: counted before a file is parsed --------------------------------------------------------------


def many_units_po(count):
    header = b'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    return header + b"".join(b'msgctxt "s%d/x/t"\nmsgid "x"\nmsgstr "y"\n\n' % index for index in range(count))


def test_a_po_with_100000_units_is_refused_before_it_is_parsed_in_the_admin(admin_client):
    data = many_units_po(100_000)  # 4 MB, under the size limit

    tracemalloc.start()
    response = admin_client.post(reverse("admin:content_article_import_translations"),
                                 {"file": SimpleUploadedFile("fr.po", data)})
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert response.status_code == 200
    html = response.content.decode()
    assert "100000 translation units" in html and "at most 5000" in html
    assert peak < 40 * MB  # parsing it cost ~300 MB


def test_an_xliff_with_too_many_units_is_refused_before_it_is_parsed(settings):
    from content.editorial.exchange.importing import import_translations

    settings.BONECARE_MAX_EXCHANGE_UNITS = 3
    units = b"".join(b'<trans-unit id="a/plain/t%d"><source>x</source></trans-unit>' % index for index in range(4))
    data = (b'<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
            b'<file original="f" source-language="en" target-language="fr" datatype="plaintext"><body>'
            + units + b"</body></file></xliff>")

    report = import_translations(data, "fr.xlf")

    assert [str(problem) for problem in report.errors] == [
        "fr.xlf holds 4 translation units; files of at most 3 can be imported. Export fewer articles per file."
    ]


def test_a_source_document_whose_body_is_over_the_field_limit_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("Bone cancer\n\n" + "A long paragraph about bone cancer and its treatment.\n\n" * 3000)

    with pytest.raises(ImportFailure, match="at most 100000 characters"):
        import_document(path)  # before: EditRefused from the write path, a traceback from the command
    assert not SourceDocument.objects.exists()
