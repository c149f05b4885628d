"""Back up the whole database to one gzip file and restore it into an empty one, SQLite or PostgreSQL alike.

The file is gzip-compressed JSON Lines: a header line (format name and
version, when, from which database vendor, the migrations it was made at, the
row count per model), then one line per row in Django's serialization format,
models in dependency order. Every installed app's models are included, so an
app added later is backed up without a change here, except the tables listed
in EXCLUDED with the reason.

Rows keep their primary keys (history, change-log ids and `live_history_id`
point at them), and links to content types and permissions are written by
natural key, because `migrate` creates those rows itself with ids of its own.
Restore saves raw (no `auto_now`, no history record, no signal does work),
so every timestamp is the one in the file.
"""

import datetime
import gzip
import io
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone, translation
from modeltranslation.translator import translator

FORMAT = "bonecare-backup"
FORMAT_VERSION = 1

# Tables left out, and why. Everything else in every installed app is backed up.
EXCLUDED = {
    "contenttypes.contenttype": "created by migrate; rows that point at one are written by natural key",
    "auth.permission": "created by migrate; users and groups name their permissions by natural key",
    "sessions.session": "log-ins are ephemeral: after a restore everyone logs in again",
    "content.storedpayload": (
        "derived: stored answers are rendered again on the first request (their keys name the old host, and "
        "each is valid for one day only)"
    ),
}

# Rows a fresh `migrate` creates itself (post_migrate): a database holding only these still counts as empty,
# and restore replaces them with the backup's.
CREATED_BY_MIGRATE = {"auth.group"}


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder keeps only milliseconds of a time (so does dumpdata); a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class RestoreRefused(Exception):
    """The file or the target database is not one this restore may proceed with; nothing was written."""


@dataclass
class Progress:
    """Where to report progress: a callable taking one line, or nothing."""

    write: object = None

    def __call__(self, line):
        if self.write:
            self.write(line)


def backed_up_models():
    """Every concrete, managed model of every installed app that is not EXCLUDED, in dependency order."""
    app_list = [
        (config, [model for model in config.get_models() if _included(model)]) for config in apps.get_app_configs()
    ]
    return serializers.sort_dependencies([(config, models) for config, models in app_list if models])


def _included(model):
    opts = model._meta
    return opts.managed and not opts.proxy and not opts.auto_created and opts.label_lower not in EXCLUDED


def applied_migrations(using):
    """{app: the applied migration names} of the database, for the apps that have migrations."""
    applied = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def backup(path, using=DEFAULT_DB_ALIAS, progress=None):
    """Write every backed-up row to `path` (gzip JSON Lines); return {model label: rows}.

    Read in one transaction (REPEATABLE READ on PostgreSQL) so the file is a
    consistent snapshot even while editors keep working.
    """
    progress = Progress(progress)
    connection = connections[using]
    models = backed_up_models()
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        counts = {model._meta.label_lower: model._base_manager.using(using).count() for model in models}
        header = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "migrations": applied_migrations(using),
            "counts": counts,
        }
        # Written beside the target and renamed at the end: a failed backup never leaves a file that looks whole.
        partial = Path(f"{path}.partial")
        # It holds password hashes and key digests: readable by its owner only, from the first byte.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        with open(descriptor, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as compressed, \
                io.TextIOWrapper(compressed, encoding="utf-8") as output:
            output.write(json.dumps(header) + "\n")
            for model in models:
                label = model._meta.label_lower
                rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=500)
                # The untranslated column of a translated field is written as it is stored (see _raw_row).
                for row in rows:
                    record = serializers.serialize(
                        "python", [row], use_natural_foreign_keys=True, use_natural_primary_keys=False
                    )[0]
                    record["fields"].update(_raw_originals(row))
                    output.write(json.dumps(record, cls=ExactJSONEncoder, ensure_ascii=False) + "\n")
                progress(f"  {label}: {counts[label]} rows")
        partial.replace(path)
    return counts


def _translated_fields(model):
    """The translated fields' names of a model (modeltranslation), or ()."""
    if model not in translator.get_registered_models(abstract=False):
        return ()
    return tuple(sorted(translator.get_options_for_model(model).all_fields))


def _raw_originals(row):
    """The untranslated columns (`title`, ...) as stored, not as modeltranslation's descriptor would read them.

    Reading `row.title` gives the active language's text with fallback; the
    column itself holds whatever language was active at the last save.
    Both the backup and the restore copy the column as it is.
    """
    return {name: row.__dict__.get(name) for name in _translated_fields(type(row))}


def read_header(path):
    """The header of a backup file, or RestoreRefused saying why it is not one."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as source:
            header = json.loads(source.readline())
    except (OSError, EOFError, ValueError) as error:
        raise RestoreRefused(f"{path} is not a BoneCare backup (gzip JSON Lines): {error}") from error
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise RestoreRefused(f"{path} is not a BoneCare backup: its first line does not say format={FORMAT!r}.")
    if header.get("format_version") != FORMAT_VERSION:
        raise RestoreRefused(
            f"{path} is backup format version {header.get('format_version')}; this version of BoneCare restores "
            f"version {FORMAT_VERSION} only."
        )
    return header


def rows_present(using=DEFAULT_DB_ALIAS):
    """{model label: rows} of the backed-up models that hold rows a fresh migrate would not have made."""
    present = {}
    for model in backed_up_models():
        label = model._meta.label_lower
        if label in CREATED_BY_MIGRATE:
            continue
        count = model._base_manager.using(using).count()
        if count:
            present[label] = count
    return present


def restore(path, using=DEFAULT_DB_ALIAS, progress=None):
    """Load a backup into an empty, migrated database, all or nothing; return {model label: rows}."""
    progress = Progress(progress)
    header = read_header(path)
    connection = connections[using]
    here = applied_migrations(using)
    if header["migrations"] != here:
        differing = sorted(app for app in set(header["migrations"]) | set(here)
                           if header["migrations"].get(app) != here.get(app))
        raise RestoreRefused(
            "The backup was made at other migrations than this database has (apps: " + ", ".join(differing) + "). "
            "Restore it with the BoneCare version that made it, into a database migrated to the same point."
        )
    present = rows_present(using)
    if present:
        listed = ", ".join(f"{label} ({count})" for label, count in sorted(present.items()))
        raise RestoreRefused(
            f"Restore only goes into an empty database (just migrated), and this one holds rows: {listed}. "
            "Create a new database, run `manage.py migrate`, and restore into that."
        )
    known = {model._meta.label_lower: model for model in backed_up_models()}
    counts = Counter()
    originals = {}
    # One known language while loading: modeltranslation reads it when it builds and saves rows.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic(using=using):
        for label in CREATED_BY_MIGRATE:
            apps.get_model(label)._base_manager.using(using).all().delete()
        with connection.constraint_checks_disabled():
            with gzip.open(path, "rt", encoding="utf-8") as source:
                source.readline()
                for line in source:
                    record = json.loads(line)
                    label = record["model"]
                    if label not in known:
                        raise RestoreRefused(f"The backup holds rows of {label}, which is not installed here.")
                    for deserialized in serializers.deserialize("python", [record], using=using,
                                                                handle_forward_references=False):
                        deserialized.save(using=using)
                    model = known[label]
                    names = _translated_fields(model)
                    if names:
                        originals.setdefault(model, []).append(
                            [*(record["fields"].get(name) for name in names), deserialized.object.pk]
                        )
                    counts[label] += 1
                    if counts[label] == header["counts"].get(label):
                        progress(f"  {label}: {counts[label]} rows")
        for model, values in originals.items():
            _write_raw_originals(connection, model, values)
        connection.check_constraints(table_names=[model._meta.db_table for model in known.values()])
        if counts != Counter({label: n for label, n in header["counts"].items() if n}):
            raise RestoreRefused(f"The file is incomplete: rows read {dict(counts)}, header says {header['counts']}.")
        _reset_sequences(connection, list(known.values()))
    return dict(counts)


def _write_raw_originals(connection, model, values):
    """Put back the untranslated columns as the backup stored them (the ORM save wrote the active language's)."""
    quote = connection.ops.quote_name
    names = _translated_fields(model)
    columns = ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in names)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {columns} WHERE {quote(model._meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _reset_sequences(connection, models):
    """On PostgreSQL, move each id sequence past the restored ids, or the next insert collides."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
