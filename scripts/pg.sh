#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: `source` this file (scripts/test-all.sh, tests), then
#
#   pg_install          # PostgreSQL's server, psql and pgbench (Debian packages when missing)
#   pg_start            # a fresh cluster on a free port of 127.0.0.1; exports ARBEJDSBORD_PG_URL,
#   trap pg_stop EXIT   #   ARBEJDSBORD_PG_DIR and ARBEJDSBORD_PG_PORT (a second call reuses it)
#   url="$(pg_fresh_db some_test)"   # one empty database per test
#
# or run it: `scripts/pg.sh start|url|stop` (manual use; the state is kept in a file between
# calls) and `scripts/pg.sh selftest` (install, start, apply app/migrations_pg, sanity queries,
# stop; non-zero on any failure).
#
# The cluster is for tests only: trust authentication on 127.0.0.1 and its own socket, data in a
# temporary directory that `pg_stop` removes. As root it runs as the system user `arbejdsbord-pg`
# (PostgreSQL refuses to run as root). It never touches Debian's own clusters.

if ! declare -F step >/dev/null || ! declare -F as_root >/dev/null || ! declare -F apt_install >/dev/null; then
  # shellcheck source=env.sh
  source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
fi

ARBEJDSBORD_PG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARBEJDSBORD_PG_SYSTEM_USER="arbejdsbord-pg"
# The role the URL names (the cluster's bootstrap superuser).
ARBEJDSBORD_PG_ROLE="arbejdsbord"

# The newest /usr/lib/postgresql/*/bin holding the server's binaries, or nothing.
_pg_find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -V -r); do
    if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

# apt-get install without questions: sudo drops DEBIAN_FRONTEND, so it is passed through `env`;
# an existing configuration file is kept, never asked about.
_pg_apt_install() {
  step "apt-get install $*"
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@")
  as_root "${apt[@]}" || { as_root env DEBIAN_FRONTEND=noninteractive apt-get update && as_root "${apt[@]}"; }
}

# Idempotent: finds the server binaries (newest version) and installs Debian's `postgresql` and
# `postgresql-contrib` when they, psql or pgbench are missing. Debian's packaging would create and
# start a cluster `main`; a createcluster.d drop-in says not to, and a cluster the install made
# anyway is stopped and set to manual start.
pg_install() {
  local bin
  if bin="$(_pg_find_bin)" && [ -x "$bin/psql" ] && [ -x "$bin/pgbench" ] \
    && [ -e "$(dirname "$bin")/lib/unaccent.so" ]; then
    export ARBEJDSBORD_PG_BIN="$bin"
    case ":$PATH:" in *":$bin:"*) ;; *) export PATH="$bin:$PATH" ;; esac
    return 0
  fi
  command -v apt-get >/dev/null || { echo "pg_install: PostgreSQL is missing and there is no apt-get" >&2; return 1; }
  local before
  before="$(pg_lsclusters -h 2>/dev/null | awk '{print $1 "/" $2}' || true)"
  as_root mkdir -p /etc/postgresql-common/createcluster.d
  printf '# scripts/pg.sh: tests run their own throwaway clusters\ncreate_main_cluster = false\n' \
    | as_root tee /etc/postgresql-common/createcluster.d/arbejdsbord-no-main.conf >/dev/null
  _pg_apt_install postgresql postgresql-contrib || return 1
  # An older postgresql-common ignores createcluster.d: stop what it created and keep it stopped.
  local cluster
  for cluster in $(pg_lsclusters -h 2>/dev/null | awk '{print $1 "/" $2}' || true); do
    if ! grep -qx "$cluster" <<<"$before"; then
      step "stopping Debian's new cluster $cluster (set to manual start)"
      as_root pg_ctlcluster "${cluster%/*}" "${cluster#*/}" stop 2>/dev/null || true
      echo manual | as_root tee "/etc/postgresql/${cluster%/*}/${cluster#*/}/start.conf" >/dev/null || true
    fi
  done
  bin="$(_pg_find_bin)" || { echo "pg_install: no server binaries under /usr/lib/postgresql after installing" >&2; return 1; }
  [ -x "$bin/psql" ] && [ -x "$bin/pgbench" ] || { echo "pg_install: psql or pgbench missing in $bin" >&2; return 1; }
  export ARBEJDSBORD_PG_BIN="$bin"
  case ":$PATH:" in *":$bin:"*) ;; *) export PATH="$bin:$PATH" ;; esac
}

# Runs a server command as the cluster's owner.
_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$ARBEJDSBORD_PG_SYSTEM_USER" -- "$@"; else "$@"; fi
}

_pg_free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  return 1
}

_pg_running() {
  [ -n "${ARBEJDSBORD_PG_DIR:-}" ] && [ -d "$ARBEJDSBORD_PG_DIR/data" ] && [ -n "${ARBEJDSBORD_PG_BIN:-}" ] \
    && _pg_as_owner "$ARBEJDSBORD_PG_BIN/pg_ctl" -D "$ARBEJDSBORD_PG_DIR/data" status >/dev/null 2>&1
}

# psql against the running cluster's database $1 (default postgres), no ~/.psqlrc, stop on error.
pg_psql() {
  local db="${1:-postgres}"
  shift || true
  PGOPTIONS="-c client_min_messages=warning" "$ARBEJDSBORD_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$ARBEJDSBORD_PG_PORT" -U "$ARBEJDSBORD_PG_ROLE" -d "$db" "$@"
}

# Starts a fresh cluster (or reuses the one this shell started) and prints its URL. Call it
# directly, not in `$(…)`: its exports would stay in that subshell.
pg_start() {
  if _pg_running; then
    echo "$ARBEJDSBORD_PG_URL"
    return 0
  fi
  pg_install || return 1
  local bin="$ARBEJDSBORD_PG_BIN"
  if [ "$(id -u)" = 0 ] && ! id -u "$ARBEJDSBORD_PG_SYSTEM_USER" >/dev/null 2>&1; then
    step "useradd $ARBEJDSBORD_PG_SYSTEM_USER (system user, no login)"
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      "$ARBEJDSBORD_PG_SYSTEM_USER" || return 1
  fi
  # The cluster's owner must reach the directory: as root, /tmp unless $TMPDIR is open to it.
  local base="${TMPDIR:-/tmp}" dir
  if [ "$(id -u)" = 0 ] && ! runuser -u "$ARBEJDSBORD_PG_SYSTEM_USER" -- test -x "$base" 2>/dev/null; then base=/tmp; fi
  dir="$(mktemp -d "$base/arbejdsbord-pg.XXXXXXXX")" || return 1
  chmod 700 "$dir"
  if [ "$(id -u)" = 0 ]; then chown "$ARBEJDSBORD_PG_SYSTEM_USER:" "$dir"; fi
  # C.UTF-8 for characters (lower(), regex classes), C for collation: byte order, as SQLite's
  # BINARY compares text (ISO dates, the CPR range trick of store::report, ORDER BY).
  local locale=(--locale=C.UTF-8 --lc-collate=C)
  if ! locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=(--locale=C); fi
  if ! _pg_as_owner "$bin/initdb" -D "$dir/data" -U "$ARBEJDSBORD_PG_ROLE" --auth=trust --encoding=UTF8 \
    "${locale[@]}" >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf -- "$dir"
    return 1
  fi
  _pg_as_owner tee "$dir/data/pg_hba.conf" >/dev/null <<'EOF'
# scripts/pg.sh: a throwaway test cluster; trust, but only on its socket and 127.0.0.1.
local all all              trust
host  all all 127.0.0.1/32 trust
EOF
  local port attempt
  for attempt in 1 2 3 4 5; do
    port="$(_pg_free_port)" || break
    _pg_as_owner tee "$dir/data/postgresql.auto.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
max_connections = 200
EOF
    if _pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null; then
      export ARBEJDSBORD_PG_DIR="$dir" ARBEJDSBORD_PG_PORT="$port"
      export ARBEJDSBORD_PG_URL="postgres://$ARBEJDSBORD_PG_ROLE@127.0.0.1:$port/arbejdsbord"
      export ARBEJDSBORD_PG_OWNER="$BASHPID"
      if ! pg_psql postgres -c "CREATE DATABASE arbejdsbord"; then
        pg_stop
        return 1
      fi
      echo "$ARBEJDSBORD_PG_URL"
      return 0
    fi
    echo "pg_start: attempt $attempt on port $port failed:" >&2
    tail -n 5 "$dir/postgres.log" >&2 2>/dev/null || true
  done
  rm -rf -- "$dir"
  return 1
}

# Stops the cluster this shell started and removes its directory. Safe to call twice, and when
# none runs; a cluster inherited from a parent shell is left to the parent.
pg_stop() {
  local dir="${ARBEJDSBORD_PG_DIR:-}"
  if [ -z "$dir" ]; then return 0; fi
  if [ "${ARBEJDSBORD_PG_OWNER:-}" = "$BASHPID" ]; then
    case "$(basename "$dir")" in
      arbejdsbord-pg.*)
        if [ -d "$dir/data" ] && [ -n "${ARBEJDSBORD_PG_BIN:-}" ]; then
          _pg_as_owner "$ARBEJDSBORD_PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
        fi
        rm -rf -- "$dir" || true
        ;;
      *) echo "pg_stop: $dir is not a directory of pg_start; left alone" >&2 ;;
    esac
  fi
  unset ARBEJDSBORD_PG_URL ARBEJDSBORD_PG_DIR ARBEJDSBORD_PG_PORT ARBEJDSBORD_PG_OWNER
  return 0
}

# Creates (dropping it first if it exists) database $1 in the running cluster; prints its URL.
pg_fresh_db() {
  local name="${1:?usage: pg_fresh_db NAME}"
  if ! [[ "$name" =~ ^[A-Za-z0-9_]{1,63}$ ]]; then
    echo "pg_fresh_db: a name of letters, digits and _ please (got '$name')" >&2
    return 1
  fi
  _pg_running || { echo "pg_fresh_db: no cluster is running (pg_start first)" >&2; return 1; }
  pg_psql postgres -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\"" || return 1
  echo "postgres://$ARBEJDSBORD_PG_ROLE@127.0.0.1:$ARBEJDSBORD_PG_PORT/$name"
}

# --- scripts/pg.sh selftest -------------------------------------------------------------------

# The columns (table, position, name, not null, default), index names, and PRIMARY KEY, UNIQUE and
# FOREIGN KEY constraints SQLite has after app/migrations, as text to compare with PostgreSQL's.
_pg_sqlite_shape() {
  python3 - "$ARBEJDSBORD_PG_ROOT/app/migrations" <<'EOF'
import glob, sqlite3, sys
db = sqlite3.connect(":memory:")
db.isolation_level = None
for path in sorted(glob.glob(sys.argv[1] + "/*.sql")):
    db.executescript(open(path, encoding="utf-8").read())
tables = [r[0] for r in db.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    " AND name NOT LIKE 'aendring_search_%' ORDER BY name")]
for t in tables:
    for cid, name, _type, notnull, _default, pk in db.execute(f'PRAGMA table_info("{t}")'):
        # a PRIMARY KEY column is NOT NULL in PostgreSQL (and in SQLite but for rowid tables' quirk)
        default = "-" if _default is None else ("now()" if "now" in _default else _default)
        print(f"col {t} {cid + 1} {name} {'notnull' if notnull or pk else 'null'} {default}")
for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"):
    print(f"index {name}")
keys = []
for t in tables:
    fks = {}
    for _id, _seq, ref, frm, to, _upd, on_delete, _m in db.execute(f'PRAGMA foreign_key_list("{t}")'):
        fks.setdefault(_id, [ref, [], [], on_delete])
        fks[_id][1].append(frm)
        fks[_id][2].append(to)
    for ref, frm, to, on_delete in fks.values():
        keys.append(f"fk {t}({','.join(frm)}) {ref}({','.join(to)}) {on_delete}")
    for _seq, name, unique, origin, _partial in db.execute(f'PRAGMA index_list("{t}")'):
        if origin in ("pk", "u"):
            cols = [r[2] for r in db.execute(f'PRAGMA index_info("{name}")')]
            keys.append(f"{'pk' if origin == 'pk' else 'unique'} {t}({','.join(cols)})")
    pk = [r[1] for r in sorted(db.execute(f'PRAGMA table_info("{t}")'), key=lambda r: r[5]) if r[5]]
    if pk and not any(k.startswith(f"pk {t}(") for k in keys):  # a rowid table's INTEGER PRIMARY KEY
        keys.append(f"pk {t}({','.join(pk)})")
for k in sorted(keys):
    print(k)
EOF
}

_pg_pg_shape() {
  pg_psql "$1" -A -t -F ' ' <<'EOF'
SELECT 'col', c.table_name, c.ordinal_position, c.column_name, CASE WHEN c.is_nullable = 'NO' THEN 'notnull' ELSE 'null' END,
       -- defaults as SQLite spells them: 0/1 for FALSE/TRUE, no casts, the clock as now()
       CASE WHEN c.column_default IS NULL THEN '-'
            WHEN c.column_default LIKE '%timestamp()%' THEN 'now()'
            WHEN c.column_default = 'false' THEN '0' WHEN c.column_default = 'true' THEN '1'
            ELSE regexp_replace(c.column_default, '::text$', '') END
FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
  AND NOT (c.table_name = 'aendring_search' AND c.column_name <> 'terms')
ORDER BY c.table_name, c.ordinal_position;
-- explicit indexes only (not those of PRIMARY KEY / UNIQUE constraints, nor the FTS table's own)
SELECT 'index', i.indexname FROM pg_indexes i
WHERE i.schemaname = 'public' AND i.tablename <> 'aendring_search'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)
ORDER BY i.indexname;
-- PRIMARY KEY, UNIQUE and FOREIGN KEY constraints (with ON DELETE), as the lines above spell them
SELECT line FROM (
    SELECT CASE k.contype WHEN 'p' THEN 'pk' WHEN 'u' THEN 'unique' ELSE 'fk' END || ' ' || r.relname || '('
           || (SELECT string_agg(a.attname, ',' ORDER BY o) FROM unnest(k.conkey) WITH ORDINALITY AS c (n, o)
               JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = c.n) || ')'
           || CASE WHEN k.contype = 'f' THEN ' ' || f.relname || '('
               || (SELECT string_agg(a.attname, ',' ORDER BY o) FROM unnest(k.confkey) WITH ORDINALITY AS c (n, o)
                   JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = c.n) || ') '
               || CASE k.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
                                     WHEN 'd' THEN 'SET DEFAULT' ELSE 'RESTRICT' END
              ELSE '' END AS line
    FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid LEFT JOIN pg_class f ON f.oid = k.confrelid
    WHERE k.connamespace = 'public'::regnamespace AND k.contype IN ('p', 'u', 'f') AND r.relname <> 'aendring_search'
) x ORDER BY line COLLATE "C";
EOF
}

# Seeds, constraints, booleans, NOCASE and the full-text search (text.rs's own test cases, then
# the store's statements as README.md gives them for PostgreSQL), as assertions.
_pg_selftest_sql() {
  cat <<'EOF'
DO $$
DECLARE
    n BIGINT;
    t BIGINT;
    u BIGINT;
BEGIN
    -- the seeded rows
    ASSERT (SELECT version FROM change_counter WHERE name = 'aendringer') = 0, 'change_counter';
    ASSERT (SELECT weights || adopted_at || adopted_by || note FROM weight_set WHERE version = 1)
        = '[1,1,1,1,1,1,1,1,1]2023-11-01T00:00:00.000ZsystemStartvægte: alle kriterier vægter ens.', 'weight_set 1';
    ASSERT (SELECT string_agg(kode || '/' || coalesce(master_id::text, '-') || '/' || sts || '/' || slut_offset
                              || '/' || start_offset || '/' || changed_by, ',' ORDER BY id) FROM klik_opgave)
        = 'UI 04/447/false/-49/-217/system,MI 38/-/false/-30/-120/system', 'klik_opgave';
    ASSERT (SELECT bool_and(changed_at ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$') FROM klik_opgave), 'klik_opgave.changed_at';
    ASSERT (SELECT resultat FROM klik_opgave WHERE kode = 'UI 04') LIKE '%håndteringen af ''andre ydelser''%', 'quotes';
    -- an identity continues after the seeded version, as SQLite's max(rowid) + 1 would
    INSERT INTO weight_set (weights, adopted_at, adopted_by) VALUES ('[2,1,1,1,1,1,1,1,1]', 'x', 'y') RETURNING version INTO n;
    ASSERT n = 2, 'weight_set after the seed: ' || n;

    -- core tables, defaults and constraints (store::kommune::ensure's statements as they are)
    INSERT INTO kommune (nr, navn) VALUES (751, 'Aarhus') ON CONFLICT (nr) DO NOTHING;
    WITH RECURSIVE pakke (nr) AS (SELECT 1 UNION ALL SELECT nr + 1 FROM pakke WHERE nr < 17)
    INSERT INTO opgavepakke_count (kommune, opgavepakke, open_tasks) SELECT 751, nr, 0 FROM pakke WHERE true
    ON CONFLICT (kommune, opgavepakke) DO NOTHING;
    ASSERT (SELECT count(*) FROM opgavepakke_count WHERE kommune = 751) = 17, 'opgavepakke_count';
    ASSERT (SELECT tilgang || ressourcer || timer_pr_uge || deadline_med FROM kommune WHERE nr = 751)
        = 'opgavepakkestyretalle102023-01-25', 'kommune defaults';
    INSERT INTO person (kommune, cpr, navn) VALUES (751, '0101010101', 'Anna');
    INSERT INTO fordring (kommune, fordring_id, cpr, hovedstol, stiftet) VALUES (751, 'F1', '0101010101', 100, '2020-01-01');
    INSERT INTO task (kommune, kind, fordring_id, opgavepakke, defects, created_at, cpr, hovedstol, stiftet)
    VALUES (751, 'opret', 'F1', 3, 5, '2026-01-01T00:00:00Z', '0101010101', 100, '2020-01-01') RETURNING id INTO t;
    ASSERT (SELECT is_open AND NOT tilbagefoersel FROM task WHERE id = t), 'task flags default';
    BEGIN
        INSERT INTO task (kommune, kind, fordring_id, opgavepakke, defects, created_at, cpr, hovedstol, stiftet)
        VALUES (751, 'opret', 'F1', 4, 5, 'x', '0101010101', 100, '2020-01-01');
        RAISE EXCEPTION 'a second Opret task of F1 was accepted';
    EXCEPTION WHEN unique_violation THEN NULL;
    END;
    BEGIN
        UPDATE task SET opgavepakke = 18 WHERE id = t;
        RAISE EXCEPTION 'opgavepakke 18 was accepted';
    EXCEPTION WHEN check_violation THEN NULL;
    END;
    BEGIN
        INSERT INTO person (kommune, cpr, navn) VALUES (999, '0101010101', 'x');
        RAISE EXCEPTION 'a person of an unknown kommune was accepted';
    EXCEPTION WHEN foreign_key_violation THEN NULL;
    END;
    -- booleans, in the neutral forms of README.md's checklist
    UPDATE task SET is_open = FALSE, closed_at = 'x' WHERE id = t AND is_open;
    ASSERT (SELECT count(*) FILTER (WHERE is_open) || '/' || count(*) FILTER (WHERE NOT is_open) FROM task) = '0/1', 'flags';
    UPDATE fordring SET kravtype_bekraeftet = (kravtype_bekraeftet OR TRUE) WHERE fordring_id = 'F1';
    ASSERT (SELECT kravtype_bekraeftet FROM fordring WHERE fordring_id = 'F1'), 'kravtype_bekraeftet';
    INSERT INTO stikproeve (kommune, paragrafkontrol, kravtypekontrol, seed, population, requested, drawn_by, drawn_at)
    VALUES (751, TRUE, FALSE, 4294967295, 1, '1', 'x', 'x') RETURNING id INTO n;
    INSERT INTO stikproeve_item (stikproeve_id, position, task_id, p, k) VALUES (n, 1, t, TRUE, FALSE);
    BEGIN
        INSERT INTO stikproeve_item (stikproeve_id, position, task_id, p, k) VALUES (n, 2, t, FALSE, FALSE);
        RAISE EXCEPTION 'an item with neither p nor k was accepted';
    EXCEPTION WHEN check_violation THEN NULL;
    END;
    ASSERT (SELECT count(*) FROM pg_indexes WHERE tablename = 'task' AND indexdef ~ 'WHERE \(?is_open') = 4,
        'partial indexes of open tasks';

    -- NOCASE: equality, UNIQUE, PRIMARY KEY and ON CONFLICT ignore case, as in SQLite
    INSERT INTO app_user (username, display_name, password_hash, role, kommune, created_at)
    VALUES ('Mette.Hansen', 'Mette Hansen', 'h', 'sagsbehandler', 751, 'x') RETURNING id INTO u;
    ASSERT (SELECT id FROM app_user WHERE username = 'METTE.hansen') = u, 'username lookup ignores case';
    BEGIN
        INSERT INTO app_user (username, display_name, password_hash, role, kommune, created_at)
        VALUES ('mette.hansen', 'x', 'h', 'sagsbehandler', 751, 'x');
        RAISE EXCEPTION 'a username differing only in case was accepted';
    EXCEPTION WHEN unique_violation THEN NULL;
    END;
    INSERT INTO mi38_medarbejder (kommune, username) VALUES (751, 'Mette.Hansen'), (751, 'Ole') ON CONFLICT DO NOTHING;
    INSERT INTO mi38_medarbejder (kommune, username) VALUES (751, 'mette.HANSEN') ON CONFLICT DO NOTHING;
    ASSERT (SELECT count(*) FROM mi38_medarbejder) = 2, 'mi38_medarbejder primary key ignores case';
    INSERT INTO task_aabnet (task_id, username, at) VALUES (t, 'Mette.Hansen', 'a')
    ON CONFLICT (task_id, username) DO UPDATE SET at = excluded.at;
    INSERT INTO task_aabnet (task_id, username, at) VALUES (t, 'METTE.HANSEN', 'b')
    ON CONFLICT (task_id, username) DO UPDATE SET at = excluded.at;
    ASSERT (SELECT string_agg(username || '@' || at, ',') FROM task_aabnet) = 'Mette.Hansen@b', 'task_aabnet upsert';
    ASSERT (SELECT min(username) FROM app_user WHERE NOT is_demo) = 'Mette.Hansen', 'min over nocase';
    INSERT INTO aendring (key, titel, udfordring, ydelsesarter, omfang, workaround, aendring_type, beskrivelse,
                          kommune, fagfaellesskab, status, filed_at)
    VALUES ('AE-2026-05001', 't', 'u', 'y', 'o', 'w', 'a', 'b', 751, 'f', 'visitering', '2026-01-01');
    ASSERT (SELECT count(*) FROM aendring WHERE key = 'ae-2026-05001' COLLATE NOCASE) = 1, 'COLLATE NOCASE in a query';

    -- text.rs's tests, in SQL
    ASSERT (SELECT string_agg(arbejdsbord_fold(x), '|' ORDER BY o) FROM unnest(ARRAY['Økonomi', 'Ærø', 'Århus',
            'Café Müller', 'Söderström', 'Straße', 'SAG-123']) WITH ORDINALITY AS a (x, o))
        = 'oekonomi|aeroe|aarhus|cafe muller|soderstrom|strasse|sag-123', 'fold';
    ASSERT arbejdsbord_search_terms('Det er ikke muligt at se en fordring i KY') = 'mul se fordring ky', 'stop words';
    ASSERT arbejdsbord_search_terms('  ,.;  ') = '', 'nothing searchable';
    ASSERT (SELECT count(DISTINCT arbejdsbord_search_terms(x)) FROM unnest(ARRAY['Økonomisk', 'okonomisk',
            'oekonomisk', 'ØKONOMISK']) x) = 1, 'økonomisk however the ø is typed';
    ASSERT (SELECT count(DISTINCT arbejdsbord_search_terms(x)) FROM unnest(ARRAY['ledighedsydelse',
            'ledighedsydelsen', 'Ledighedsydelser', 'ledighedsydelserne']) x) = 1, 'one stem';
    ASSERT arbejdsbord_search_terms('Modregning af fordringer') = 'modregning fordring', 'query terms';
    ASSERT arbejdsbord_tsquery('"modregning"* OR "fordring"*')::text = $q$'modregning':* | 'fordring':*$q$, 'tsquery';

    -- the store's statements for PostgreSQL (README.md), the terms as Rust computes them
    INSERT INTO aendring (key, titel, udfordring, ydelsesarter, omfang, workaround, aendring_type, beskrivelse,
                          kommune, fagfaellesskab, status, filed_at)
    VALUES ('AE-2026-05002', 'Økonomisystemet på Ærø', 'x', 'y', 'o', 'w', 'a', 'b', 751, 'f', 'visitering', 'x'),
           ('AE-2026-05003', 'Modregning i ledighedsydelsen', 'x', 'y', 'o', 'w', 'a', 'b', 751, 'f', 'visitering', 'x'),
           ('AE-2026-05004', 'Fordringer i Århus', 'x', 'y', 'o', 'w', 'a', 'b', 751, 'f', 'visitering', 'x');
    INSERT INTO aendring_search (rowid, terms)
        SELECT id, arbejdsbord_search_terms(titel || ' ' || udfordring || ' ' || beskrivelse) FROM aendring;
    ASSERT (SELECT string_agg(rowid::text, ',') FROM aendring_search, arbejdsbord_tsquery('"okonomi"*') q
            WHERE tsv @@ q) = (SELECT id::text FROM aendring WHERE key = 'AE-2026-05002'), 'okonomi finds Økonomisystemet';
    ASSERT (SELECT string_agg(rowid::text, ',') FROM aendring_search, arbejdsbord_tsquery('"aro"*') q
            WHERE tsv @@ q) = (SELECT id::text FROM aendring WHERE key = 'AE-2026-05002'), 'aero finds Ærø';
    ASSERT (SELECT string_agg(rowid::text, ',') FROM aendring_search, arbejdsbord_tsquery('"arhus"*') q
            WHERE tsv @@ q) = (SELECT id::text FROM aendring WHERE key = 'AE-2026-05004'), 'Aarhus finds Århus';
    ASSERT (SELECT string_agg(rowid::text, ',' ORDER BY rowid) FROM aendring_search,
                arbejdsbord_tsquery('"ledighedsyd"* OR "fordring"*') q WHERE tsv @@ q)
        = (SELECT string_agg(id::text, ',' ORDER BY id) FROM aendring WHERE key IN ('AE-2026-05003', 'AE-2026-05004')),
        'OR of prefixes';
    UPDATE aendring_search SET terms = 'kommunikation' WHERE rowid = (SELECT id FROM aendring WHERE key = 'AE-2026-05004');
    ASSERT (SELECT count(*) FROM aendring_search, arbejdsbord_tsquery('"arhus"*') q WHERE tsv @@ q) = 0, 'updated terms';
    ASSERT (SELECT rowid FROM aendring_search, arbejdsbord_tsquery('"kommunik"*') q WHERE tsv @@ q
            ORDER BY ts_rank(tsv, q, 1) DESC, rowid LIMIT 1)
        = (SELECT id FROM aendring WHERE key = 'AE-2026-05004'), 'the search statement';
END
$$;
SELECT 'sanity queries: all assertions held';
EOF
}

pg_selftest() {
  local root="$ARBEJDSBORD_PG_ROOT"
  pg_install || return 1
  step "pg_start"
  pg_start >/dev/null || return 1
  pg_start >/dev/null || return 1 # the second call reuses the first cluster
  echo "cluster: $ARBEJDSBORD_PG_URL ($("$ARBEJDSBORD_PG_BIN/postgres" --version))"
  local url
  url="$(pg_fresh_db selftest)" || return 1
  url="$(pg_fresh_db selftest)" || return 1 # dropped and made again
  echo "database: $url"

  step "CREATE EXTENSION unaccent (postgresql-contrib is there; the schema itself does not need it)"
  pg_psql selftest -c "CREATE EXTENSION IF NOT EXISTS unaccent" || return 1

  step "apply app/migrations_pg"
  local f
  for f in "$root"/app/migrations_pg/*.sql; do
    echo "  $(basename "$f")"
    pg_psql selftest --single-transaction -f "$f" || { echo "FAILED: $f" >&2; return 1; }
  done

  step "the schema has SQLite's tables, columns (order, NOT NULL, defaults), indexes and keys"
  if command -v python3 >/dev/null && python3 -c 'import sqlite3' 2>/dev/null; then
    if ! diff -u <(_pg_sqlite_shape) <(_pg_pg_shape selftest) >"$ARBEJDSBORD_PG_DIR/shape.diff"; then
      echo "FAILED: the schemas differ (- SQLite, + PostgreSQL):" >&2
      cat "$ARBEJDSBORD_PG_DIR/shape.diff" >&2
      return 1
    fi
    echo "  $(_pg_pg_shape selftest | grep -c '^col') columns, $(_pg_pg_shape selftest | grep -c '^index') indexes, $(_pg_pg_shape selftest | grep -cE '^(pk|unique|fk) ') keys match"
  else
    echo "  (skipped: python3 with sqlite3 is missing)"
  fi

  step "sanity queries"
  _pg_selftest_sql | pg_psql selftest -A -t || { echo "FAILED: sanity queries" >&2; return 1; }

  step "pgbench runs against the cluster"
  "$ARBEJDSBORD_PG_BIN/pgbench" -h 127.0.0.1 -p "$ARBEJDSBORD_PG_PORT" -U "$ARBEJDSBORD_PG_ROLE" -n -t 20 -c 2 \
    -f <(echo "SELECT count(*) FROM task WHERE kommune = 751 AND is_open;") selftest >/dev/null || return 1
  echo "  ok"

  step "pg_stop"
  local dir="$ARBEJDSBORD_PG_DIR"
  pg_stop
  pg_stop # twice is fine
  [ ! -e "$dir" ] || { echo "FAILED: $dir is still there" >&2; return 1; }
  step "selftest passed"
}

# --- run directly -----------------------------------------------------------------------------

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  state="${TMPDIR:-/tmp}/arbejdsbord-pg-$(id -u).env"
  case "${1:-}" in
    start)
      if [ -f "$state" ]; then source "$state"; ARBEJDSBORD_PG_OWNER=$BASHPID; fi
      pg_start >/dev/null
      declare -p ARBEJDSBORD_PG_URL ARBEJDSBORD_PG_DIR ARBEJDSBORD_PG_PORT ARBEJDSBORD_PG_BIN | sed 's/^declare -x /export /' >"$state"
      echo "$ARBEJDSBORD_PG_URL"
      ;;
    url)
      [ -f "$state" ] || { echo "not started (scripts/pg.sh start)" >&2; exit 1; }
      source "$state"
      echo "$ARBEJDSBORD_PG_URL"
      ;;
    stop)
      [ -f "$state" ] || exit 0
      source "$state"
      ARBEJDSBORD_PG_OWNER=$BASHPID
      pg_stop
      rm -f "$state"
      ;;
    selftest)
      trap pg_stop EXIT
      pg_selftest
      ;;
    *)
      echo "usage: scripts/pg.sh start|url|stop|selftest (or source it: pg_install, pg_start, pg_stop, pg_fresh_db)" >&2
      exit 2
      ;;
  esac
fi
