"""Derived links: speakers merged across articles, clusters of one statement, and drift.

Everything here is computed from the stored quotes inside the caller's write transaction, so the
derived tables always match the quotes they were computed from.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from quotes.records import Quote


@dataclass(frozen=True, slots=True)
class SpeakerEntity:
    """One speaker merged across articles: the name shown, its type, name forms and roles.

    Example:
        >>> SpeakerEntity("Wang Yi", "person", ("Wang",), ()).name
        'Wang Yi'
    """

    name: str
    speaker_type: str
    variants: tuple[str, ...] = ()
    roles: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class _StoredQuote:
    quote_id: str
    article: str
    text: str
    kind: str
    speaker: str | None
    speaker_type: str
    role: str | None
    outlet: str | None
    published: date | None


def _load_stored_quotes(db: sqlite3.Connection) -> list[_StoredQuote]:
    rows = db.execute(
        "SELECT q.quote_id, q.article, q.text, q.kind, q.speaker, q.speaker_type, q.role, "
        "q.outlet, a.published FROM quotes q JOIN articles a ON a.id = q.article "
        "ORDER BY q.quote_id"
    ).fetchall()
    return [
        _StoredQuote(
            quote_id=r[0],
            article=r[1],
            text=r[2],
            kind=r[3],
            speaker=r[4],
            speaker_type=r[5],
            role=r[6],
            outlet=r[7],
            published=date.fromisoformat(r[8]) if r[8] else None,
        )
        for r in rows
    ]


def merge_speaker_names(quotes: Sequence[_StoredQuote]) -> dict[str, SpeakerEntity]:
    """Speaker name -> merged entity, over all stored quotes.

    Uses :func:`quotes.speakers.merge_speakers` (the extraction engine's cross-document merge)
    when it is installed; otherwise each canonical name is its own entity.
    """
    names: dict[str, list[_StoredQuote]] = defaultdict(list)
    for quote in quotes:
        if quote.speaker:
            names[quote.speaker].append(quote)
    merged = _external_merge(names)
    if merged is not None:
        return merged
    entities: dict[str, SpeakerEntity] = {}
    for name, said in names.items():
        types = [q.speaker_type for q in said if q.speaker_type != "unknown"]
        roles = sorted({q.role for q in said if q.role})
        entities[name] = SpeakerEntity(
            name=name,
            speaker_type=max(set(types), key=types.count) if types else "unknown",
            variants=(name,),
            roles=tuple(roles),
        )
    return entities


def _external_merge(names: dict[str, list[_StoredQuote]]) -> dict[str, SpeakerEntity] | None:
    try:
        from quotes.speakers import merge_speakers
    except ImportError:
        return None
    quotes = [
        Quote(
            doc=q.article,
            start=0,
            end=0,
            text="",
            spans=(),
            kind=q.kind,  # type: ignore[arg-type]
            speaker=q.speaker,
            speaker_type=q.speaker_type,  # type: ignore[arg-type]
            role=q.role,
        )
        for said in names.values()
        for q in said
    ]
    entities: dict[str, SpeakerEntity] = {}
    for speaker in merge_speakers(quotes):
        entity = SpeakerEntity(
            name=speaker.name,
            speaker_type=speaker.type,
            variants=tuple(speaker.variants),
            roles=tuple(speaker.roles),
        )
        for variant in speaker.variants:
            entities[variant] = entity
    return entities


def recompute_links(db: sqlite3.Connection) -> None:
    """Rebuild ``links`` and ``speakers`` from every stored quote (inside the caller's transaction).

    Clusters come from :func:`quotes.match.cluster_quotes`; drift from
    :func:`quotes.drift.cluster_drift`, recomputed only for clusters whose members changed.
    """
    from quotes.drift import DriftVersion, cluster_drift
    from quotes.match import MatchItem, cluster_quotes

    stored = _load_stored_quotes(db)
    entities = merge_speaker_names(stored)
    by_id = {q.quote_id: q for q in stored}

    def speaker_of(quote: _StoredQuote) -> str | None:
        if not quote.speaker:
            return None
        entity = entities.get(quote.speaker)
        return entity.name if entity else quote.speaker

    items = [
        MatchItem(
            id=q.quote_id,
            text=q.text,
            speaker=speaker_of(q),
            kind=q.kind,
            doc=q.article,
            published=q.published,
        )
        for q in stored
    ]
    clusters = cluster_quotes(items)
    previous: dict[str, list[tuple[str, int, float]]] = defaultdict(list)
    for qid, cid, is_ref, drift in db.execute(
        "SELECT quote_id, cluster_id, is_reference, drift FROM links"
    ):
        previous[cid].append((qid, is_ref, drift))
    rows: list[tuple[object, ...]] = []
    for cluster in clusters:
        members = cluster.member_ids
        old = previous.get(cluster.id)
        if old is not None and tuple(sorted(m for m, _, _ in old)) == members:
            # Same members as before: the drift is the same; skip the alignment work.
            for qid, is_ref, drift in old:
                rows.append((qid, cluster.id, is_ref, drift, speaker_of(by_id[qid])))
            continue
        if len(members) == 1:
            qid = members[0]
            rows.append((qid, cluster.id, 1, 0.0, speaker_of(by_id[qid])))
            continue
        versions = [
            DriftVersion(
                id=qid,
                text=by_id[qid].text,
                kind=by_id[qid].kind,
                speaker=speaker_of(by_id[qid]),
                outlet=by_id[qid].outlet,
                doc=by_id[qid].article,
                published=by_id[qid].published,
            )
            for qid in members
        ]
        drift = cluster_drift(versions)
        for version in drift.versions:
            qid = version.version.id
            rows.append(
                (qid, cluster.id, int(version.is_reference), version.drift, speaker_of(by_id[qid]))
            )
    db.execute("DELETE FROM links")
    db.executemany(
        "INSERT INTO links(quote_id, cluster_id, is_reference, drift, speaker) "
        "VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    db.execute("DELETE FROM speakers")
    unique: dict[str, SpeakerEntity] = {}
    for entity in entities.values():
        known = unique.get(entity.name)
        if known is None:
            unique[entity.name] = entity
        else:
            unique[entity.name] = SpeakerEntity(
                name=entity.name,
                speaker_type=known.speaker_type
                if known.speaker_type != "unknown"
                else entity.speaker_type,
                variants=tuple(sorted({*known.variants, *entity.variants})),
                roles=tuple(sorted({*known.roles, *entity.roles})),
            )
    db.executemany(
        "INSERT INTO speakers(speaker, speaker_type, variants, roles) VALUES (?, ?, ?, ?)",
        [
            (e.name, e.speaker_type, json.dumps(list(e.variants)), json.dumps(list(e.roles)))
            for e in unique.values()
        ],
    )
