"""Who may write what through a USB package: the one ownership table (DESIGN §5,
"Authorization") and the pure rule ``may_write`` that the importer applies to every row.

A signature proves who sent a package, never what they may change. The receiver checks each
incoming row against ``TABLES``:

- commune rows (task results, disclosures and their postings, places, plan items, evidence
  files, the commune's own report rounds, its PAR self-scores and submissions) are written only by the enrolled key of *that*
  commune and only for its own ``unit_code``; a child row without a unit column takes the
  unit of its parent record;
- office rows (framework, criteria, tasks, holidays, disclosure types, the office's review
  comments and decisions, index scores, PAR scoring criteria and appraisals) only by the enrolled key of the supervising office;
- an existing row's owner site, unit and parent never change on merge, whatever the version;
- a natural key (type code, holiday date, unit + task + period…) held by a row of another
  owner cannot be taken over by a new row id. Two exceptions, both honest: a PC that replaced
  an older PC of the same commune may take over that PC's rows, and the office's catalogue
  row wins over a commune's local edit of the same catalogue entry (a commune may edit its
  catalogue locally; those rows never travel).

The supervising office's own checklist answers (issue 14) are ``task_result`` rows under the
unit key ``office`` (``domain.task_levels.OFFICE_UNIT``): a commune-owned table, so the office
never sends them (``exportable_tables``) and no commune may write that unit.

Administrative units, settings and sync bookkeeping are not synced tables at all: a row for
them is refused as an unknown table before this rule is reached.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from papi_desktop.store.hlc import CATALOG_SITE

COMMUNE = "commune"
OFFICE = "district"  # the supervising office's role name in the database


@dataclass(frozen=True)
class Ownership:
    """One synced table: who owns its rows, where its unit is, its natural keys."""

    table: str
    owner: str  # COMMUNE, OFFICE, or "kind" (owner by the row's ``kind`` column)
    label_vi: str
    label_en: str
    unit_column: str | None = None  # the column carrying the commune code
    parent: tuple[str, ...] = ()  # (fk column, parent table[, table-name column]) for the unit
    natural_keys: tuple[tuple[str, ...], ...] = ()
    by_kind: Mapping[str, str] = field(default_factory=dict)


TABLES: dict[str, Ownership] = {
    t.table: t
    for t in (
        Ownership("criterion", OFFICE, "tiêu chí chỉ số", "index criteria",
                  natural_keys=(("index_name", "code"),)),
        Ownership("framework", OFFICE, "khung nhiệm vụ", "the task framework",
                  natural_keys=(("index_name", "level", "fw_version"),)),
        Ownership("task", OFFICE, "nhiệm vụ trong khung", "framework tasks",
                  natural_keys=(("framework_id", "code"),)),
        Ownership("holiday", OFFICE, "ngày nghỉ lễ", "holidays", natural_keys=(("day",),)),
        Ownership("disclosure_type", OFFICE, "loại thông tin công khai", "disclosure types",
                  natural_keys=(("code",),)),
        Ownership("place", COMMUNE, "nơi niêm yết", "posting places", unit_column="unit_code",
                  natural_keys=(("unit_code", "search_key"),)),
        Ownership("task_result", COMMUNE, "kết quả nhiệm vụ", "task results",
                  unit_column="unit_code", natural_keys=(("unit_code", "task_code", "period"),)),
        Ownership("attachment", COMMUNE, "tệp minh chứng", "evidence files",
                  parent=("record_id", "", "record_table")),
        Ownership("disclosure", COMMUNE, "hồ sơ công khai", "disclosure records",
                  unit_column="unit_code"),
        Ownership("disclosure_place", COMMUNE, "niêm yết tại các nơi", "postings",
                  parent=("disclosure_id", "disclosure"),
                  natural_keys=(("disclosure_id", "place_name"),)),
        Ownership("plan_item", COMMUNE, "kế hoạch công khai", "disclosure plan items",
                  unit_column="unit_code",
                  natural_keys=(("unit_code", "year", "type_code", "period_code"),)),
        Ownership("submission", "kind", "báo cáo và quyết định duyệt", "report rounds",
                  unit_column="unit_code",
                  natural_keys=(("unit_code", "period", "kind", "round"),),
                  by_kind={"submit": COMMUNE, "decision": OFFICE}),
        Ownership("review", OFFICE, "nhận xét của cơ quan giám sát", "the office's comments",
                  unit_column="unit_code"),
        Ownership("unit_profile", COMMUNE, "hồ sơ đơn vị (ngày bắt đầu theo dõi)",
                  "the unit's profile (tracking start)", unit_column="unit_code",
                  natural_keys=(("unit_code",),)),
        Ownership("inspection", OFFICE, "đợt kiểm tra", "inspection visits",
                  unit_column="unit_code"),
        Ownership("inspection_finding", OFFICE, "kết quả kiểm tra", "inspection findings",
                  unit_column="unit_code", natural_keys=(("inspection_id", "item"),)),
        Ownership("inspection_fix", COMMUNE, "khắc phục sau kiểm tra", "fixes after an inspection",
                  unit_column="unit_code", natural_keys=(("finding_id",),)),
        Ownership("score", OFFICE, "điểm chỉ số", "index scores",
                  natural_keys=(("index_name", "province_code", "year", "dimension"),)),
        # Scored indices (PAR INDEX): the office's criteria and appraisals, the commune's
        # self-scores and yearly submission. A commune's own criteria (no office yet) stay
        # on its PC.
        Ownership("scored_framework", OFFICE, "bộ tiêu chí chấm điểm", "scoring criteria sets",
                  natural_keys=(("owner_site", "index_name", "fw_version"),)),
        Ownership("scored_criterion", OFFICE, "tiêu chí chấm điểm", "scoring criteria",
                  natural_keys=(("framework_id", "code"),)),
        Ownership("self_score", COMMUNE, "điểm tự chấm", "self-scores", unit_column="unit_code",
                  natural_keys=(("unit_code", "index_name", "year", "code"),)),
        Ownership("assess_submission", COMMUNE, "kết quả tự chấm đã gửi",
                  "submitted self-assessments", unit_column="unit_code",
                  natural_keys=(("unit_code", "index_name", "year"),)),
        Ownership("appraisal", OFFICE, "điểm thẩm định", "appraisals", unit_column="unit_code",
                  natural_keys=(("unit_code", "index_name", "year", "code"),)),
        Ownership("assess_return", OFFICE, "kết quả tự chấm bị trả lại",
                  "returned self-assessments", unit_column="unit_code",
                  natural_keys=(("unit_code", "index_name", "year"),)),
    )
}  # fmt: skip

# Parent tables an evidence file may hang on (each carries ``unit_code``).
ATTACHMENT_PARENTS = ("task_result", "disclosure", "inspection_fix", "self_score")


@dataclass(frozen=True)
class Sender:
    """The enrolled peer a package comes from (never the manifest's say-so alone).

    ``predecessors``: site ids of PCs of the same commune this one replaced. ``restore_owners``
    and ``restore_unit``: a restore package from the office gives a commune back its own rows.
    """

    site_id: str
    role: str
    unit_code: str | None
    name: str = ""
    predecessors: frozenset[str] = frozenset()
    restore_owners: frozenset[str] = frozenset()
    restore_unit: str | None = None


@dataclass(frozen=True)
class Refusal:
    """Why a row may not be written: ``code`` for scripts, ``table``'s label and the unit
    concerned (``unit``, a commune code) for the plain message, ``detail`` for the log."""

    code: str  # other_unit / office_owned / commune_owned / owner_change / takeover / ownership
    table: str
    detail: str
    unit: str | None = None

    @property
    def label_vi(self) -> str:
        t = TABLES.get(self.table)
        return t.label_vi if t else "dữ liệu"

    @property
    def label_en(self) -> str:
        t = TABLES.get(self.table)
        return t.label_en if t else "data"


def owner_role(table: str, values: Mapping[str, Any]) -> str | None:
    """COMMUNE or OFFICE for this row (None: an unknown table or submission kind)."""
    rule = TABLES.get(table)
    if rule is None:
        return None
    if rule.owner == "kind":
        return rule.by_kind.get(str(values.get("kind")))
    return rule.owner


def exportable_tables(role: str) -> set[str]:
    """Tables whose own rows a site of ``role`` sends (a commune keeps its local catalogue
    edits to itself: catalogues belong to the office)."""
    return {t.table for t in TABLES.values() if t.owner in (role, "kind")}


def parent_of(table: str, values: Mapping[str, Any]) -> tuple[str, str] | None:
    """(parent table, parent id) whose unit a child row takes, or None."""
    rule = TABLES.get(table)
    if rule is None or not rule.parent:
        return None
    column, parent_table = rule.parent[0], rule.parent[1]
    if len(rule.parent) > 2:
        parent_table = str(values.get(rule.parent[2]) or "")
    return parent_table, str(values.get(column) or "")


def row_unit(table: str, values: Mapping[str, Any], parent_unit: str | None = None) -> str | None:
    """The commune a row belongs to: its unit column, else its parent's (``parent_unit``)."""
    rule = TABLES.get(table)
    if rule is not None and rule.unit_column:
        value = values.get(rule.unit_column)
        return None if value is None else str(value)
    return parent_unit


def _ident(table: str, values: Mapping[str, Any]) -> tuple[Any, ...]:
    """What may never change on an existing row: owner site, unit column, parent link, kind."""
    rule = TABLES[table]
    cols = ["owner_site"]
    if rule.unit_column:
        cols.append(rule.unit_column)
    if rule.parent:
        cols.extend((rule.parent[0], *rule.parent[2:]))
    if rule.owner == "kind":
        cols.append("kind")
    return tuple(values.get(c) for c in cols)


def may_write(
    sender: Sender,
    table: str,
    incoming: Mapping[str, Any],
    existing: Mapping[str, Any] | None,
    *,
    parent_unit: str | None = None,
    holder: Mapping[str, Any] | None = None,
    here: str = "",
) -> Refusal | None:
    """None when ``sender`` may write ``incoming`` into ``table``, else the ``Refusal``.

    ``existing``: the local row with the same id (None when new). ``parent_unit``: the unit
    of the parent record of a child row without a unit column (None when unknown here).
    ``holder``: the local row that already holds the same natural key under another id.
    ``here``: the receiving site's id.
    """
    rule = TABLES.get(table)
    if rule is None:
        return Refusal("ownership", table, f"{table} is not a synced table")
    role = owner_role(table, incoming)
    if role is None:
        return Refusal("ownership", table, f"{table} row of unknown kind {incoming.get('kind')!r}")
    unit = row_unit(table, incoming, parent_unit)
    if existing is not None and _ident(table, existing) != _ident(table, incoming):
        return Refusal(
            "owner_change", table,
            f"{table} {incoming.get('id')}: owner/unit {_ident(table, existing)} -> "
            f"{_ident(table, incoming)}",
            row_unit(table, existing, parent_unit) if rule.unit_column else unit,
        )  # fmt: skip
    owner = incoming.get("owner_site")
    if sender.restore_owners:
        # A restore package: the commune's own rows, held for it by the office.
        if role != COMMUNE or owner not in sender.restore_owners:
            return Refusal("ownership", table, f"restore package carries {table} of {owner}")
        if unit is not None and unit != sender.restore_unit:
            return Refusal("other_unit", table, f"restore of {table} for unit {unit}", unit)
    elif role == OFFICE:
        if sender.role != OFFICE:
            return Refusal("office_owned", table, f"{sender.role} sent office-owned {table}")
        by_office = owner == sender.site_id or (
            owner == CATALOG_SITE
            and str(incoming.get("version", "")).endswith("-" + sender.site_id)
        )
        if not by_office:
            return Refusal("ownership", table, f"{table} owned by {owner}, sent by the office")
    else:
        if sender.role != COMMUNE:
            return Refusal("commune_owned", table, f"office sent commune-owned {table}", unit)
        if unit is not None and unit != sender.unit_code:
            return Refusal("other_unit", table, f"{table} of unit {unit}", unit)
        if owner != sender.site_id:
            return Refusal("ownership", table, f"{table} owned by {owner}, not the sender")
    if holder is not None and holder.get("owner_site") != owner:
        held_by = holder.get("owner_site")
        office_wins = role == OFFICE and held_by in (here, CATALOG_SITE) and bool(here)
        heir = held_by in sender.predecessors or held_by in sender.restore_owners
        if not (office_wins or heir):
            return Refusal(
                "takeover", table,
                f"{table} {incoming.get('id')} takes the natural key of {holder.get('id')} "
                f"owned by {held_by}",
                row_unit(table, holder, parent_unit),
            )  # fmt: skip
    return None


def may_report_conflict(
    sender: Sender,
    table: str,
    loser: Mapping[str, Any],
    *,
    parent_unit: str | None = None,
    here: str = "",
    here_unit: str | None = None,
) -> Refusal | None:
    """A conflict record travels only as information about a row its sender may write, or
    (office to commune) about the receiving commune's own row. Anything else is planted."""
    if may_write(sender, table, loser, None, parent_unit=parent_unit) is None:
        return None
    if sender.role == OFFICE and owner_role(table, loser) == COMMUNE and here_unit is not None:
        unit = row_unit(table, loser, parent_unit)
        if loser.get("owner_site") == here or (unit is not None and unit == here_unit):
            return None
    return Refusal("planted_conflict", table, f"conflict record about {table} "
                   f"{loser.get('id')} owned by {loser.get('owner_site')}",
                   row_unit(table, loser, parent_unit))  # fmt: skip
