"""The import's plan: every record of a document checked, its references resolved, its id chosen.

Owns the rules of an import's ``merge``: a row whose uuid or natural key already exists is skipped,
and so is every row it owns (ON DELETE CASCADE) — except inside an event (``ADDED_INSIDE``), whose
assignments and targets are added when they are new; a row that would repeat a unique value is
refused; a row repeated in the file is refused; a flag one row per owner may carry
(``ONE_PER_OWNER``: the preferred product of an ingredient) stays with the stored row, and a new
row is added without it. Every skip is counted with its reason (``skip_reasons``). ``Plan.check``
applies them to every section in document order, a column at a time when the whole section allows
it (``columns.check_section``), record by record otherwise (``values``), and words each problem
for the user (``words``: which record, which field, what is wrong, what to do); ``Plan.write``
hands the checked rows to ``write``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import UniqueConstraint, func, select
from sqlalchemy.orm import Session

from bake_tracker.services.transfer import columns, words, write
from bake_tracker.services.transfer.columns import RecordByRecord
from bake_tracker.services.transfer.format import (
    SECTION_BY_NAME,
    SECTIONS,
    Section,
    doc_key,
    document_fields,
)
from bake_tracker.services.transfer.read import INEXACT_TYPES, Inexact
from bake_tracker.services.transfer.values import describe, parse, parse_key_part

# Sections whose rows are added inside an existing owner in merge mode, judged by their own natural
# key: an event gathers assignments and targets over weeks, on several computers, and merging two
# files must keep both sets. A recipe's, package's or finished good's contents are one definition:
# merging them with another would make a third that nobody wrote, so those stay as they are.
ADDED_INSIDE = frozenset(
    {"event_recipient_packages", "event_production_targets", "event_assembly_targets"}
)
REFUSED = 0  # the id of a record refused for its own problems: what refers to it is not blamed
SAME_UUID = "the same uuid is already in the database"
REFERRED_TO = frozenset(ref.section for section in SECTIONS for ref in section.refs)
OWNER_KEPT = "it belongs to {owner} already in the database, which is kept as it is"


@dataclass(frozen=True)
class OnePerOwner:
    """A flag at most one row per owner may carry (a partial unique index the plan keeps itself,
    so that merge can keep the database's choice instead of failing on the index): a new row
    flagged for an owner whose row in the database already is, is added unflagged; two flagged
    rows of one owner in the file are refused."""

    owner: str  # the owner's column, say ``ingredient_id``
    flag: str  # the boolean column, say ``preferred``
    kept: str  # what the import report says of the rows added unflagged
    repeated: str  # the problem of a second flagged row in the file


ONE_PER_OWNER = {
    "products": OnePerOwner(
        "ingredient_id",
        "preferred",
        kept="added as not preferred: their ingredient already has a preferred product in the "
        "database, which stays preferred",
        repeated="is marked preferred, and so is another product of the same ingredient in the "
        "file. Mark only one of them as preferred.",
    )
}


def _nothing() -> None:
    pass


@dataclass(frozen=True)
class Existing:
    """What a section already holds: ids by uuid and by natural key, and the largest id."""

    by_uuid: dict[str, int]
    by_key: dict[tuple, int]
    last_id: int


class Plan:
    """Every row of the document checked, its references resolved and its new id chosen."""

    def __init__(
        self, session: Session, document: dict, *, empty: bool, exact: bool, owned: bool = False
    ) -> None:
        self.session = session
        self.document = document
        self.owned = owned  # the document was read from a file for this import: see ``check``
        self.empty = empty  # replace mode: check against an empty database
        self.exact = exact  # False: parsed by orjson, see read.read_json
        self.errors: list[str] = []
        self.ids: dict[str, dict[tuple, int]] = {}  # section → document key → id
        self.skipped_ids: dict[str, set[int]] = defaultdict(set)
        self.rows: dict[str, list[dict]] = {}
        self.stored: dict[str, tuple[list[str], list[tuple]]] = {}  # checked a column at a time
        self.added = dict.fromkeys(SECTION_BY_NAME, 0)
        self.skipped = dict.fromkeys(SECTION_BY_NAME, 0)
        self.skip_reasons: dict[str, dict[str, int]] = {}  # section → why → how many
        self.unflagged: dict[str, int] = {}  # section → new rows added unflagged (ONE_PER_OWNER)
        self.last_ids: dict[str, int] = {}  # section → its table's largest id before the import
        self._waits: Callable[[], None] = _nothing

    def check(self, writer: write.Writer | None = None) -> None:
        """Every section checked; with ``writer``, written too while nothing is wrong: each
        section as soon as it is checked, its indexes put back while the next ones are checked
        (``write.Writer``)."""
        self._waits = writer.wait if writer is not None else _nothing
        for section in SECTIONS:
            records = self.document.get(section.name, [])
            if not isinstance(records, list):
                self.errors.append(
                    f'The section "{section.name}" must be a list of records in [ ] '
                    f"(found {words.quote(records)}). Correct the file."
                )
                continue
            self._check_section(section, records)
            if self.owned:  # its records are not needed again: freed now, beside the writer's
                self.document[section.name] = None  # work, instead of all at the end (0.3 s)
                del records
            if writer is not None and not self.errors:
                self._write(writer, section)
        if writer is None or self.errors:
            return
        writer.finish()

    def _write(self, writer: write.Writer, section: Section) -> None:
        writer.add(section, self.stored.get(section.name), self.rows.get(section.name, []))

    # --- one section ------------------------------------------------------------------------------

    def _check_section(self, section: Section, records: list) -> None:
        self.ids[section.name] = {}
        existing = self._existing(section)
        uniques = self._unique_values(section)
        flagged = self._flagged_owners(section)
        try:
            self._check_section_whole(section, records, existing, uniques, flagged)
            return
        except (RecordByRecord, TypeError):  # TypeError: say, a list where a name should be
            pass  # something to report, skip or convert one by one: the checks below
        if not self.exact and any(
            not INEXACT_TYPES.isdisjoint(map(type, record.values()))
            for record in records
            if isinstance(record, dict)
        ):
            raise Inexact  # the column checks refuse floats; these checks read and show them
        rows = self._check_records(section, records, existing, uniques, flagged)
        self.rows[section.name] = rows
        self.added[section.name] = len(rows)

    def _check_section_whole(
        self, section: Section, records: list, existing: Existing, uniques: dict, flagged: set
    ) -> None:
        """The usual case, a column at a time (``columns.check_section``): every record well
        formed and new, nothing skipped; ``RecordByRecord`` otherwise, before anything is kept."""
        names, rows, keys = columns.check_section(
            section,
            records,
            ids=self.ids,
            skipped_ids=self.skipped_ids,
            existing_uuid=existing.by_uuid,
            existing_key=existing.by_key,
            next_id=existing.last_id,
            uniques=uniques,
            moments_as_text=write.takes_text_moments(self.session.get_bind().dialect),
        )
        rule = ONE_PER_OWNER.get(section.name)
        if rule is not None:  # any row to add unflagged or to refuse: looked at one by one
            owner, flag = names.index(rule.owner), names.index(rule.flag)
            owners = [row[owner] for row in rows if row[flag]]
            if len(set(owners)) != len(owners) or not flagged.isdisjoint(owners):
                raise RecordByRecord
        if section.name in REFERRED_TO:  # nothing looks up the others' keys (270,000 ledger rows)
            self.ids[section.name].update(keys)
        self.stored[section.name] = (names, rows)
        self.rows[section.name] = []
        self.added[section.name] = len(rows)

    def _check_records(
        self, section: Section, records: list, existing: Existing, uniques: dict, flagged: set
    ) -> list[dict]:
        """The section record by record: the new rows, each with its new id; problems, skips and
        repeats are recorded on the plan."""
        rows: list[dict] = []
        seen_uuids: set = set()
        seen_keys: set = set()
        flagged_in_file: set = set()  # owners a row of the file flags (ONE_PER_OWNER)
        next_id = existing.last_id
        for index, record in enumerate(records):
            where = words.record(section.name, record, index)
            if not isinstance(record, dict):
                self.errors.append(
                    f"{where} must be an object in {{ }} (found {words.quote(record)}). "
                    "Correct the file."
                )
                continue
            row = self._row(section, record, where)
            if row is None:
                self._remember(section, record, REFUSED)  # its own problems are listed
                continue
            key = tuple(row.get(c) for c in section.key)
            if row["uuid"] in seen_uuids or (section.key and key in seen_keys):
                same = "uuid" if row["uuid"] in seen_uuids else describe(section, record)
                self.errors.append(
                    f"{where} appears twice in the file (same {same}). Remove one of them."
                )
                continue
            seen_uuids.add(row["uuid"])
            seen_keys.add(key)
            if self._skips(section, record, row, key, existing):
                continue
            if not self._unique_ok(section, row, uniques, where):
                continue
            if not self._one_per_owner_ok(section, row, flagged, flagged_in_file, where):
                continue
            next_id += 1
            row["id"] = next_id
            self._remember(section, record, next_id)
            rows.append(row)
        return rows

    def _skips(
        self, section: Section, record: dict, row: dict, key: tuple, existing: Existing
    ) -> bool:
        """Whether merge keeps an existing row instead of this record: its uuid or natural key
        exists, or its owner was skipped. A skipped record's key then names the existing row."""
        reason = SAME_UUID
        found = existing.by_uuid.get(row["uuid"])
        if found is None and section.key:
            found = existing.by_key.get(key)
            reason = f"the same {self._key_words(section)} is already in the database"
        if found is None:
            owner = self._owner_skipped(section, row)
            if owner:
                found = -1  # its owner already exists: keep the existing one's contents
                reason = OWNER_KEPT.format(owner=owner)
        if found is None:
            return False
        self.skipped[section.name] += 1
        reasons = self.skip_reasons.setdefault(section.name, {})
        reasons[reason] = reasons.get(reason, 0) + 1
        if found > 0:
            self._remember(section, record, found)
            self.skipped_ids[section.name].add(found)
        return True

    def _empty(self, section: Section) -> bool:
        """Whether ``section``'s table holds nothing to check against: replace mode, or a table
        that was empty before the import (only its own section writes it, after this)."""
        if not self.last_ids:  # every table's, before anything is written (replace empties)
            self.last_ids = {
                s.name: self.session.scalar(select(func.coalesce(func.max(s.table.c.id), 0)))
                for s in SECTIONS
            }
        return self.empty or self.last_ids[section.name] == 0  # ids start at 1

    def _existing(self, section: Section) -> Existing:
        table = section.table
        if self._empty(section):  # nothing to read (the writer's thread may be using the
            return Existing({}, {}, 0)  # connection: an empty table's checks never wait for it)
        last_id = self.last_ids[section.name]
        self._waits()  # reads the database: the writer's thread must be done with it
        key_columns = [table.c[c] for c in section.key]
        by_uuid, by_key = {}, {}
        rows = self.session.execute(select(table.c.id, table.c.uuid, *key_columns)).mappings()
        for row in rows:
            by_uuid[row["uuid"]] = row["id"]
            by_key[tuple(row[name] for name in section.key)] = row["id"]
        for document_key, row_id in self._existing_doc_keys(section):
            self.ids[section.name][document_key] = row_id
        return Existing(by_uuid, by_key, last_id)

    def _unique_values(self, section: Section) -> dict[tuple[str, ...], set]:
        """Values already taken for each unique column set other than uuid and the natural key."""
        sets = {
            tuple(c.name for c in constraint.columns)
            for constraint in section.table.constraints
            if isinstance(constraint, UniqueConstraint)
        }
        sets |= {(c.name,) for c in section.table.columns if c.unique}
        sets -= {("uuid",), tuple(section.key)}
        taken = {}
        empty = self._empty(section)
        if not empty and sets:
            self._waits()  # reads the database: the writer's thread must be done with it
        for names in sets:
            rows = (
                [] if empty else self.session.execute(select(*(section.table.c[c] for c in names)))
            )
            taken[names] = {tuple(r) for r in rows if None not in tuple(r)}
        return taken

    def _unique_ok(self, section: Section, row: dict, uniques: dict, where: str) -> bool:
        for names, taken in uniques.items():
            value = tuple(row.get(c) for c in names)
            if None in value:
                continue
            if value in taken:
                shown = ", ".join(
                    f"{words.field(c)} {words.quote(v)}" for c, v in zip(names, value, strict=True)
                )
                noun = words.RECORDS.get(section.name, (section.name,))[0].lower()
                self.errors.append(
                    f"{where}: {shown} is already used by another {noun}. Choose another."
                )
                return False
            taken.add(value)
        return True

    def _flagged_owners(self, section: Section) -> set:
        """The owners whose row in the database carries the section's one-per-owner flag."""
        rule = ONE_PER_OWNER.get(section.name)
        if rule is None or self._empty(section):
            return set()
        self._waits()  # reads the database: the writer's thread must be done with it
        table = section.table
        return set(self.session.scalars(select(table.c[rule.owner]).where(table.c[rule.flag])))

    def _one_per_owner_ok(
        self, section: Section, row: dict, in_database: set, in_file: set, where: str
    ) -> bool:
        """Keep the section's one-per-owner flag (``ONE_PER_OWNER``): ``in_database``, the owners
        a stored row flags; ``in_file``, those the file's rows flagged so far (this row's is added).
        False: refused, its problem listed."""
        rule = ONE_PER_OWNER.get(section.name)
        if rule is None or not row[rule.flag]:
            return True
        owner = row[rule.owner]
        if owner in in_file:
            self.errors.append(f"{where} {rule.repeated}")
            return False
        if owner in in_database:  # the database's choice stays: merge never changes stored rows
            row[rule.flag] = False
            self.unflagged[section.name] = self.unflagged.get(section.name, 0) + 1
            return True
        in_file.add(owner)
        return True

    def notes(self) -> list[str]:
        """What the import changed in the rows it added, for the report."""
        notes = []
        for name, count in self.unflagged.items():
            noun = words.RECORDS.get(name, (name,))[0].lower() + ("" if count == 1 else "s")
            notes.append(f"{count:,} {noun} {ONE_PER_OWNER[name].kept}.")
        return notes

    def _existing_doc_keys(self, section: Section):
        """Existing rows as references see them, so the document may point at them too."""
        table = section.table
        fields = doc_key(section)
        rows = self.session.execute(select(table.c.id, *(table.c[f] for f in fields))).mappings()
        for row in rows:
            yield tuple(row[field] for field in fields), row["id"]

    def _remember(self, section: Section, record: dict, row_id: int) -> None:
        key = tuple(parse_key_part(section, f, record.get(f)) for f in doc_key(section))
        if not all(isinstance(part, str | int) for part in key):
            return  # a key of the wrong kind (its problem is listed) cannot be referred to
        if row_id != REFUSED or key not in self.ids[section.name]:
            self.ids[section.name][key] = row_id

    def _owner_skipped(self, section: Section, row: dict) -> str | None:
        """A row owned (ON DELETE CASCADE) by a row that was skipped is skipped too (outside
        ``ADDED_INSIDE``): the owner, as a reason names it, or None."""
        if section.name in ADDED_INSIDE:
            return None
        for ref in section.refs:
            fk = next(iter(section.table.c[ref.column].foreign_keys))
            if fk.ondelete == "CASCADE" and row.get(ref.column) in self.skipped_ids[ref.section]:
                noun = words.RECORDS.get(ref.section, (ref.section,))[0].lower()
                return f"its {noun}"
        return None

    @staticmethod
    def _key_words(section: Section) -> str:
        """``name``, ``event, recipient and package``: a natural key as a reason names it."""
        names = [words.field(c.removesuffix("_id")).lower() for c in section.key]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    # --- one record ------------------------------------------------------------------------------

    def _row(self, section: Section, record: dict, where: str) -> dict | None:
        problems: list[str] = []
        row: dict[str, Any] = {}
        fk_columns = {ref.column for ref in section.refs}
        for column in section.table.columns:
            if column.name == "id" or column.name in fk_columns:
                continue
            row[column.name] = parse(section, column, record.get(column.name), problems)
        for ref in section.refs:
            row[ref.column] = self._resolve(section, ref, record, problems)
        unknown = record.keys() - document_fields(section)
        for name in sorted(map(str, unknown))[:3]:
            problems.append(
                f"The field {words.quote(name, words.NAME_LIMIT)} is not one this version of "
                "bake-tracker knows. Remove it or correct its name."
            )
        if problems:
            self.errors.extend(f"{where}: {p}" for p in problems)
            return None
        return row

    def _resolve(self, section: Section, ref, record: dict, problems: list[str]) -> int | None:
        values = tuple(record.get(f) for f in ref.fields)
        label = words.field(", ".join(ref.fields))
        wrong = next(
            (
                v
                for v in values
                if v is not None and (isinstance(v, bool) or not isinstance(v, str | int))
            ),
            None,
        )
        if wrong is not None:
            problems.append(
                f"{label} must be text, or a whole number for a year (found {words.quote(wrong)})."
                " Write the name in quotes."
            )
            return None
        nullable = section.table.c[ref.column].nullable
        if all(v is None for v in values):
            if not nullable:
                problems.append(f"{label} is required. Fill it in.")
            return None
        target = SECTION_BY_NAME[ref.section]
        key = tuple(
            parse_key_part(target, name, value)
            for name, value in zip(doc_key(target), values, strict=True)
        )
        found = self.ids.get(ref.section, {}).get(key)
        if found == REFUSED:
            return None  # the record it names was refused: its problems are listed already
        if found is None:
            noun = words.RECORDS.get(ref.section, (ref.section,))[0].lower()
            shown = " ".join(words.quote(v, words.NAME_LIMIT) for v in values)
            problems.append(
                f"{label} names {noun} {shown}, which is neither in the file nor in the database."
                f" Add that {noun} to the file or correct the name."
            )
        return found
