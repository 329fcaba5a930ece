"""The tables `quotes` answers with, their Polars schemas (declared once, here), and exports.

Every table answer of :class:`quotes.api.Tracker`, every ``quotes export`` file and every download
of the app has one of these schemas. Columns:

``articles`` (one row per stored article)
    ``article`` id (file name without extension, or the ``id`` given in JSONL/CSV), ``title``,
    ``url``, ``publisher`` (the site or outlet that published the article), ``published`` date,
    ``source`` (the file it was read from), ``content_hash`` (SHA-256 of the text), ``n_chars``,
    ``n_quotes``, ``ingested_at`` (UTC).

``quotes`` (one row per quote)
    ``quote_id`` (stable: a hash of the article id, its content hash, offsets and kind),
    ``cluster_id`` (the statement it reports, see ``clusters``), ``article``, the
    :class:`~quotes.records.Quote` fields (``kind``, ``text``, ``start``/``end`` and ``spans``
    as Python string offsets into the article text, ``cue``, ``speaker`` (canonical, merged
    across articles, or as corrected), ``speaker_mention``, ``speaker_type``, ``role``,
    ``outlet`` (the outlet the article credits for the quote), their offsets,
    ``sentence_index``, ``issues``), ``speaker_resolved`` (the speaker is a name the article
    gives, not a bare pronoun or common noun), ``confidence`` (0-1, from the extraction rules
    that fired and the speaker resolution), ``rules`` (those rules, in order), the quote's place
    in its statement (``is_reference``, ``drift``, ``quoted_words_changed``: see ``variants``),
    and the article's ``title``, ``publisher`` and ``published`` date. Quotes marked "not a
    quote" by a correction are left out of this and every other table.

``speakers`` (one row per speaker entity, merged across articles)
    ``speaker``, ``speaker_type``, ``variants`` (name forms seen), ``roles`` (titles seen),
    ``n_quotes``, ``n_articles``, ``n_clusters``, ``outlets`` (outlets credited for them).

``outlets`` (one row per outlet: credited by a quote, or publisher of an article)
    ``outlet``, ``n_quotes`` (quotes crediting it), ``n_articles`` (articles crediting or
    published by it), ``n_published`` (articles it published), ``speakers``.

``clusters`` (one row per statement: every version of one utterance across articles)
    ``cluster_id``, ``reference`` (the reference version's text), ``reference_quote_id``,
    ``reference_reason`` (why that version: pinned by an editor, the earliest published, the
    originating outlet, the first received), ``n_versions``, ``n_articles``, ``speakers``,
    ``outlets``, ``max_drift``, ``mean_drift`` (0 = identical wording, 1 = nothing in common),
    ``any_quoted_words_changed`` (a version changed words inside quotation marks),
    ``first_published``, ``last_published``.

``variants`` (one row per quote, grouped by cluster: the versions and their drift)
    ``cluster_id``, ``quote_id``, ``is_reference``, ``reference_reason`` (on the reference
    row), ``text``, ``drift`` (changed words over the words of the stretch both versions quote),
    ``dropped``/``added``/``substituted`` (reference words missing, new words, words replaced,
    inside that stretch), ``trimmed``/``extra`` (reference words outside the version's stretch,
    the version's own words around it: span extent, not drift), ``quoted_words_changed`` (words
    inside quotation marks differ from the reference's), ``kind``, ``speaker``, ``outlet``,
    ``article``, ``title``, ``publisher``, ``published``.

``corrections`` (one row per correction a user made, undone ones included in exports)
    ``correction_id``, ``created_at`` (UTC), ``author``, ``action`` (``speaker``,
    ``merge-speakers``, ``split``, ``merge-statements``, ``not-quote``, ``pin``), ``target``
    (the quote id, or the speaker name for ``merge-speakers``), ``value`` (the new speaker, the
    speaker merged into, the other quote of ``merge-statements``), the target quote's
    ``article``, ``start``, ``end`` and ``quote_text`` as they were when the correction was made
    (so it finds its quote again after a re-extraction), ``undone_at`` (UTC; null while in
    force).

``who_said`` (answers of :meth:`~quotes.api.Tracker.who_said`)
    ``quote_id``, ``cluster_id``, ``text``, ``speaker``, ``speaker_type``, ``role``, ``outlet``,
    ``article``, ``title``, ``publisher``, ``published``, ``score`` (0-100: how closely the
    phrase matches this version; the other versions of a matching statement carry the
    statement's best score).

Example:
    >>> empty("clusters").columns[:3]
    ['cluster_id', 'reference', 'reference_quote_id']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import polars as pl

from quotes.errors import InputError

ExportFormat = Literal["parquet", "csv", "ndjson", "xlsx"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("parquet", "csv", "ndjson", "xlsx")

_STR = pl.String()
_INT = pl.Int64()
_FLOAT = pl.Float64()
_DATE = pl.Date()
_STRS = pl.List(pl.String())
_BOOL = pl.Boolean()

SCHEMAS: dict[str, pl.Schema] = {
    "articles": pl.Schema(
        {
            "article": _STR,
            "title": _STR,
            "url": _STR,
            "publisher": _STR,
            "published": _DATE,
            "source": _STR,
            "content_hash": _STR,
            "n_chars": _INT,
            "n_quotes": _INT,
            "ingested_at": pl.Datetime("us", "UTC"),
        }
    ),
    "quotes": pl.Schema(
        {
            "quote_id": _STR,
            "cluster_id": _STR,
            "article": _STR,
            "kind": _STR,
            "text": _STR,
            "start": _INT,
            "end": _INT,
            "spans": pl.List(pl.List(pl.Int64())),
            "cue": _STR,
            "cue_start": _INT,
            "cue_end": _INT,
            "speaker": _STR,
            "speaker_mention": _STR,
            "speaker_start": _INT,
            "speaker_end": _INT,
            "speaker_type": _STR,
            "role": _STR,
            "outlet": _STR,
            "outlet_start": _INT,
            "outlet_end": _INT,
            "sentence_index": _INT,
            "issues": _STRS,
            "speaker_resolved": _BOOL,
            "confidence": _FLOAT,
            "rules": _STRS,
            "is_reference": _BOOL,
            "drift": _FLOAT,
            "quoted_words_changed": _BOOL,
            "title": _STR,
            "publisher": _STR,
            "published": _DATE,
        }
    ),
    "speakers": pl.Schema(
        {
            "speaker": _STR,
            "speaker_type": _STR,
            "variants": _STRS,
            "roles": _STRS,
            "n_quotes": _INT,
            "n_articles": _INT,
            "n_clusters": _INT,
            "outlets": _STRS,
        }
    ),
    "outlets": pl.Schema(
        {
            "outlet": _STR,
            "n_quotes": _INT,
            "n_articles": _INT,
            "n_published": _INT,
            "speakers": _STRS,
        }
    ),
    "clusters": pl.Schema(
        {
            "cluster_id": _STR,
            "reference": _STR,
            "reference_quote_id": _STR,
            "reference_reason": _STR,
            "n_versions": _INT,
            "n_articles": _INT,
            "speakers": _STRS,
            "outlets": _STRS,
            "max_drift": _FLOAT,
            "mean_drift": _FLOAT,
            "any_quoted_words_changed": _BOOL,
            "first_published": _DATE,
            "last_published": _DATE,
        }
    ),
    "variants": pl.Schema(
        {
            "cluster_id": _STR,
            "quote_id": _STR,
            "is_reference": _BOOL,
            "reference_reason": _STR,
            "text": _STR,
            "drift": _FLOAT,
            "dropped": _INT,
            "added": _INT,
            "substituted": _INT,
            "trimmed": _INT,
            "extra": _INT,
            "quoted_words_changed": _BOOL,
            "kind": _STR,
            "speaker": _STR,
            "outlet": _STR,
            "article": _STR,
            "title": _STR,
            "publisher": _STR,
            "published": _DATE,
        }
    ),
    "who_said": pl.Schema(
        {
            "quote_id": _STR,
            "cluster_id": _STR,
            "text": _STR,
            "speaker": _STR,
            "speaker_type": _STR,
            "role": _STR,
            "outlet": _STR,
            "article": _STR,
            "title": _STR,
            "publisher": _STR,
            "published": _DATE,
            "score": _FLOAT,
        }
    ),
    "corrections": pl.Schema(
        {
            "correction_id": _INT,
            "created_at": pl.Datetime("us", "UTC"),
            "author": _STR,
            "action": _STR,
            "target": _STR,
            "value": _STR,
            "article": _STR,
            "start": _INT,
            "end": _INT,
            "quote_text": _STR,
            "undone_at": pl.Datetime("us", "UTC"),
        }
    ),
}

TABLE_NAMES: tuple[str, ...] = (
    "articles",
    "quotes",
    "speakers",
    "outlets",
    "clusters",
    "variants",
    "corrections",
)
"""The tables ``quotes export`` writes (``who_said`` is a query answer, not a stored table)."""


def schema(name: str) -> pl.Schema:
    """The schema of table ``name``; raises :class:`InputError` for an unknown name.

    Example:
        >>> schema("outlets").names()[0]
        'outlet'
    """
    try:
        return SCHEMAS[name]
    except KeyError:
        raise InputError(name, f"unknown table; use one of {', '.join(SCHEMAS)}") from None


def empty(name: str) -> pl.DataFrame:
    """An empty frame of table ``name``.

    Example:
        >>> empty("speakers").height
        0
    """
    return pl.DataFrame(schema=schema(name))


def frame(name: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    """A frame of table ``name`` from row dicts (missing keys are null, extra keys an error).

    Example:
        >>> frame("outlets", [{"outlet": "KCNA", "n_quotes": 3}])["n_quotes"].to_list()
        [3]
    """
    table = schema(name)
    if not rows:
        return empty(name)
    columns = {column: [row.get(column) for row in rows] for column in table.names()}
    extra = set().union(*(row.keys() for row in rows)) - set(table.names())
    if extra:
        raise ValueError(f"columns not in the {name} schema: {sorted(extra)}")
    return pl.DataFrame(columns, schema=table)


def conform(name: str, data: pl.DataFrame) -> pl.DataFrame:
    """``data`` with exactly the columns and types of table ``name``, in order.

    Example:
        >>> conform("outlets", pl.DataFrame({"outlet": ["AP"]})).columns[:2]
        ['outlet', 'n_quotes']
    """
    table = schema(name)
    return data.select(
        [
            pl.col(column).cast(dtype)
            if column in data.columns
            else pl.lit(None, dtype).alias(column)
            for column, dtype in table.items()
        ]
    )


def _nested_columns(data: pl.DataFrame) -> list[str]:
    return [c for c, t in data.schema.items() if isinstance(t, (pl.List, pl.Array, pl.Struct))]


def flatten_nested(data: pl.DataFrame) -> pl.DataFrame:
    """``data`` with list and struct columns as JSON text, for csv and xlsx.

    Example:
        >>> flatten_nested(pl.DataFrame({"spans": [[[0, 2]]]}))["spans"].to_list()
        ['[[0, 2]]']
    """
    replaced = [
        pl.Series(
            column,
            [
                None if value is None else json.dumps(value, ensure_ascii=False)
                for value in data[column].to_list()
            ],
            dtype=pl.String(),
        )
        for column in _nested_columns(data)
    ]
    return data.with_columns(replaced) if replaced else data


def export(data: pl.DataFrame, path: str | Path, format: ExportFormat | str) -> Path:
    """Write ``data`` to ``path`` as parquet, csv, ndjson or xlsx; returns the path written.

    Parquet and NDJSON keep list columns as lists; CSV and XLSX hold them as JSON text
    (``[[0, 12]]``), which :func:`read_export` turns back into lists. The file is written to a
    temporary name first and renamed, so a failed export never leaves a half file.

    Example:
        >>> export(empty("quotes"), new_store_path() / "q.parquet", "parquet").name
        'q.parquet'
    """
    if format not in EXPORT_FORMATS:
        raise InputError(str(path), f"unknown format {format!r}; use {', '.join(EXPORT_FORMATS)}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        if format == "parquet":
            data.write_parquet(partial)
        elif format == "ndjson":
            data.write_ndjson(partial)
        elif format == "csv":
            flatten_nested(data).write_csv(partial)
        else:
            flat = flatten_nested(data)
            # Excel has no time zones: write UTC timestamps as naive UTC.
            flat = flat.with_columns(
                pl.col(c).dt.replace_time_zone(None)
                for c, t in flat.schema.items()
                if isinstance(t, pl.Datetime) and t.time_zone is not None
            )
            flat.write_excel(partial, autofit=True)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(str(target), f"cannot write the file ({exc.strerror or exc})") from None
    return target


def read_export(path: str | Path, format: ExportFormat | str, name: str) -> pl.DataFrame:
    """Read back a file written by :func:`export` as table ``name``, with its schema.

    Example:
        >>> path = export(empty("quotes"), new_store_path() / "q.csv", "csv")
        >>> read_export(path, "csv", "quotes").schema == schema("quotes")
        True
    """
    table = schema(name)
    source = Path(path)
    if format == "parquet":
        return conform(name, pl.read_parquet(source))
    if format == "ndjson":
        return conform(name, pl.read_ndjson(source, schema=table))
    flat_schema = {
        c: (pl.String() if isinstance(t, (pl.List, pl.Struct)) else t) for c, t in table.items()
    }
    if format == "csv":
        data = pl.read_csv(source, schema=flat_schema)
    elif format == "xlsx":
        # Excel has no time zones (written as naive UTC) and keeps times to the millisecond.
        naive = {
            c: (pl.Datetime("us") if isinstance(t, pl.Datetime) else t)
            for c, t in flat_schema.items()
        }
        data = pl.read_excel(source, schema_overrides=naive).with_columns(
            pl.col(c).dt.replace_time_zone(t.time_zone)
            for c, t in flat_schema.items()
            if isinstance(t, pl.Datetime) and t.time_zone is not None
        )
    else:
        raise InputError(str(path), f"unknown format {format!r}; use {', '.join(EXPORT_FORMATS)}")
    restored = [
        pl.Series(
            column,
            [None if text is None else json.loads(text) for text in data[column].to_list()],
            dtype=dtype,
        )
        for column, dtype in table.items()
        if isinstance(dtype, (pl.List, pl.Struct))
    ]
    return conform(name, data.with_columns(restored) if restored else data)
