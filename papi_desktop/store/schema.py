"""The database schema as an ordered list of migrations, applied by ``PRAGMA user_version``.

Migration N takes a database at version N-1 to version N. Never edit a migration that has
shipped: add a new one. ``SYNCED_TABLES`` describes the tables whose rows travel in USB
packages (every one has id, owner_site, version, deleted, updated_at, updated_by).
"""

from __future__ import annotations

SYNC_COLUMNS = """
    id TEXT PRIMARY KEY,
    owner_site TEXT NOT NULL,
    version TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
"""

MIGRATION_1 = f"""
CREATE TABLE site (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('commune', 'district')),
    unit_code TEXT,
    unit_name TEXT NOT NULL,
    province_code TEXT,
    province_name TEXT,
    supervisor_label TEXT NOT NULL DEFAULT '',
    user_name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    clock TEXT NOT NULL DEFAULT ''
);
CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE catalog_version (
    name TEXT PRIMARY KEY, version TEXT NOT NULL, source TEXT, loaded_at TEXT NOT NULL
);
CREATE TABLE admin_unit (
    code TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'commune')),
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    province_code TEXT,
    data_version TEXT NOT NULL,
    search_key TEXT NOT NULL,
    PRIMARY KEY (level, code)
);
CREATE INDEX admin_unit_province ON admin_unit(province_code);

CREATE TABLE criterion ({SYNC_COLUMNS},
    index_name TEXT NOT NULL,
    code TEXT NOT NULL,
    parent_code TEXT,
    level TEXT NOT NULL,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    short_vi TEXT NOT NULL DEFAULT '',
    short_en TEXT NOT NULL DEFAULT '',
    confidence TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    UNIQUE (index_name, code)
);
CREATE TABLE framework ({SYNC_COLUMNS},
    index_name TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT 'commune',
    fw_version INTEGER NOT NULL,
    title_vi TEXT NOT NULL,
    title_en TEXT NOT NULL DEFAULT '',
    issuer_vi TEXT NOT NULL DEFAULT '',
    decision_no TEXT,
    decision_date TEXT,
    years TEXT NOT NULL DEFAULT '',
    note_vi TEXT NOT NULL DEFAULT '',
    is_current INTEGER NOT NULL DEFAULT 0,
    UNIQUE (index_name, level, fw_version)
);
CREATE TABLE task ({SYNC_COLUMNS},
    framework_id TEXT NOT NULL REFERENCES framework(id),
    code TEXT NOT NULL,
    criterion_code TEXT NOT NULL,
    title_vi TEXT NOT NULL,
    title_en TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL DEFAULT 'commune',
    lead_role TEXT NOT NULL DEFAULT '',
    partners TEXT NOT NULL DEFAULT '[]',
    due_rule TEXT NOT NULL,
    output_vi TEXT NOT NULL DEFAULT '',
    output_en TEXT NOT NULL DEFAULT '',
    disclosure_type TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    retired INTEGER NOT NULL DEFAULT 0,
    search_key TEXT NOT NULL DEFAULT '',
    UNIQUE (framework_id, code)
);
CREATE TABLE task_result ({SYNC_COLUMNS},
    unit_code TEXT NOT NULL,
    task_code TEXT NOT NULL,
    period TEXT NOT NULL,
    framework_version INTEGER,
    status TEXT NOT NULL DEFAULT 'todo'
        CHECK (status IN ('todo', 'doing', 'review', 'done')),
    result TEXT NOT NULL DEFAULT 'unassessed'
        CHECK (result IN ('met', 'partial', 'not_met', 'na', 'unassessed')),
    na_reason TEXT NOT NULL DEFAULT '',
    done_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    follow_up INTEGER NOT NULL DEFAULT 0,
    UNIQUE (unit_code, task_code, period)
);
CREATE INDEX task_result_unit_period ON task_result(unit_code, period);
CREATE TABLE attachment ({SYNC_COLUMNS},
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL DEFAULT 'application/octet-stream',
    size INTEGER NOT NULL,
    evidence_date TEXT,
    record_table TEXT NOT NULL,
    record_id TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attachment_record ON attachment(record_table, record_id);
CREATE TABLE holiday ({SYNC_COLUMNS},
    day TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL
        CHECK (kind IN ('holiday', 'tet', 'compensatory', 'swap-off', 'swap-work')),
    name_vi TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT '',
    legal_basis TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    confidence TEXT NOT NULL DEFAULT '',
    provisional INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    site TEXT NOT NULL,
    user TEXT NOT NULL DEFAULT '',
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old TEXT,
    new TEXT
);
CREATE INDEX audit_row ON audit(table_name, row_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""

MIGRATION_2 = f"""
CREATE TABLE place ({SYNC_COLUMNS},
    unit_code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'village' CHECK (kind IN ('hq', 'village', 'other')),
    search_key TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    UNIQUE (unit_code, search_key)
);
CREATE TABLE disclosure_type ({SYNC_COLUMNS},
    code TEXT NOT NULL UNIQUE,
    row_ref TEXT NOT NULL DEFAULT '',
    group_code TEXT NOT NULL DEFAULT 'other',
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    legal_basis TEXT NOT NULL DEFAULT '',
    trigger_vi TEXT NOT NULL DEFAULT '',
    trigger_en TEXT NOT NULL DEFAULT '',
    deadline_days INTEGER,
    deadline_unit TEXT CHECK (deadline_unit IN ('calendar', 'working') OR deadline_unit IS NULL),
    deadline_direction TEXT NOT NULL DEFAULT 'after'
        CHECK (deadline_direction IN ('after', 'before')),
    period_days INTEGER,
    period_unit TEXT NOT NULL DEFAULT 'calendar'
        CHECK (period_unit IN ('calendar', 'working', 'permanent')),
    period_note_vi TEXT NOT NULL DEFAULT '',
    period_note_en TEXT NOT NULL DEFAULT '',
    places TEXT NOT NULL DEFAULT '[]',
    forms TEXT NOT NULL DEFAULT '[]',
    loudspeaker_days INTEGER NOT NULL DEFAULT 0,
    evidence_vi TEXT NOT NULL DEFAULT '',
    evidence_en TEXT NOT NULL DEFAULT '',
    papi_criterion TEXT,
    confidence TEXT NOT NULL DEFAULT '',
    confidence_note_vi TEXT NOT NULL DEFAULT '',
    confidence_note_en TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    plan TEXT NOT NULL DEFAULT '[]',
    search_key TEXT NOT NULL DEFAULT ''
);
CREATE TABLE disclosure ({SYNC_COLUMNS},
    unit_code TEXT NOT NULL,
    type_code TEXT NOT NULL,
    title TEXT NOT NULL,
    decision_no TEXT NOT NULL DEFAULT '',
    decision_date TEXT,
    trigger_date TEXT,
    post_deadline TEXT,
    forms TEXT NOT NULL DEFAULT '[]',
    loudspeaker_from TEXT,
    loudspeaker_days INTEGER NOT NULL DEFAULT 0,
    web_url TEXT NOT NULL DEFAULT '',
    opinions_count INTEGER NOT NULL DEFAULT 0,
    opinions_summary TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    plan_item_id TEXT,
    search_key TEXT NOT NULL DEFAULT ''
);
CREATE INDEX disclosure_unit ON disclosure(unit_code, trigger_date);
CREATE TABLE disclosure_place ({SYNC_COLUMNS},
    disclosure_id TEXT NOT NULL REFERENCES disclosure(id),
    place_name TEXT NOT NULL,
    posted_on TEXT,
    ends_on TEXT,
    taken_down_on TEXT,
    reposts TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (disclosure_id, place_name)
);
CREATE TABLE plan_item ({SYNC_COLUMNS},
    unit_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    type_code TEXT NOT NULL,
    period_code TEXT NOT NULL,
    label_vi TEXT NOT NULL DEFAULT '',
    label_en TEXT NOT NULL DEFAULT '',
    due_date TEXT NOT NULL,
    disclosure_id TEXT,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (unit_code, year, type_code, period_code)
);
"""

# Sync bookkeeping (local only, never travels as rows): known peers with their keys and
# acknowledgements, the packages sent and received, conflicts kept for review, the history of
# replaced rows and, per synced row, the versions it is known to descend from.
MIGRATION_3 = """
CREATE TABLE sync_peer (
    site_id TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('commune', 'district')),
    unit_code TEXT,
    unit_name TEXT NOT NULL DEFAULT '',
    province_code TEXT,
    public_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'trusted' CHECK (status IN ('trusted', 'replaced', 'revoked')),
    enrolled_at TEXT NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0,
    last_package_at TEXT,
    last_import_at TEXT,
    seen_version TEXT NOT NULL DEFAULT '',
    acked_version TEXT NOT NULL DEFAULT '',
    acked_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sync_package (
    package_id TEXT PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
    peer_site TEXT NOT NULL DEFAULT '',
    seq INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    done_at TEXT NOT NULL,
    full INTEGER NOT NULL DEFAULT 0,
    counts TEXT NOT NULL DEFAULT '{}',
    summary TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX sync_package_peer ON sync_package(direction, peer_site, seq);
CREATE TABLE sync_conflict (
    id TEXT PRIMARY KEY,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    loser_version TEXT NOT NULL,
    loser_row TEXT NOT NULL,
    winner_version TEXT NOT NULL,
    detected_at TEXT NOT NULL,
    detected_by TEXT NOT NULL,
    package_id TEXT NOT NULL DEFAULT '',
    restored_version TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sync_conflict_row ON sync_conflict(table_name, row_id);
CREATE TABLE sync_row (
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    version TEXT NOT NULL,
    ancestry TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (table_name, row_id)
) WITHOUT ROWID;
CREATE TABLE row_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    version TEXT NOT NULL,
    row_json TEXT NOT NULL,
    replaced_by TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    package_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX row_history_row ON row_history(table_name, row_id);
"""

# Supervising office: a commune's yearly report rounds (kind "submit", owned by the commune;
# a reopen after acceptance changes that row) and the office's decision on each round (kind
# "decision", owned by the office) are separate rows so both sides merge cleanly; "review"
# holds the office's comments on single results; "score" the province's published index
# results (aggregate when dimension = '') and targets.
MIGRATION_4 = f"""
CREATE TABLE submission ({SYNC_COLUMNS},
    unit_code TEXT NOT NULL,
    period TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('submit', 'decision')),
    round INTEGER NOT NULL CHECK (round >= 1),
    state TEXT NOT NULL
        CHECK (state IN ('submitted', 'reopened', 'accepted', 'returned')),
    comment TEXT NOT NULL DEFAULT '',
    acted_at TEXT NOT NULL,
    acted_by TEXT NOT NULL DEFAULT '',
    framework_version INTEGER,
    completion REAL,
    reopened_at TEXT,
    reopened_by TEXT NOT NULL DEFAULT '',
    reopen_reason TEXT NOT NULL DEFAULT '',
    UNIQUE (unit_code, period, kind, round)
);
CREATE TABLE review ({SYNC_COLUMNS},
    unit_code TEXT NOT NULL,
    task_code TEXT NOT NULL,
    period TEXT NOT NULL,
    year INTEGER NOT NULL,
    result_id TEXT,
    comment TEXT NOT NULL,
    acted_at TEXT NOT NULL,
    acted_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX review_unit_year ON review(unit_code, year);
CREATE TABLE score ({SYNC_COLUMNS},
    index_name TEXT NOT NULL,
    province_code TEXT NOT NULL DEFAULT '',
    year INTEGER NOT NULL,
    dimension TEXT NOT NULL DEFAULT '',
    score REAL,
    rank INTEGER,
    of_n INTEGER,
    perf_group TEXT NOT NULL DEFAULT ''
        CHECK (perf_group IN ('', 'high', 'high_avg', 'low_avg', 'low')),
    target REAL,
    source TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (index_name, province_code, year, dimension)
);
"""

# Deadlines one can rely on (issue 12): the obligation period a disclosure fulfils
# ("2026", "2026Q1"; '' = judged from its deadline), and each posting's day-counting rule
# fixed when it is recorded (1 = the posting day is day 1), so changing the setting later
# never rewrites the end of a posting already recorded. Existing postings keep the rule the
# setting gave them until now. ``unit_profile``: the commune's own facts the office must
# judge it by (owned by the commune, synced): ``tracking_from``, the day it started using
# the app; periods due before it are "before tracking" (not overdue, not counted).
MIGRATION_5 = f"""
CREATE TABLE unit_profile ({SYNC_COLUMNS},
    unit_code TEXT NOT NULL UNIQUE,
    tracking_from TEXT
);
ALTER TABLE disclosure ADD COLUMN period TEXT NOT NULL DEFAULT '';
ALTER TABLE disclosure_place ADD COLUMN day_one INTEGER;
UPDATE disclosure_place SET day_one = coalesce(
    (SELECT CASE WHEN value = '1' THEN 1 ELSE 0 END FROM setting
     WHERE key = 'posting_day_is_day_one'), 0)
WHERE posted_on IS NOT NULL;
"""

# Inspection visits of the supervising office to a commune: the visit and its findings are
# the office's rows (carrying the commune's unit_code, so they reach that commune only); the
# commune's answer to a finding is its own row. Attachments of a fix hang on inspection_fix.
MIGRATION_6 = f"""
CREATE TABLE inspection ({SYNC_COLUMNS},
    unit_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    visit_on TEXT NOT NULL,
    team TEXT NOT NULL DEFAULT '[]',
    scope TEXT NOT NULL DEFAULT '["tasks", "disclosures"]',
    state TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'open', 'closed')),
    closed_on TEXT,
    commune_reps TEXT NOT NULL DEFAULT '[]',
    conclusion TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inspection_unit ON inspection(unit_code, visit_on);
CREATE TABLE inspection_finding ({SYNC_COLUMNS},
    inspection_id TEXT NOT NULL REFERENCES inspection(id),
    unit_code TEXT NOT NULL,
    item TEXT NOT NULL,
    item_label TEXT NOT NULL DEFAULT '',
    finding TEXT NOT NULL CHECK (finding IN ('ok', 'issue', 'not_seen')),
    note TEXT NOT NULL DEFAULT '',
    fix_by TEXT,
    UNIQUE (inspection_id, item)
);
CREATE TABLE inspection_fix ({SYNC_COLUMNS},
    finding_id TEXT NOT NULL REFERENCES inspection_finding(id),
    unit_code TEXT NOT NULL,
    fixed_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (finding_id)
);
"""

# Scored indices (PAR INDEX at commune level, …) beside the PAPI checklist: an office-owned
# versioned tree of criteria with maximum points; the commune's self-scores and its yearly
# submission (owned by the commune); the office's appraisal of each score (owned by the
# office). Evidence files are ``attachment`` rows with record_table = 'self_score'.
MIGRATION_7 = f"""
CREATE TABLE scored_framework ({SYNC_COLUMNS},
    index_name TEXT NOT NULL,
    fw_version INTEGER NOT NULL,
    title_vi TEXT NOT NULL,
    issuer_vi TEXT NOT NULL DEFAULT '',
    decision_no TEXT NOT NULL DEFAULT '',
    decision_date TEXT,
    total_points REAL NOT NULL,
    sample INTEGER NOT NULL DEFAULT 0,
    note_vi TEXT NOT NULL DEFAULT '',
    is_current INTEGER NOT NULL DEFAULT 0,
    UNIQUE (owner_site, index_name, fw_version)
);
CREATE TABLE scored_criterion ({SYNC_COLUMNS},
    framework_id TEXT NOT NULL REFERENCES scored_framework(id),
    code TEXT NOT NULL,
    parent_code TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL CHECK (level IN ('field', 'criterion', 'sub')),
    title_vi TEXT NOT NULL,
    max_points REAL NOT NULL,
    method TEXT NOT NULL DEFAULT 'self' CHECK (method IN ('self', 'survey')),
    decimals INTEGER NOT NULL DEFAULT 2,
    guidance_vi TEXT NOT NULL DEFAULT '',
    evidence_vi TEXT NOT NULL DEFAULT '',
    due_rule TEXT NOT NULL DEFAULT '',
    due_text TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    UNIQUE (framework_id, code)
);
CREATE TABLE self_score ({SYNC_COLUMNS},
    unit_code TEXT NOT NULL,
    index_name TEXT NOT NULL,
    year INTEGER NOT NULL,
    code TEXT NOT NULL,
    framework_version INTEGER NOT NULL,
    points REAL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (unit_code, index_name, year, code)
);
CREATE INDEX self_score_year ON self_score(index_name, year, unit_code);
CREATE TABLE assess_submission ({SYNC_COLUMNS},
    unit_code TEXT NOT NULL,
    index_name TEXT NOT NULL,
    year INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('submitted', 'reopened')),
    framework_version INTEGER NOT NULL,
    self_total REAL NOT NULL,
    acted_at TEXT NOT NULL,
    acted_by TEXT NOT NULL DEFAULT '',
    UNIQUE (unit_code, index_name, year)
);
CREATE TABLE appraisal ({SYNC_COLUMNS},
    unit_code TEXT NOT NULL,
    index_name TEXT NOT NULL,
    year INTEGER NOT NULL,
    code TEXT NOT NULL,
    points REAL NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    acted_at TEXT NOT NULL,
    acted_by TEXT NOT NULL DEFAULT '',
    UNIQUE (unit_code, index_name, year, code)
);
CREATE INDEX appraisal_year ON appraisal(index_name, year, unit_code);
"""

# A task belongs to one dimension (or none: shown under "Khác") and to any number of its
# index's sub-dimensions, possibly across dimensions ("1.1; 2.3") or none. ``dimension``
# and ``criteria`` (a JSON list of sub-dimension codes) are the new shape; the old one-code
# ``criterion_code`` keeps the first sub-dimension ('' when none) for older readers. Existing
# rows move over: "1.2" becomes dimension "1" with criteria ["1.2"]; a bare dimension code
# ("3") becomes dimension "3" with no sub-dimension.
MIGRATION_8 = """
ALTER TABLE task ADD COLUMN dimension TEXT NOT NULL DEFAULT '';
ALTER TABLE task ADD COLUMN criteria TEXT NOT NULL DEFAULT '[]';
UPDATE task SET
    dimension = CASE WHEN instr(criterion_code, '.') > 0
        THEN substr(criterion_code, 1, instr(criterion_code, '.') - 1)
        ELSE criterion_code END,
    criteria = CASE WHEN instr(criterion_code, '.') > 0
        THEN '["' || replace(replace(criterion_code, '\\', '\\\\'), '"', '\\"') || '"]'
        ELSE '[]' END;
"""

# The office returns (reopens) a commune's submitted self-assessment so the commune can
# correct it: one office-owned row per commune, index and year, naming the version of the
# submission row it returned (a later submission by the commune supersedes it).
MIGRATION_9 = f"""
CREATE TABLE assess_return ({SYNC_COLUMNS},
    unit_code TEXT NOT NULL,
    index_name TEXT NOT NULL,
    year INTEGER NOT NULL,
    submission_version TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    acted_at TEXT NOT NULL,
    acted_by TEXT NOT NULL DEFAULT '',
    UNIQUE (unit_code, index_name, year)
);
"""

MIGRATIONS: list[str] = [
    MIGRATION_1,
    MIGRATION_2,
    MIGRATION_3,
    MIGRATION_4,
    MIGRATION_5,
    MIGRATION_6,
    MIGRATION_7,
    MIGRATION_8,
    MIGRATION_9,
]

# Tables whose rows travel in sync packages, in the order they must be applied (parents first).
SYNCED_TABLES: tuple[str, ...] = (
    "criterion",
    "framework",
    "task",
    "holiday",
    "disclosure_type",
    "place",
    "task_result",
    "attachment",
    "disclosure",
    "disclosure_place",
    "plan_item",
    "unit_profile",
    "submission",
    "review",
    "score",
    "inspection",
    "inspection_finding",
    "inspection_fix",
    "scored_framework",
    "scored_criterion",
    "self_score",
    "assess_submission",
    "appraisal",
    "assess_return",
)

LATEST_VERSION = len(MIGRATIONS)
