"""The incidents use case: the model suggests links, people confirm, split, merge or reject them per layer.

A layer's incidents are its own (confirmed, or rejected suggestions kept as evaluation data), then the
model's suggestions it has not decided on, mapped onto its events, then every other report as a single
incident: each report is in exactly one incident, so exports count every event once. Edits go through
the history table on the layer's incident stack (no document), so they undo like every other edit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from annotator.core.dto import MODEL, Changes, Origin, Status
from annotator.core.errors import UserError
from annotator.core.incidents import Incident
from annotator.core.progress import NullProgress, Progress
from annotator.core.schema import Schema
from annotator.nlp.geocode import Geocoder
from annotator.services import history, records
from annotator.services.consolidate import ReportData, consolidate
from annotator.services.history import Touched
from annotator.services.incident_reports import incident_types, load_reports, report_ids, sentences
from annotator.services.linking import link
from annotator.services.places import LINKS_KEY
from annotator.store import models as m
from annotator.store.database import Database

SINGLE = "single"  # the status of a report no link joins to another


@dataclass(frozen=True, slots=True)
class _Group:
    key: int | None
    layer: str
    status: str
    score: float | None
    reasons: tuple[str, ...]
    event_ids: tuple[int, ...]
    id: str = ""


def _name(session: Session, groups: list[_Group]) -> list[_Group]:
    """Ids from the text, not the database: the first report's document and trigger offset ("doc@123").

    So the same annotations give the same ids in every export and after a round trip through a file.
    """
    anchors: dict[int, tuple[str, int]] = {}
    ids = [e for g in groups for e in g.event_ids]
    for i in range(0, len(ids), 500):
        rows = session.execute(
            select(m.Event.id, m.Document.external_id, m.Event.trigger_start)
            .join(m.Document, m.Document.id == m.Event.document_id)
            .where(m.Event.id.in_(ids[i : i + 500]))
        )
        anchors.update({event_id: (doc_id, start) for event_id, doc_id, start in rows})
    named, seen = [], Counter[str]()
    for group in sorted(groups, key=lambda g: min((*anchors[e], e) for e in g.event_ids)):
        doc_id, start = min(anchors[e] for e in group.event_ids)
        base = f"{doc_id}@{start}"
        seen[base] += 1
        named.append(replace(group, id=base if seen[base] == 1 else f"{base}.{seen[base]}"))
    return named


class IncidentService:
    """Reads and edits incidents; every edit commits at once and returns its Changes with a history id."""

    def __init__(self, db: Database, schema: Schema, geocoder: Geocoder | None = None) -> None:
        self.db = db
        self.schema = schema
        self.geocoder = geocoder or Geocoder()
        self.types = incident_types(schema)
        self.disorder = {
            str(k): str(v) for k, v in ((schema.mappings.get("acled") or {}).get("disorder_type") or {}).items()
        }

    # -- the model's suggestions -----------------------------------------------------------------------------

    def _signature(self, session: Session) -> str:
        model = records.annotator_id(session, MODEL)
        count, top = session.execute(
            select(func.count(m.Event.id), func.max(m.Event.id)).where(m.Event.annotator_id == model)
        ).one()
        return f"{count}:{top}"

    def suggestions_stale(self) -> bool:
        with self.db.reader() as session:
            stored = session.get(m.ProjectInfo, LINKS_KEY)
            return stored is None or stored.value != self._signature(session)

    def suggest(self, progress: Progress | None = None) -> Changes:
        """Link the model's events into suggested incidents; clusters found before keep their ids."""
        progress = progress or NullProgress()
        progress.start(3, "Linking reports into incidents")
        with self.db.reader() as session:
            data = load_reports(session, report_ids(session, MODEL, self.types), self.schema, self.geocoder)
        progress.advance(1, "reports read")
        clusters = [c for c in link([d.report for d in data.values()]) if len(c.event_ids) > 1]
        progress.advance(1, "reports linked")
        with self.db.session() as session:
            model = records.annotator_id(session, MODEL)
            existing = {
                frozenset(x.event_id for x in inc.members): inc
                for inc in session.scalars(
                    select(m.Incident).where(m.Incident.annotator_id == model, m.Incident.status == Status.SUGGESTED)
                )
            }
            wanted = {frozenset(c.event_ids): c for c in clusters}
            for members, inc in existing.items():
                if members not in wanted:
                    session.delete(inc)
            session.flush()
            for members, cluster in wanted.items():
                row = existing.get(members)
                if row is None:
                    row = m.Incident(annotator_id=model, origin=Origin.MODEL, status=Status.SUGGESTED, attrs={})
                    row.members = [m.IncidentMember(event_id=e) for e in sorted(members)]
                    session.add(row)
                row.score, row.reasons = cluster.score, list(cluster.reasons)
            info = session.get(m.ProjectInfo, LINKS_KEY)
            if info is None:
                session.add(m.ProjectInfo(key=LINKS_KEY, value=self._signature(session)))
            else:
                info.value = self._signature(session)
        progress.advance(1, "suggestions stored")
        progress.finish()
        return Changes(incidents=True)

    def ensure_suggestions(self, progress: Progress | None = None) -> None:
        """Suggest links when the model's events changed since the last time (new imports)."""
        if self.suggestions_stale():
            self.suggest(progress)

    # -- reading ---------------------------------------------------------------------------------------------

    def _partition(
        self, session: Session, layer: str, documents: Sequence[int] | None, reviewed_only: bool = False
    ) -> list[_Group]:
        effective = report_ids(session, layer, self.types, documents, reviewed_only=reviewed_only)
        usable = set(effective)
        aid = records.annotator_id(session, layer)
        groups: list[_Group] = []
        taken: set[int] = set()
        decided: set[int] = set()
        for inc in session.scalars(select(m.Incident).where(m.Incident.annotator_id == aid).order_by(m.Incident.id)):
            if inc.source_id is not None:
                decided.add(inc.source_id)
            members = tuple(x.event_id for x in inc.members if x.event_id in usable and x.event_id not in taken)
            if inc.status == Status.REJECTED or not members or (reviewed_only and inc.status == Status.SUGGESTED):
                continue
            taken.update(members)
            groups.append(_Group(inc.id, layer, inc.status, inc.score, tuple(inc.reasons or ()), members))
        if layer != MODEL and not reviewed_only:  # the model's links are suggestions until someone confirms them
            model = records.annotator_id(session, MODEL)
            suggestions = session.scalars(
                select(m.Incident)
                .where(m.Incident.annotator_id == model, m.Incident.status == Status.SUGGESTED)
                .order_by(m.Incident.id)
            ).all()
            mapped = _counterparts(session, aid, [x.event_id for s in suggestions for x in s.members])
            for s in suggestions:
                if s.id in decided:
                    continue
                ids = [mapped.get(x.event_id, x.event_id) for x in s.members]
                members = tuple(dict.fromkeys(e for e in ids if e in usable and e not in taken))
                if len(members) > 1:
                    taken.update(members)
                    groups.append(_Group(s.id, MODEL, Status.SUGGESTED, s.score, tuple(s.reasons or ()), members))
        groups += [_Group(None, layer, SINGLE, None, (), (e,)) for e in effective if e not in taken]
        return _name(session, groups)

    def incidents(
        self,
        layer: str,
        documents: Sequence[int] | None = None,
        *,
        with_sentences: bool = False,
        reviewed_only: bool = False,
    ) -> list[Incident]:
        """Every incident of the layer (over `documents`, if given), consolidated, by date then id.

        `reviewed_only`: only reports a person accepted or made, linked only as a person confirmed.
        """
        with self.db.reader() as session:
            groups = self._partition(session, layer, documents, reviewed_only)
            ids = [e for g in groups for e in g.event_ids]
            data = load_reports(session, ids, self.schema, self.geocoder)
            found = [self._consolidate(g, [data[e] for e in g.event_ids if e in data]) for g in groups]
            if with_sentences:
                said = sentences(session, [x for inc in found for x in inc.members])
                found = [
                    replace(inc, members=tuple(replace(x, sentence=said.get(x.event_id, "")) for x in inc.members))
                    for inc in found
                ]
        return sorted(found, key=lambda i: (i.date.value or "9999", i.id))

    def incident(self, layer: str, incident_id: str) -> Incident | None:
        """One incident with its members' sentences (the Incidents view's detail pane)."""
        with self.db.reader() as session:
            group = next((g for g in self._partition(session, layer, None) if g.id == incident_id), None)
            if group is None:
                return None
            data = load_reports(session, group.event_ids, self.schema, self.geocoder)
            found = self._consolidate(group, [data[e] for e in group.event_ids if e in data])
            said = sentences(session, found.members)
        return replace(found, members=tuple(replace(x, sentence=said.get(x.event_id, "")) for x in found.members))

    def export_refs(self, incidents: Sequence[Incident]) -> dict[int, tuple[str, str]]:
        """(document id, event id) of each report as the native JSONL export numbers it (EV1.. in text order)."""
        refs: dict[int, tuple[str, str]] = {}
        with self.db.reader() as session:
            layers = session.execute(
                select(m.Event.document_id, m.Event.annotator_id, m.Document.external_id)
                .join(m.Document, m.Document.id == m.Event.document_id)
                .where(m.Event.id.in_([e for i in incidents for e in i.event_ids]))
                .distinct()
            ).all()
            for document_id, aid, doc_id in layers:
                ordered = session.execute(
                    select(m.Event.id)
                    .where(m.Event.document_id == document_id, m.Event.annotator_id == aid)
                    .order_by(m.Event.trigger_start, m.Event.trigger_end, m.Event.type, m.Event.id)
                ).scalars()
                refs.update({event_id: (doc_id, f"EV{n}") for n, event_id in enumerate(ordered, 1)})
        return refs

    def _consolidate(self, group: _Group, data: list[ReportData]) -> Incident:
        return consolidate(
            incident_id=group.id,
            key=group.key,
            layer=group.layer,
            status=group.status,
            score=group.score,
            reasons=group.reasons,
            data=data,
            disorder=self.disorder,
        )

    # -- editing ---------------------------------------------------------------------------------------------

    def _edit(
        self,
        layer: str,
        operation: str,
        description: str,
        event_ids: Sequence[int],
        keys: Sequence[int],
        apply: Callable[[Session, int, list[int], Touched], None],
    ) -> Changes:
        """The incident edit frame: the layer's events are made its own, then one history entry records it."""
        if layer == MODEL:
            raise UserError("the model's suggestions are read-only: choose your own layer to link reports")
        with self.db.session() as session:
            aid = records.annotator_id(session, layer)
            own = _own_events(session, aid, event_ids)
            holding = set(
                session.scalars(select(m.IncidentMember.incident_id).where(m.IncidentMember.event_id.in_(own)))
            )
            mine = set(
                session.scalars(select(m.Incident.id).where(m.Incident.id.in_(keys), m.Incident.annotator_id == aid))
            )
            touched = Touched(set(), set(), holding | mine)
            hid = history.record_edit(
                session, None, aid, operation, description, touched, lambda: apply(session, aid, own, touched)
            )
            documents = set(session.scalars(select(m.Event.document_id).where(m.Event.id.in_(own))))
        return Changes(documents=frozenset(documents), incidents=True, history_id=hid)

    @staticmethod
    def _own_key(incident: Incident, layer: str) -> int | None:
        return incident.key if incident.layer == layer and incident.key is not None else None

    def confirm(self, layer: str, incident: Incident) -> Changes:
        """Take an incident into the layer as it stands: a suggestion becomes the annotator's own, accepted."""
        own_key = self._own_key(incident, layer)

        def apply(session: Session, aid: int, own: list[int], touched: Touched) -> None:
            if own_key is not None:
                session.get_one(m.Incident, own_key).status = Status.ACCEPTED
                return
            _detach(session, own, None)
            source = incident.key if incident.layer == MODEL else None
            origin = Origin.MODEL if source is not None else Origin.HUMAN
            touched.incidents.add(_create(session, aid, own, origin, Status.ACCEPTED, source, incident))

        what = f"Confirm incident of {len(incident.members)} report(s)"
        keys = [own_key] if own_key is not None else []
        return self._edit(layer, "confirm_incident", what, incident.event_ids, keys, apply)

    def reject(self, layer: str, incident: Incident) -> Changes:
        """Reject a suggested link (kept, as evaluation data); an own incident is dissolved into single reports."""
        if incident.status == SINGLE:
            raise UserError("a single report is not a link: there is nothing to reject")
        own_key = self._own_key(incident, layer)

        def apply(session: Session, aid: int, own: list[int], touched: Touched) -> None:
            if own_key is not None:
                session.delete(session.get_one(m.Incident, own_key))
                return
            row = m.Incident(
                annotator_id=aid,
                origin=Origin.MODEL,
                status=Status.REJECTED,
                score=incident.score,
                reasons=list(incident.reasons),
                source_id=incident.key,
                attrs={"events": own},
            )
            session.add(row)
            session.flush()
            touched.incidents.add(row.id)

        what = "Dissolve incident" if own_key is not None else "Reject suggested incident"
        keys = [own_key] if own_key is not None else []
        return self._edit(layer, "reject_incident", what, incident.event_ids, keys, apply)

    def split(self, layer: str, incident: Incident, leaving: Sequence[int]) -> Changes:
        """Take reports out of an incident (they become single reports); the rest is confirmed."""
        leaving = [e for e in incident.event_ids if e in set(leaving)]
        staying = [e for e in incident.event_ids if e not in set(leaving)]
        if not leaving or not staying:
            raise UserError("choose some, but not all, of the incident's reports to split off")
        own_key = self._own_key(incident, layer)

        def apply(session: Session, aid: int, own: list[int], touched: Touched) -> None:
            mapping = dict(zip(incident.event_ids, own, strict=True))
            out, kept = [mapping[e] for e in leaving], [mapping[e] for e in staying]
            if own_key is not None:
                session.execute(
                    delete(m.IncidentMember).where(
                        m.IncidentMember.incident_id == own_key, m.IncidentMember.event_id.in_(out)
                    )
                )
                session.get_one(m.Incident, own_key).status = Status.ACCEPTED
                return
            _detach(session, own, None)
            source = incident.key if incident.layer == MODEL else None
            touched.incidents.add(_create(session, aid, kept, Origin.HUMAN, Status.ACCEPTED, source, incident))

        keys = [own_key] if own_key is not None else []
        what = f"Split {len(leaving)} report(s) off an incident"
        return self._edit(layer, "split_incident", what, incident.event_ids, keys, apply)

    def merge(self, layer: str, incidents: Sequence[Incident]) -> Changes:
        """Join incidents into one confirmed incident: the first own one absorbs the rest."""
        if len(incidents) < 2:
            raise UserError("choose two or more incidents to merge")
        events = [e for inc in incidents for e in inc.event_ids]
        own_keys = [k for inc in incidents if (k := self._own_key(inc, layer)) is not None]
        source = next((inc.key for inc in incidents if inc.layer == MODEL), None)

        def apply(session: Session, aid: int, own: list[int], touched: Touched) -> None:
            target = own_keys[0] if own_keys else None
            _detach(session, own, target)
            if target is None:
                touched.incidents.add(_create(session, aid, own, Origin.HUMAN, Status.ACCEPTED, source, None))
                return
            row = session.get_one(m.Incident, target)
            present = {x.event_id for x in row.members}
            row.members += [m.IncidentMember(event_id=e) for e in own if e not in present]
            row.status = Status.ACCEPTED

        what = f"Merge {len(incidents)} incidents"
        return self._edit(layer, "merge_incidents", what, events, own_keys, apply)


def store_imported(db: Database, links: dict[tuple[int, str], list[int]]) -> int:
    """Incidents read from files: events sharing an incident id are linked (suggested in the model's layer)."""
    created = 0
    with db.session() as session:
        model = records.annotator_id(session, MODEL)
        for (aid, _name), events in sorted(links.items()):
            if len(events) < 2:
                continue  # a single report needs no stored link
            _detach(session, events, None)
            status, origin = (Status.SUGGESTED, Origin.MODEL) if aid == model else (Status.ACCEPTED, Origin.HUMAN)
            _create(session, aid, events, origin, status, None, None)
            created += 1
    return created


def _create(
    session: Session,
    aid: int,
    events: Sequence[int],
    origin: str,
    status: str,
    source: int | None,
    template: Incident | None,
) -> int:
    row = m.Incident(
        annotator_id=aid,
        origin=origin,
        status=status,
        score=template.score if template is not None else None,
        reasons=list(template.reasons) if template is not None else [],
        source_id=source,
        attrs={},
    )
    row.members = [m.IncidentMember(event_id=e) for e in dict.fromkeys(events)]
    session.add(row)
    session.flush()
    return row.id


def _detach(session: Session, events: Sequence[int], keep: int | None) -> None:
    """Events leave the layer's other incidents; an incident left without reports goes."""
    holders = set(
        session.scalars(
            select(m.IncidentMember.incident_id).where(
                m.IncidentMember.event_id.in_(list(events)), m.IncidentMember.incident_id != (keep or 0)
            )
        )
    )
    session.execute(
        delete(m.IncidentMember).where(
            m.IncidentMember.event_id.in_(list(events)), m.IncidentMember.incident_id.in_(holders)
        )
    )
    session.flush()
    session.expire_all()
    for incident in session.scalars(select(m.Incident).where(m.Incident.id.in_(holders))):
        if not incident.members:
            session.delete(incident)
    session.flush()


def _counterparts(session: Session, aid: int, model_events: Sequence[int]) -> dict[int, int]:
    """The annotator's copy of each model event, in documents where the annotator has a layer."""
    if not model_events:
        return {}
    rows = session.execute(
        select(m.Event.id, m.Event.document_id, m.Event.type, m.Event.trigger_start, m.Event.trigger_end).where(
            m.Event.id.in_(list(model_events))
        )
    ).all()
    documents = {r.document_id for r in rows}
    copies: dict[tuple[int, int, int], list[tuple[str, int]]] = {}
    for ev_id, doc, etype, start, end in session.execute(
        select(m.Event.id, m.Event.document_id, m.Event.type, m.Event.trigger_start, m.Event.trigger_end)
        .where(m.Event.annotator_id == aid, m.Event.document_id.in_(documents), m.Event.status != Status.REJECTED)
        .order_by(m.Event.id)
    ):
        copies.setdefault((doc, start, end), []).append((etype, ev_id))
    found = {}
    for r in rows:
        options = copies.get((r.document_id, r.trigger_start, r.trigger_end), [])
        same = next((i for t, i in options if t == r.type), None)
        chosen = same if same is not None else (options[0][1] if options else None)
        if chosen is not None:
            found[r.id] = chosen
    return found


def _own_events(session: Session, aid: int, event_ids: Sequence[int]) -> list[int]:
    """The annotator's own events for these reports: model events become the annotator's copies (the
    document's layer is made first, as opening it would)."""
    rows = session.execute(
        select(m.Event.id, m.Event.document_id, m.Event.annotator_id).where(m.Event.id.in_(list(event_ids)))
    ).all()
    if len(rows) != len(set(event_ids)):
        raise UserError("some of those reports are gone (deleted since the list was shown); refresh and retry")
    foreign = [r for r in rows if r.annotator_id != aid]
    for document_id in sorted({r.document_id for r in foreign}):
        records.ensure_layer(session, document_id, aid)
    mapped = _counterparts(session, aid, [r.id for r in foreign])
    own = []
    for event_id in event_ids:
        row = next(r for r in rows if r.id == event_id)
        if row.annotator_id == aid:
            own.append(event_id)
        elif event_id in mapped:
            own.append(mapped[event_id])
        else:
            raise UserError(f"report {event_id} is not in this layer (it was deleted or rejected here)")
    return own
