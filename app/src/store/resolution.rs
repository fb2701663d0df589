//! What resolving a task writes, as statements run on the writer's own SQLite handle
//! (`writer::SyncTx`, rusqlite on the connection sqlx lends): the answer on the fordring, the
//! task's history, the ventetrin dækninger it releases (history, booked, closed), the audit row,
//! the time spent on it (from its opening, for "Fremdrift"), and the task closed. Through sqlx
//! each statement (or one multi-statement query) is a round trip to sqlx's SQLite worker
//! thread, and resolving is the hottest write there is (BENCHMARKS.md); here none is.
//!
//! An answer that can change "samme kravtype" for the person (a bevilling chosen, a kravtype
//! set) re-classifies the person's other open Opret fordringssag tasks in the same job
//! (`RECLASSIFY`): the K bit is computed again from the fordringer as they are now, a task whose
//! package changes moves (history with the cause), one with nothing left closes and its
//! ventetrin dækninger are processed. Other answers skip those statements.

use super::Conn;
use super::automation::package_case;
use super::classify::{WHITESPACE, missing};
use super::extract::FordringUpdate;
use crate::domain::{Defects, Opgavepakke};
use rusqlite::types::Value;
use std::sync::LazyLock;

/// The written facts of one resolve.
pub struct Resolution<'a> {
    pub kommune: u16,
    pub task_id: i64,
    /// The defects the answer was checked against (`Defects::to_fix_bits`).
    pub to_fix_bits: u8,
    pub fordring_id: &'a str,
    pub cpr: &'a str,
    pub at: &'a str,
    pub actor: &'a str,
    /// The history cause ("Løst: …").
    pub summary: &'a str,
    /// The ventetrin history cause.
    pub processed_cause: &'a str,
    pub audit_detail: &'a str,
    pub update: FordringUpdate,
    /// Set when the answer can change "samme kravtype" for the person's other fordringer: what
    /// changed, as the cause of their moves ("bevilling B2 blev valgt på fordring F1").
    pub reclassify_because: Option<&'a str>,
}

/// What one resolve wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// The opgavepakke the task was closed in.
    pub opgavepakke: u8,
    /// Its ventetrin tasks processed.
    pub processed: usize,
    /// The person's other tasks whose opgavepakke changed: (from, to); `to` is `None` when the
    /// task closed because nothing is missing any more.
    pub moves: Vec<(u8, Option<u8>)>,
    /// Ventetrin tasks of those closed tasks, processed.
    pub others_processed: usize,
}

/// Every statement but the last is guarded by the task still being open with the defects the
/// answer was checked against, and not held by another caseworker (a claim taken after the
/// check: `claimed_by` someone else until later than now) (`GUARD`); the last closes it. So the whole resolve is one round
/// trip, and a task closed or changed meanwhile is left alone by all of them (the writer runs one
/// job at a time, so nothing changes between the statements). Parameters are plain `?`, bound in
/// order across the statements (`args`).
const SQL: &str = "
UPDATE fordring SET
    bevilling_id = coalesce(?, bevilling_id),
    ydelsesreference = coalesce(?, ydelsesreference),
    kravtype = coalesce(?, kravtype),
    kravtype_bekraeftet = (kravtype_bekraeftet OR ?),
    udbetalingsparagraf = coalesce(?, udbetalingsparagraf),
    tilbagebetalingsparagraf = coalesce(?, tilbagebetalingsparagraf)
WHERE kommune = ? AND fordring_id = ?
  AND EXISTS (SELECT 1 FROM task WHERE id = ? AND is_open AND kind = 'opret' AND (defects & 15) = ? AND NOT coalesce(claimed_by <> ? AND claimed_until > ?, FALSE));
INSERT INTO task_history (task_id, at, event, from_opgavepakke, to_opgavepakke, cause, actor)
    SELECT id, ?, ?, opgavepakke, NULL, ?, ? FROM task
    WHERE id = ? AND is_open AND kind = 'opret' AND (defects & 15) = ? AND NOT coalesce(claimed_by <> ? AND claimed_until > ?, FALSE);
INSERT INTO task_history (task_id, at, event, from_opgavepakke, to_opgavepakke, cause, actor)
    SELECT id, ?, ?, ?, NULL, ?, 'system' FROM task
    WHERE kommune = ? AND fordring_id = ? AND kind = 'daekning' AND is_open
      AND EXISTS (SELECT 1 FROM task WHERE id = ? AND is_open AND kind = 'opret' AND (defects & 15) = ? AND NOT coalesce(claimed_by <> ? AND claimed_until > ?, FALSE))
    ORDER BY id;
UPDATE daekning SET behandlet = ?
    WHERE kommune = ? AND behandlet IS NULL AND daekning_id IN
        (SELECT daekning_id FROM task WHERE kommune = ? AND fordring_id = ? AND kind = 'daekning' AND is_open)
      AND EXISTS (SELECT 1 FROM task WHERE id = ? AND is_open AND kind = 'opret' AND (defects & 15) = ? AND NOT coalesce(claimed_by <> ? AND claimed_until > ?, FALSE));
INSERT INTO audit_log (at, actor, kommune, cpr, action, detail)
    SELECT ?, ?, ?, ?, ?, ?
    WHERE EXISTS (SELECT 1 FROM task WHERE id = ? AND is_open AND kind = 'opret' AND (defects & 15) = ? AND NOT coalesce(claimed_by <> ? AND claimed_until > ?, FALSE));
INSERT INTO arbejdstid (kommune, task_id, opgavepakke, username, seconds, saved_at)
    SELECT t.kommune, t.id, t.opgavepakke, o.username, {seconds}, ?
    FROM task t JOIN task_aabnet o ON o.task_id = t.id AND o.username = ?
    WHERE t.id = ? AND t.is_open AND t.kind = 'opret' AND (t.defects & 15) = ? AND NOT coalesce(t.claimed_by <> ? AND t.claimed_until > ?, FALSE);
DELETE FROM task_aabnet WHERE task_id = ?;
UPDATE task SET is_open = FALSE, closed_by = 'system', closed_at = ?, claimed_by = NULL, claimed_until = NULL
    WHERE kommune = ? AND fordring_id = ? AND kind = 'daekning' AND is_open
      AND EXISTS (SELECT 1 FROM task WHERE id = ? AND is_open AND kind = 'opret' AND (defects & 15) = ? AND NOT coalesce(claimed_by <> ? AND claimed_until > ?, FALSE))
    RETURNING CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT);
";

/// The last statement: the task closed.
const CLOSE: &str = "
UPDATE task SET is_open = FALSE, closed_by = ?, closed_at = ?, claimed_by = NULL, claimed_until = NULL
    WHERE id = ? AND is_open AND kind = 'opret' AND (defects & 15) = ? AND NOT coalesce(claimed_by <> ? AND claimed_until > ?, FALSE)
    RETURNING CAST(1 AS BIGINT), opgavepakke, CAST(0 AS BIGINT)";

/// The guard the re-classification's statements carry (as `SQL`'s do).
const GUARD: &str = "EXISTS (SELECT 1 FROM task WHERE id = ? AND is_open AND kind = 'opret' AND (defects & 15) = ? AND NOT coalesce(claimed_by <> ? AND claimed_until > ?, FALSE))";

/// The person's other open Opret fordringssag tasks with their defects as the fordringer are now
/// (`domain::defects::defects_of`: only K depends on other fordringer, so only K is computed
/// again; an automated kravtypekontrol keeps it off) and the opgavepakke that follows.
/// Binds: kommune, cpr, the resolved task.
static RECLASSIFIED: LazyLock<String> = LazyLock::new(|| {
    let k = Defects { k: true, ..Defects::default() }.bits();
    let ws = WHITESPACE.as_str();
    format!(
        "(SELECT x.*, {to_p} AS to_p FROM (
            SELECT s.id, s.opgavepakke AS from_p, s.defects AS old_d,
                   (s.defects & ~{k}) | (CASE
                       WHEN (SELECT auto_kravtype FROM kommune WHERE nr = s.kommune) IS NOT NULL THEN 0
                       WHEN {missing_k} THEN {k}
                       WHEN f.kravtype_bekraeftet THEN 0
                       WHEN EXISTS (SELECT 1 FROM fordring o WHERE o.kommune = f.kommune AND o.cpr = f.cpr
                                AND o.fordring_id <> f.fordring_id AND trim(o.kravtype, '{ws}') = trim(f.kravtype, '{ws}')
                                AND o.bevilling_id IS DISTINCT FROM f.bevilling_id) THEN {k}
                       ELSE 0
                   END) AS new_d,
                   (s.defects & {k}) = 0 AS k_added
            FROM task s CROSS JOIN fordring f
            WHERE f.kommune = s.kommune AND f.fordring_id = s.fordring_id
              AND s.kommune = ? AND s.cpr = ? AND s.is_open AND s.kind = 'opret' AND s.id <> ?
        ) x)",
        to_p = package_case("x.new_d"),
        missing_k = missing("f.kravtype"),
    )
});

/// The re-classification of the person's other tasks (see the module doc), run before the task
/// is closed. Binds in order: see `record`.
static RECLASSIFY: LazyLock<String> = LazyLock::new(|| {
    let r = RECLASSIFIED.as_str();
    let (from_p, to_p) = (two_digits("r.from_p"), two_digits("r.to_p"));
    format!(
        "
INSERT INTO task_history (task_id, at, event, from_opgavepakke, to_opgavepakke, cause, actor)
    SELECT r.id, ?, CASE WHEN r.to_p IS NULL THEN 'loest' ELSE 'flyttet' END, r.from_p, r.to_p,
        CASE WHEN r.to_p IS NULL
            THEN 'Løst automatisk, fordi ' || ? || ': fordringen har ikke længere samme kravtype som en anden af borgerens fordringer på en anden bevilling, og intet andet mangler.'
            ELSE 'Flyttet fra ' || {from_p} || ' til ' || {to_p} || ', fordi ' || ? ||
                CASE WHEN r.k_added
                    THEN ': fordringen har nu samme kravtype som en anden af borgerens fordringer på en anden bevilling.'
                    ELSE ': fordringen har ikke længere samme kravtype som en anden af borgerens fordringer på en anden bevilling.'
                END
        END, 'system'
    FROM {r} r
    WHERE r.to_p IS DISTINCT FROM r.from_p AND {GUARD}
    ORDER BY r.id
    RETURNING CAST(2 AS BIGINT), from_opgavepakke, coalesce(to_opgavepakke, 0);
UPDATE task SET defects = r.new_d, opgavepakke = coalesce(r.to_p, task.opgavepakke), is_open = (r.to_p IS NOT NULL),
        closed_at = CASE WHEN r.to_p IS NULL THEN ? ELSE task.closed_at END,
        closed_by = CASE WHEN r.to_p IS NULL THEN 'system' ELSE task.closed_by END,
        claimed_by = CASE WHEN r.to_p IS NULL THEN NULL ELSE task.claimed_by END,
        claimed_until = CASE WHEN r.to_p IS NULL THEN NULL ELSE task.claimed_until END
    FROM {r} r
    WHERE task.id = r.id AND r.new_d <> r.old_d AND {GUARD};
INSERT INTO task_history (task_id, at, event, from_opgavepakke, to_opgavepakke, cause, actor)
    SELECT v.id, ?, 'behandlet', ?, NULL, 'Behandlet automatisk, da opgave ' || o.id || ' (Opret fordringssag) blev løst.', 'system'
    FROM task v CROSS JOIN task o
    WHERE o.kommune = v.kommune AND o.fordring_id = v.fordring_id AND o.kind = 'opret' AND NOT o.is_open
      AND v.kommune = ? AND v.cpr = ? AND v.kind = 'daekning' AND v.is_open AND {GUARD}
    ORDER BY v.id;
UPDATE daekning SET behandlet = ?
    WHERE kommune = ? AND behandlet IS NULL AND daekning_id IN (
        SELECT v.daekning_id FROM task v WHERE v.kommune = ? AND v.cpr = ? AND v.kind = 'daekning' AND v.is_open
          AND EXISTS (SELECT 1 FROM task o WHERE o.kommune = v.kommune AND o.fordring_id = v.fordring_id AND o.kind = 'opret' AND NOT o.is_open))
      AND {GUARD};
UPDATE task SET is_open = FALSE, closed_by = 'system', closed_at = ?, claimed_by = NULL, claimed_until = NULL
    WHERE kommune = ? AND cpr = ? AND kind = 'daekning' AND is_open
      AND EXISTS (SELECT 1 FROM task o WHERE o.kommune = task.kommune AND o.fordring_id = task.fordring_id AND o.kind = 'opret' AND NOT o.is_open)
      AND {GUARD}
    RETURNING CAST(3 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT);"
    )
});

/// A number as two digits (`printf('%02d', x)`, which PostgreSQL has not).
fn two_digits(x: &str) -> String {
    format!("(CASE WHEN {x} < 10 THEN '0' ELSE '' END || {x})")
}

/// The statements of a resolve, one by one (split where a line ends a statement), for SQLite
/// (`?`, bound in order) or PostgreSQL (`$1 … $n` per statement); with or without the
/// re-classification. The seconds from opening to saving are the one dialect difference.
fn statements(pg: bool, reclassify: bool) -> &'static [String] {
    static SETS: LazyLock<[Vec<String>; 4]> = LazyLock::new(|| {
        let make = |pg: bool, reclassify: bool| {
            let seconds = if pg {
                "EXTRACT(EPOCH FROM CAST(? AS timestamptz) - CAST(o.at AS timestamptz))"
            } else {
                "(julianday(?) - julianday(o.at)) * 86400.0"
            };
            let body = if reclassify { RECLASSIFY.as_str() } else { "" };
            let sql = format!("{}{body}{CLOSE}", SQL.replace("{seconds}", seconds));
            let split = sql.split(";\n").map(str::trim).filter(|s| !s.is_empty());
            split.map(|s| if pg { numbered(s) } else { s.to_string() }).collect()
        };
        [make(false, false), make(false, true), make(true, false), make(true, true)]
    });
    &SETS[usize::from(pg) * 2 + usize::from(reclassify)]
}

/// `?` placeholders as PostgreSQL's `$1 … $n`.
fn numbered(statement: &str) -> String {
    let mut out = String::with_capacity(statement.len() + 16);
    let mut n = 0;
    for c in statement.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}

/// How the history events and the audit action are stored (as sqlx writes them; a test holds
/// the two together).
const LOEST: &str = "loest";
const BEHANDLET: &str = "behandlet";
const RESOLVE_TASK: &str = "løs opgave";

/// A value bound to a resolve's statement.
#[derive(Clone, Debug)]
enum Arg {
    Int(i64),
    Flag(bool),
    Text(String),
    Null,
}

impl Arg {
    fn sqlite(&self) -> Value {
        match self {
            Arg::Int(v) => Value::Integer(*v),
            Arg::Flag(v) => Value::Integer(i64::from(*v)),
            Arg::Text(v) => Value::Text(v.clone()),
            Arg::Null => Value::Null,
        }
    }
}

/// The arguments of the statements, in order across them.
#[derive(Default)]
struct Args(Vec<Arg>);

impl Args {
    fn int(&mut self, v: impl Into<i64>) -> &mut Self {
        self.0.push(Arg::Int(v.into()));
        self
    }
    fn flag(&mut self, v: bool) -> &mut Self {
        self.0.push(Arg::Flag(v));
        self
    }
    fn text(&mut self, v: &str) -> &mut Self {
        self.0.push(Arg::Text(v.to_string()));
        self
    }
    fn opt(&mut self, v: Option<&str>) -> &mut Self {
        self.0.push(v.map_or(Arg::Null, |v| Arg::Text(v.to_string())));
        self
    }
}

/// What one resolve wrote: `None` when the task was closed, changed or taken by another
/// caseworker since it was checked (nothing was written). Runs on the writer's own SQLite
/// handle (`writer::SyncTx`): a dozen statements without a hop to another thread.
pub fn record(db: &rusqlite::Connection, r: Resolution<'_>) -> Result<Option<Written>, sqlx::Error> {
    let statements = statements(false, r.reclassify_because.is_some());
    let args: Vec<Value> = args(&r).iter().map(Arg::sqlite).collect();
    let rows = run(db, statements, &args).map_err(super::rusqlite_error)?;
    Ok(written(rows))
}

/// `record` through sqlx, for PostgreSQL (a transaction per job there: the statements go one
/// by one, guarded as on SQLite, and a row lock keeps a concurrent resolve of the same task
/// waiting until this one commits).
pub async fn record_async(conn: &mut Conn, r: Resolution<'_>) -> Result<Option<Written>, sqlx::Error> {
    let reclassify = r.reclassify_because.is_some();
    let args = args(&r);
    let mut rows = Vec::new();
    let mut next = 0;
    for (i, sqlite) in statements(false, reclassify).iter().enumerate() {
        let n = sqlite.matches('?').count();
        let mine =
            args.get(next..next + n).ok_or_else(|| sqlx::Error::Protocol("resolve: too few arguments".into()))?;
        next += n;
        let returned: Vec<(i64, i64, i64)> = on_each!(conn, |cx| {
            let sql = statements(PG, reclassify)[i].as_str();
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for arg in mine {
                q = match arg {
                    Arg::Int(v) => q.bind(*v),
                    Arg::Flag(v) => q.bind(*v),
                    Arg::Text(v) => q.bind(v.clone()),
                    Arg::Null => q.bind(None::<String>),
                };
            }
            q.fetch_all(cx).await
        })?;
        rows.extend(returned);
    }
    Ok(written(rows))
}

/// The arguments of `record`'s statements, in their order.
fn args(r: &Resolution<'_>) -> Vec<Arg> {
    let u = &r.update;
    let (k, f, t, bits) = (r.kommune, r.fordring_id, r.task_id, r.to_fix_bits);
    let mut a = Args::default();
    // the guard every statement carries: the task as checked, not held by another
    let guard = |a: &mut Args| {
        a.int(t).int(bits).text(r.actor).text(r.at);
    };
    // the fordring
    a.opt(u.bevilling_id.as_deref()).opt(u.ydelsesreference.as_deref()).opt(u.kravtype.as_deref());
    a.flag(u.kravtype_bekraeftet).opt(u.udbetalingsparagraf.as_deref()).opt(u.tilbagebetalingsparagraf.as_deref());
    a.int(k).text(f);
    guard(&mut a);
    // the task's history
    a.text(r.at).text(LOEST).text(r.summary).text(r.actor);
    guard(&mut a);
    // the ventetrin tasks' history
    a.text(r.at).text(BEHANDLET).int(Opgavepakke::VENTETRIN.nr()).text(r.processed_cause).int(k).text(f);
    guard(&mut a);
    // their dækninger booked
    a.text(r.at).int(k).int(k).text(f);
    guard(&mut a);
    // the audit row
    a.text(r.at).text(r.actor).int(k).text(r.cpr).text(RESOLVE_TASK).text(r.audit_detail);
    guard(&mut a);
    // the time from opening to saving, when the saver opened it here
    a.text(r.at).text(r.at).text(r.actor);
    guard(&mut a);
    a.int(t);
    // the ventetrin tasks closed
    a.text(r.at).int(k).text(f);
    guard(&mut a);
    if let Some(because) = r.reclassify_because {
        // the other tasks' history (select list, then the subquery, then the guard)
        a.text(r.at).text(because).text(because).int(k).text(r.cpr).int(t);
        guard(&mut a);
        // the other tasks moved or closed
        a.text(r.at).int(k).text(r.cpr).int(t);
        guard(&mut a);
        // the ventetrin tasks of those closed: history
        a.text(r.at).int(Opgavepakke::VENTETRIN.nr()).int(k).text(r.cpr);
        guard(&mut a);
        // their dækninger booked
        a.text(r.at).int(k).int(k).text(r.cpr);
        guard(&mut a);
        // their 09 tasks closed
        a.text(r.at).int(k).text(r.cpr);
        guard(&mut a);
    }
    // the task closed
    a.text(r.actor).text(r.at);
    guard(&mut a);
    a.0
}

/// Runs the statements in order, each taking as many of `args` as it has parameters, and
/// returns the rows they report (`RETURNING` three numbers).
fn run(db: &rusqlite::Connection, statements: &[String], args: &[Value]) -> rusqlite::Result<Vec<(i64, i64, i64)>> {
    let mut rows = Vec::new();
    let mut next = 0;
    for sql in statements {
        let mut stmt = db.prepare_cached(sql)?;
        let n = stmt.parameter_count();
        let Some(mine) = args.get(next..next + n) else {
            return Err(rusqlite::Error::InvalidParameterCount(n, args.len() - next));
        };
        for (i, v) in mine.iter().enumerate() {
            stmt.raw_bind_parameter(i + 1, v)?;
        }
        next += n;
        let mut result = stmt.raw_query();
        while let Some(row) = result.next()? {
            rows.push((row.get(0)?, row.get(1)?, row.get(2)?));
        }
    }
    if next != args.len() {
        return Err(rusqlite::Error::InvalidParameterCount(next, args.len()));
    }
    Ok(rows)
}

fn written(rows: Vec<(i64, i64, i64)>) -> Option<Written> {
    let mut written = Written::default();
    let mut closed = false;
    for (tag, a, b) in rows {
        match tag {
            0 => written.processed += 1,
            1 => {
                closed = true;
                written.opgavepakke = a as u8;
            }
            2 => written.moves.push((a as u8, (b > 0).then_some(b as u8))),
            _ => written.others_processed += 1,
        }
    }
    closed.then_some(written)
}

#[cfg(test)]
mod stored_names {
    use crate::model::task::HistoryEvent;
    use crate::store::audit::AuditAction;
    use sqlx::Connection;

    /// The names `record` binds are those sqlx writes for the enums.
    #[tokio::test]
    async fn the_bound_names_are_the_enums_stored_text() {
        let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:").await.unwrap();
        let (loest, behandlet, resolve): (String, String, String) = sqlx::query_as("SELECT ?, ?, ?")
            .bind(HistoryEvent::Loest)
            .bind(HistoryEvent::Behandlet)
            .bind(AuditAction::ResolveTask)
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(
            (loest.as_str(), behandlet.as_str(), resolve.as_str()),
            (super::LOEST, super::BEHANDLET, super::RESOLVE_TASK)
        );
    }
}
