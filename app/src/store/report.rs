//! Report R2.1: the open tasks of a kommune with person, fordring, dækninger and hand-over,
//! filtered and sorted; totals; the citizen × opgavepakke matrix; and the hand-over of persons
//! (`tildeling`, rapportstyret).
//!
//! The default order (opgavepakke, stiftet) walks `task_open_by_age` and stops after a page,
//! so the first page costs the same at 2 million open tasks as at 2,000; CPR order walks
//! `task_open_by_cpr`. Other orders and unindexed filters read every open task of the kommune.

use super::Conn;
use crate::model::report::{COUNT_CAP, ReportSort, TOP_PERSONS};
use crate::model::task::TaskKind;
use sqlx::{Database, QueryBuilder};

/// Who a person is handed to, as a filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TildeltFilter {
    #[default]
    Any,
    Nobody,
    User(String),
}

/// A parsed filter (the service builds it from `model::report::ReportQuery`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub opgavepakke: Option<u8>,
    pub sagsbehandler: Option<String>,
    pub tildelt: TildeltFilter,
    /// Digits only.
    pub cpr_prefix: Option<String>,
    pub min_oere: Option<i64>,
    pub kun_tilbagefoersel: bool,
}

impl Filter {
    /// Whether the kept counters answer "how many" (no filter, or only an opgavepakke).
    pub fn is_counted_by_counters(&self) -> bool {
        self.sagsbehandler.is_none()
            && self.tildelt == TildeltFilter::Any
            && self.cpr_prefix.is_none()
            && self.min_oere.is_none()
            && !self.kun_tilbagefoersel
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    #[sqlx(try_from = "i64")]
    pub opgavepakke: u8,
    pub kind: TaskKind,
    pub cpr: String,
    pub navn: String,
    pub fordring_id: String,
    pub hovedstol: i64,
    pub daekninger: i64,
    pub sagsbehandler: Option<String>,
    pub tildelt: Option<String>,
    pub tilbagefoersel: bool,
    pub created_at: String,
}

const COLUMNS: &str = "SELECT t.id, t.opgavepakke, t.kind, t.cpr, p.navn, t.fordring_id, t.hovedstol,
        (SELECT count(*) FROM daekning d WHERE d.kommune = t.kommune AND d.fordring_id = t.fordring_id) AS daekninger,
        t.sagsbehandler, g.username AS tildelt, t.tilbagefoersel, t.created_at
     FROM task t JOIN person p ON p.kommune = t.kommune AND p.cpr = t.cpr ";

/// A statement being built: its SQL with numbered `$N` placeholders and their values in order.
#[derive(Default)]
struct Sql {
    text: String,
    args: Vec<Arg>,
}

enum Arg {
    Int(i64),
    Text(String),
}

impl Sql {
    fn new(text: &str) -> Sql {
        Sql { text: text.to_string(), args: Vec::new() }
    }

    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    fn query_as<'q, DB: Database, T>(self) -> sqlx::query::QueryAs<'q, DB, T, <DB as Database>::Arguments>
    where
        T: for<'r> sqlx::FromRow<'r, DB::Row>,
        for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
        for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(self.text));
        for arg in self.args {
            q = match arg {
                Arg::Int(v) => q.bind(v),
                Arg::Text(v) => q.bind(v),
            };
        }
        q
    }
}

/// `FROM … WHERE …` of the open tasks matching `f` (after `COLUMNS` or a count).
fn push_filter(sql: &mut Sql, kommune: u16, f: &Filter) {
    // A named assignee leads the join (their persons, then each person's open tasks).
    match f.tildelt {
        TildeltFilter::User(_) => sql.push("JOIN tildeling g ON g.kommune = t.kommune AND g.cpr = t.cpr "),
        _ => sql.push("LEFT JOIN tildeling g ON g.kommune = t.kommune AND g.cpr = t.cpr "),
    };
    sql.push("WHERE t.kommune = ").bind(Arg::Int(kommune.into())).push(" AND t.is_open");
    if let Some(p) = f.opgavepakke {
        sql.push(" AND t.opgavepakke = ").bind(Arg::Int(p.into()));
    }
    if let Some(s) = &f.sagsbehandler {
        sql.push(" AND t.sagsbehandler = ").bind(Arg::Text(s.clone()));
    }
    match &f.tildelt {
        TildeltFilter::Any => {}
        TildeltFilter::Nobody => {
            sql.push(" AND g.username IS NULL");
        }
        TildeltFilter::User(u) => {
            sql.push(" AND g.username = ").bind(Arg::Text(u.clone()));
        }
    }
    if let Some(prefix) = &f.cpr_prefix {
        // A range, not LIKE: the column's collation is binary, LIKE's is not, so only a range
        // uses the index. ':' sorts right after '9'.
        sql.push(" AND t.cpr >= ").bind(Arg::Text(prefix.clone()));
        sql.push(" AND t.cpr < ").bind(Arg::Text(format!("{prefix}:")));
    }
    if let Some(min) = f.min_oere {
        sql.push(" AND t.hovedstol >= ").bind(Arg::Int(min));
    }
    if f.kun_tilbagefoersel {
        sql.push(" AND t.tilbagefoersel");
    }
}

fn order_by(sort: ReportSort) -> &'static str {
    match sort {
        ReportSort::Opgavepakke => " ORDER BY t.opgavepakke, t.stiftet, t.id",
        ReportSort::Cpr => " ORDER BY t.cpr, t.id",
        ReportSort::Beloeb => " ORDER BY t.hovedstol DESC, t.id",
        ReportSort::Sagsbehandler => " ORDER BY t.sagsbehandler IS NULL, t.sagsbehandler, t.cpr, t.id",
        ReportSort::Tildelt => " ORDER BY g.username IS NULL, g.username, t.cpr, t.id",
        ReportSort::Tilbagefoersel => " ORDER BY t.tilbagefoersel DESC, t.opgavepakke, t.stiftet, t.id",
    }
}

fn rows_sql(kommune: u16, f: &Filter, sort: ReportSort) -> Sql {
    let mut sql = Sql::new(COLUMNS);
    push_filter(&mut sql, kommune, f);
    sql.push(order_by(sort));
    sql
}

/// One page of rows.
pub async fn page(
    conn: &mut Conn,
    kommune: u16,
    f: &Filter,
    sort: ReportSort,
    limit: i64,
    offset: i64,
) -> Result<Vec<ReportRow>, sqlx::Error> {
    let mut sql = rows_sql(kommune, f, sort);
    sql.push(" LIMIT ").bind(Arg::Int(limit)).push(" OFFSET ").bind(Arg::Int(offset));
    on_each!(conn, |cx| sql.query_as().fetch_all(cx).await)
}

/// Rows per batch handed to the export's formatter.
pub const EXPORT_BATCH: usize = 2_000;

/// Page cache of the export's connection while it reads (KiB; the readers' own is 2 MiB).
const EXPORT_CACHE_KIB: i64 = 256 * 1024;

/// Every matching row, in order, in batches of `EXPORT_BATCH` onto `tx` (the export: memory
/// stays flat). Blocking: run it on a blocking thread; it returns when the rows are all sent,
/// or when the receiver is gone.
///
/// Why not sqlx's `fetch`: it hands each row from its worker thread to the caller through a
/// channel, and at 2,35 million rows the two threads wake each other for every row (a third of
/// the time went to the kernel, BENCHMARKS.md). Here the rows are read on this thread through
/// the connection's own SQLite handle, which sqlx lends while its worker is locked out, and
/// only every 2,000th row crosses to another thread.
pub fn export_batches(
    conn: &mut sqlx::SqliteConnection,
    kommune: u16,
    f: &Filter,
    sort: ReportSort,
    tx: &tokio::sync::mpsc::Sender<Vec<ReportRow>>,
) -> Result<(), sqlx::Error> {
    let sql = rows_sql(kommune, f, sort);
    let mut handle = tokio::runtime::Handle::current().block_on(conn.lock_handle())?;
    // SAFETY: `handle` keeps sqlx's worker thread away from this SQLite connection until it is
    // dropped, and `db` is dropped first (declared after it). `from_handle` does not take
    // ownership: dropping `db` finalizes only its own statements and leaves the connection open.
    let db =
        unsafe { rusqlite::Connection::from_handle(handle.as_raw_handle().as_ptr()) }.map_err(super::rusqlite_error)?;
    let reader_cache: i64 = db.query_row("PRAGMA cache_size", [], |r| r.get(0)).map_err(super::rusqlite_error)?;
    db.pragma_update(None, "cache_size", -EXPORT_CACHE_KIB).map_err(super::rusqlite_error)?;
    let read = read_batches(&db, &sql, tx);
    db.pragma_update(None, "cache_size", reader_cache).map_err(super::rusqlite_error)?;
    read.map_err(super::rusqlite_error)
}

/// `export_batches` through sqlx's row stream (PostgreSQL, whose rows come over the network
/// anyway): the same rows and batches.
pub async fn export_batches_async(
    conn: &mut Conn,
    kommune: u16,
    f: &Filter,
    sort: ReportSort,
    tx: &tokio::sync::mpsc::Sender<Vec<ReportRow>>,
) -> Result<(), sqlx::Error> {
    use futures::TryStreamExt;
    let sql = rows_sql(kommune, f, sort);
    on_each!(conn, |cx| {
        let mut rows = sql.query_as::<_, ReportRow>().fetch(cx);
        let mut batch = Vec::with_capacity(EXPORT_BATCH);
        while let Some(row) = rows.try_next().await? {
            batch.push(row);
            if batch.len() == EXPORT_BATCH
                && tx.send(std::mem::replace(&mut batch, Vec::with_capacity(EXPORT_BATCH))).await.is_err()
            {
                return Ok(()); // the formatter stopped (it says why)
            }
        }
        if !batch.is_empty() {
            let _ = tx.send(batch).await;
        }
        Ok(())
    })
}

fn read_batches(
    db: &rusqlite::Connection,
    sql: &Sql,
    tx: &tokio::sync::mpsc::Sender<Vec<ReportRow>>,
) -> Result<(), rusqlite::Error> {
    let mut stmt = db.prepare(&sql.text)?;
    let params = sql.args.iter().map(|a| match a {
        Arg::Int(v) => rusqlite::types::Value::Integer(*v),
        Arg::Text(v) => rusqlite::types::Value::Text(v.clone()),
    });
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    let mut batch = Vec::with_capacity(EXPORT_BATCH);
    while let Some(r) = rows.next()? {
        batch.push(ReportRow {
            id: r.get(0)?,
            opgavepakke: r.get(1)?,
            kind: match r.get_ref(2)?.as_str()? {
                "opret" => TaskKind::Opret,
                "daekning" => TaskKind::Daekning,
                other => {
                    let why = format!("ukendt opgavetype «{other}»");
                    return Err(rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, why.into()));
                }
            },
            cpr: r.get(3)?,
            navn: r.get(4)?,
            fordring_id: r.get(5)?,
            hovedstol: r.get(6)?,
            daekninger: r.get(7)?,
            sagsbehandler: r.get(8)?,
            tildelt: r.get(9)?,
            tilbagefoersel: r.get(10)?,
            created_at: r.get(11)?,
        });
        if batch.len() == EXPORT_BATCH
            && tx.blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(EXPORT_BATCH))).is_err()
        {
            return Ok(()); // the formatter stopped (it says why)
        }
    }
    if !batch.is_empty() {
        let _ = tx.blocking_send(batch);
    }
    Ok(())
}

/// How many rows match, counted up to `COUNT_CAP` (one more means "more than").
pub async fn count_capped(conn: &mut Conn, kommune: u16, f: &Filter) -> Result<i64, sqlx::Error> {
    let mut sql = Sql::new("SELECT count(*) FROM (SELECT 1 FROM task t ");
    push_filter(&mut sql, kommune, f);
    sql.push(" LIMIT ").bind(Arg::Int(COUNT_CAP + 1)).push(") AS capped");
    let (n,): (i64,) = on_each!(conn, |cx| sql.query_as().fetch_one(cx).await)?;
    Ok(n)
}

/// How many rows match (the export's audit row says how many CPR rows left).
pub async fn count_all(conn: &mut Conn, kommune: u16, f: &Filter) -> Result<i64, sqlx::Error> {
    let mut sql = Sql::new("SELECT count(*) FROM task t ");
    push_filter(&mut sql, kommune, f);
    let (n,): (i64,) = on_each!(conn, |cx| sql.query_as().fetch_one(cx).await)?;
    Ok(n)
}

/// (opgavepakke, open tasks, hovedstol, persons) per opgavepakke.
pub async fn totals_per_opgavepakke(conn: &mut Conn, kommune: u16) -> Result<Vec<(u8, i64, i64, i64)>, sqlx::Error> {
    let rows: Vec<(i64, i64, i64, i64)> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT opgavepakke, count(*), CAST(coalesce(sum(hovedstol), 0) AS BIGINT), count(DISTINCT cpr) FROM task
         WHERE kommune = $1 AND is_open GROUP BY opgavepakke ORDER BY opgavepakke",
    )
    .bind(i64::from(kommune))
    .fetch_all(cx)
    .await)?;
    rows.into_iter().map(|(opgavepakke, n, sum, persons)| Ok((super::small(opgavepakke)?, n, sum, persons))).collect()
}

/// (caseworker, open tasks, hovedstol, persons) per caseworker of the persons' sagsmapper.
pub async fn totals_per_sagsbehandler(
    conn: &mut Conn,
    kommune: u16,
) -> Result<Vec<(Option<String>, i64, i64, i64)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT sagsbehandler, count(*), CAST(coalesce(sum(hovedstol), 0) AS BIGINT), count(DISTINCT cpr) FROM task
         WHERE kommune = $1 AND is_open GROUP BY sagsbehandler ORDER BY count(*) DESC, sagsbehandler",
    )
    .bind(i64::from(kommune))
    .fetch_all(cx)
    .await)
}

/// The persons with the most open tasks: (cpr, name, open tasks, hovedstol, opgavepakker).
pub async fn top_persons(conn: &mut Conn, kommune: u16) -> Result<Vec<(String, String, i64, i64, i64)>, sqlx::Error> {
    on_each!(conn, |cx| {
        sqlx::query_as(
        "SELECT x.cpr, p.navn, x.n, x.sum, x.pakker FROM
           (SELECT cpr, count(*) AS n, CAST(coalesce(sum(hovedstol), 0) AS BIGINT) AS sum, count(DISTINCT opgavepakke) AS pakker
            FROM task WHERE kommune = $1 AND is_open GROUP BY cpr ORDER BY n DESC, cpr LIMIT $2) x
         JOIN person p ON p.kommune = $1 AND p.cpr = x.cpr ORDER BY x.n DESC, x.cpr",
    )
    .bind(i64::from(kommune))
    .bind(TOP_PERSONS)
    .fetch_all(cx)
    .await
    })
}

/// (persons with open tasks, of them handed over).
pub async fn person_counts(conn: &mut Conn, kommune: u16) -> Result<(i64, i64), sqlx::Error> {
    let persons: i64 = on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT DISTINCT cpr FROM task WHERE kommune = $1 AND is_open) AS persons"
    )
    .bind(i64::from(kommune))
    .fetch_one(cx)
    .await)?;
    let handed: i64 = on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT count(*) FROM tildeling g WHERE g.kommune = $1
           AND EXISTS (SELECT 1 FROM task t WHERE t.kommune = $1 AND t.cpr = g.cpr AND t.is_open)",
    )
    .bind(i64::from(kommune))
    .fetch_one(cx)
    .await)?;
    Ok((persons, handed))
}

/// A page of persons with open tasks in two or more opgavepakker, by CPR: (cpr, name, the
/// opgavepakke of each open task, comma-separated, assignee). Grouping walks
/// `task_open_by_cpr` in CPR order, so a page stops early.
pub async fn matrix_page(
    conn: &mut Conn,
    kommune: u16,
    limit: i64,
    offset: i64,
) -> Result<Vec<(String, String, String, Option<String>)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT x.cpr, p.navn, x.pakker, g.username FROM
           (SELECT cpr, string_agg(CAST(opgavepakke AS TEXT), ',' ORDER BY opgavepakke) AS pakker FROM task
            WHERE kommune = $1 AND is_open GROUP BY cpr HAVING count(DISTINCT opgavepakke) >= 2
            ORDER BY cpr LIMIT $2 OFFSET $3) x
         JOIN person p ON p.kommune = $1 AND p.cpr = x.cpr
         LEFT JOIN tildeling g ON g.kommune = $1 AND g.cpr = x.cpr
         ORDER BY x.cpr",
    )
    .bind(i64::from(kommune))
    .bind(limit)
    .bind(offset)
    .fetch_all(cx)
    .await)
}

/// How many persons have open tasks in two or more opgavepakker.
pub async fn matrix_count(conn: &mut Conn, kommune: u16) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT cpr FROM task WHERE kommune = $1 AND is_open
                               GROUP BY cpr HAVING count(DISTINCT opgavepakke) >= 2) AS several",
    )
    .bind(i64::from(kommune))
    .fetch_one(cx)
    .await)
}

/// The kommune's caseworkers (role sagsbehandler): (username, name) — who persons are handed to.
pub async fn caseworkers(conn: &mut Conn, kommune: u16) -> Result<Vec<(String, String)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT username, display_name FROM app_user
         WHERE kommune = $1 AND role = 'sagsbehandler' AND removed_at IS NULL ORDER BY display_name, username",
    )
    .bind(i64::from(kommune))
    .fetch_all(cx)
    .await)
}

/// Of `cprs`, those that are persons of the kommune.
pub async fn known_persons(conn: &mut Conn, kommune: u16, cprs: &[String]) -> Result<Vec<String>, sqlx::Error> {
    let mut out = Vec::with_capacity(cprs.len());
    for chunk in cprs.chunks(500) {
        let found: Vec<String> = on_each!(conn, |cx| {
            let mut qb = QueryBuilder::new("SELECT cpr FROM person WHERE kommune = ");
            qb.push_bind(i64::from(kommune)).push(" AND cpr IN ");
            super::push_list(&mut qb, chunk.iter().cloned());
            qb.build_query_scalar().fetch_all(cx).await
        })?;
        out.extend(found);
    }
    Ok(out)
}

/// Open tasks of these persons.
pub async fn open_tasks_of(conn: &mut Conn, kommune: u16, cprs: &[String]) -> Result<i64, sqlx::Error> {
    let mut total = 0;
    for chunk in cprs.chunks(500) {
        let n: i64 = on_each!(conn, |cx| {
            let mut qb = QueryBuilder::new("SELECT count(*) FROM task WHERE kommune = ");
            qb.push_bind(i64::from(kommune)).push(" AND is_open AND cpr IN ");
            super::push_list(&mut qb, chunk.iter().cloned());
            qb.build_query_scalar().fetch_one(cx).await
        })?;
        total += n;
    }
    Ok(total)
}

/// Hands a person to `username` (or moves them to `username` from someone else).
pub async fn hand_over(
    conn: &mut Conn,
    kommune: u16,
    cpr: &str,
    username: &str,
    by: &str,
    at: &str,
) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO tildeling (kommune, cpr, username, tildelt_af, tildelt_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (kommune, cpr) DO UPDATE SET username = excluded.username,
             tildelt_af = excluded.tildelt_af, tildelt_at = excluded.tildelt_at",
    )
    .bind(i64::from(kommune))
    .bind(cpr)
    .bind(username)
    .bind(by)
    .bind(at)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// Takes a person back; returns who had them, if anyone.
pub async fn take_back(conn: &mut Conn, kommune: u16, cpr: &str) -> Result<Option<String>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("DELETE FROM tildeling WHERE kommune = $1 AND cpr = $2 RETURNING username")
        .bind(i64::from(kommune))
        .bind(cpr)
        .fetch_optional(cx)
        .await)
}
