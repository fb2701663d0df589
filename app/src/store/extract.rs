//! The KMD Aktiv extract: bulk inserts for the import, and the reads and writes a task needs
//! (person, fordring, dækninger, bevillinger).

use super::{Conn, Handle};
use sqlx::{Database, QueryBuilder, Sqlite};

/// Bound parameters per multi-row INSERT: large enough to amortise the statement, well below
/// SQLite's limit of 32,766.
const PARAMS_PER_STATEMENT: usize = 8_000;

/// A row of one extract table, ready to bind.
pub trait ExtractRow {
    const TABLE: &'static str;
    const COLUMNS: &'static str;
    const WIDTH: usize;
    /// Binds the row's fields (after the kommune) for either database.
    fn bind<DB: Database>(self, row: &mut sqlx::query_builder::Separated<'_, DB, &'static str>)
    where
        for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
        for<'t> Option<String>: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
        for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
        for<'t> Option<i64>: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
        for<'t> bool: sqlx::Encode<'t, DB> + sqlx::Type<DB>;
    /// The row (after the kommune) as a line of PostgreSQL's `COPY` text format.
    fn copy_line(&self, kommune: u16, out: &mut String);
}

/// A field in PostgreSQL's `COPY` text format: tab-separated, `\N` for NULL, backslash escapes.
pub trait CopyField {
    fn copy_to(&self, out: &mut String);
}

impl CopyField for String {
    fn copy_to(&self, out: &mut String) {
        for c in self.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
    }
}

impl CopyField for i64 {
    fn copy_to(&self, out: &mut String) {
        use std::fmt::Write as _;
        let _ = write!(out, "{self}");
    }
}

impl CopyField for bool {
    fn copy_to(&self, out: &mut String) {
        out.push(if *self { 't' } else { 'f' });
    }
}

impl<T: CopyField> CopyField for Option<T> {
    fn copy_to(&self, out: &mut String) {
        match self {
            Some(v) => v.copy_to(out),
            None => out.push_str("\\N"),
        }
    }
}

/// Rows an import knows are new (its parser leaves out every key the database holds): on
/// PostgreSQL one `COPY … FROM STDIN` per batch, on SQLite [`insert_rows`]. A key that exists
/// after all (another import of the kommune committed meanwhile) fails the import, which then
/// changes nothing.
pub async fn insert_new_rows<R: ExtractRow>(conn: &mut Conn, kommune: u16, rows: Vec<R>) -> Result<(), sqlx::Error> {
    if matches!(conn.handle(), Handle::Sqlite(_)) {
        return insert_rows(conn, kommune, rows).await;
    }
    let Handle::Postgres(cx) = conn.handle() else { unreachable!("checked above") };
    let mut data = String::with_capacity(rows.len() * 96);
    for row in &rows {
        row.copy_line(kommune, &mut data);
    }
    let mut copy = cx.copy_in_raw(&format!("COPY {} ({}) FROM STDIN", R::TABLE, R::COLUMNS)).await?;
    copy.send(data.as_bytes()).await?;
    copy.finish().await.map(|_| ())
}

/// PostgreSQL: holds the dækning's id and the tasks of the fordring's person until the
/// transaction ends, so two instances receiving the same dækning, two dækninger on one fordring,
/// or a dækning and a resolve of the person at once take turns and the second sees what the
/// first did. SQLite's single writer needs nothing.
pub async fn lock_for_daekning(
    conn: &mut Conn,
    kommune: u16,
    fordring_id: &str,
    daekning_id: &str,
) -> Result<(), sqlx::Error> {
    let Handle::Postgres(cx) = conn.handle() else { return Ok(()) };
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(format!("daekning {kommune} {daekning_id}"))
        .execute(&mut *cx)
        .await?;
    super::tasks::lock_person(conn, kommune, super::tasks::PersonOf::Fordring(fordring_id)).await
}

/// Inserts rows in multi-row statements; rows whose key exists are left as they are.
pub async fn insert_rows<R: ExtractRow>(conn: &mut Conn, kommune: u16, rows: Vec<R>) -> Result<(), sqlx::Error> {
    let per_statement = PARAMS_PER_STATEMENT / (R::WIDTH + 1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<R> = rows.by_ref().take(per_statement).collect();
        on_each!(conn, |cx| {
            let mut qb = QueryBuilder::new(format!("INSERT INTO {} ({}) ", R::TABLE, R::COLUMNS));
            qb.push_values(batch, |mut sep, row| {
                sep.push_bind(i64::from(kommune));
                row.bind(&mut sep);
            });
            qb.push(" ON CONFLICT DO NOTHING");
            qb.build().execute(cx).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

macro_rules! extract_row {
    ($name:ident, $table:literal, [$($field:ident : $ty:ty),+ $(,)?]) => {
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name { $(pub $field: $ty),+ }

        impl ExtractRow for $name {
            const TABLE: &'static str = $table;
            const COLUMNS: &'static str = concat!("kommune", $(", ", stringify!($field)),+);
            const WIDTH: usize = [$(stringify!($field)),+].len();
            fn bind<DB: sqlx::Database>(self, row: &mut sqlx::query_builder::Separated<'_, DB, &'static str>)
            where
                for<'t> String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
                for<'t> Option<String>: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
                for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
                for<'t> Option<i64>: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
                for<'t> bool: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
            {
                $(row.push_bind(self.$field);)+
            }
            fn copy_line(&self, kommune: u16, out: &mut String) {
                use std::fmt::Write as _;
                let _ = write!(out, "{kommune}");
                $(
                    out.push('\t');
                    $crate::store::extract::CopyField::copy_to(&self.$field, out);
                )+
                out.push('\n');
            }
        }
    };
}
pub(crate) use extract_row;

extract_row!(PersonRow, "person", [cpr: String, navn: String]);
extract_row!(SagsmappeRow, "sagsmappe", [sagsmappe_id: String, cpr: String, sagsbehandler: Option<String>]);
extract_row!(BevillingRow, "bevilling", [
    bevilling_id: String, sagsmappe_id: String, bevillingstype: String, status: String, fra: String, til: Option<String>,
]);
extract_row!(YdelseRow, "ydelse", [ydelse_id: String, bevilling_id: String, ydelsesart: String, sats: i64]);
extract_row!(UdbetalingRow, "udbetaling", [udbetaling_id: String, ydelse_id: String, dato: String, beloeb: i64]);
extract_row!(DaekningRow, "daekning", [
    daekning_id: String, fordring_id: String, art: String, beloeb: i64, dato: String, modtaget: String,
    kilde: String, behandlet: Option<String>, opgavepakke_foer: Option<i64>, opgavepakke_efter: Option<i64>,
]);
/// All keys of one table for a kommune (for an import to tell new rows from known ones).
pub async fn keys(conn: &mut Conn, kommune: u16, table: KeyTable) -> Result<Vec<(String, String)>, sqlx::Error> {
    let sql = match table {
        KeyTable::Person => "SELECT cpr, navn FROM person WHERE kommune = $1",
        KeyTable::Sagsmappe => "SELECT sagsmappe_id, cpr FROM sagsmappe WHERE kommune = $1",
        KeyTable::Bevilling => {
            "SELECT b.bevilling_id, s.cpr FROM bevilling b
             JOIN sagsmappe s ON s.kommune = b.kommune AND s.sagsmappe_id = b.sagsmappe_id WHERE b.kommune = $1"
        }
        KeyTable::Ydelse => "SELECT ydelse_id, bevilling_id FROM ydelse WHERE kommune = $1",
        KeyTable::Udbetaling => "SELECT udbetaling_id, ydelse_id FROM udbetaling WHERE kommune = $1",
        KeyTable::Fordring => "SELECT fordring_id, cpr FROM fordring WHERE kommune = $1",
        KeyTable::Daekning => "SELECT daekning_id, fordring_id FROM daekning WHERE kommune = $1",
    };
    on_each!(conn, |cx| sqlx::query_as(sql).bind(i64::from(kommune)).fetch_all(cx).await)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyTable {
    Person,
    Sagsmappe,
    Bevilling,
    Ydelse,
    Udbetaling,
    Fordring,
    Daekning,
}

#[derive(Clone, Debug, sqlx::FromRow, PartialEq, Eq)]
pub struct FordringState {
    pub fordring_id: String,
    pub cpr: String,
    pub bevilling_id: Option<String>,
    pub ydelsesreference: Option<String>,
    pub kravtype: Option<String>,
    pub kravtype_bekraeftet: bool,
    pub udbetalingsparagraf: Option<String>,
    pub tilbagebetalingsparagraf: Option<String>,
    pub hovedstol: i64,
    pub stiftet: String,
}

const FORDRING_COLUMNS: &str = "fordring_id, cpr, bevilling_id, ydelsesreference, kravtype, kravtype_bekraeftet,
    udbetalingsparagraf, tilbagebetalingsparagraf, hovedstol, stiftet";

pub async fn fordring(conn: &mut Conn, kommune: u16, fordring_id: &str) -> Result<Option<FordringState>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {FORDRING_COLUMNS} FROM fordring WHERE kommune = $1 AND fordring_id = $2"
    )))
    .bind(i64::from(kommune))
    .bind(fordring_id)
    .fetch_optional(cx)
    .await)
}

pub async fn fordringer_of_person(conn: &mut Conn, kommune: u16, cpr: &str) -> Result<Vec<FordringState>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {FORDRING_COLUMNS} FROM fordring WHERE kommune = $1 AND cpr = $2 ORDER BY fordring_id"
    )))
    .bind(i64::from(kommune))
    .bind(cpr)
    .fetch_all(cx)
    .await)
}

/// Writes what a resolved task supplied; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct FordringUpdate {
    pub bevilling_id: Option<String>,
    pub ydelsesreference: Option<String>,
    pub kravtype: Option<String>,
    pub kravtype_bekraeftet: bool,
    pub udbetalingsparagraf: Option<String>,
    pub tilbagebetalingsparagraf: Option<String>,
}

pub async fn person_name(conn: &mut Conn, kommune: u16, cpr: &str) -> Result<Option<String>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT navn FROM person WHERE kommune = $1 AND cpr = $2")
        .bind(i64::from(kommune))
        .bind(cpr)
        .fetch_optional(cx)
        .await)
}

/// The caseworker of a person's (first) sagsmappe.
pub async fn sagsbehandler_of(conn: &mut Conn, kommune: u16, cpr: &str) -> Result<Option<String>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT sagsbehandler FROM sagsmappe WHERE kommune = $1 AND cpr = $2 AND sagsbehandler IS NOT NULL
         ORDER BY sagsmappe_id LIMIT 1",
    )
    .bind(i64::from(kommune))
    .bind(cpr)
    .fetch_optional(cx)
    .await)
}

#[derive(Clone, Debug, sqlx::FromRow, PartialEq, Eq)]
pub struct DaekningState {
    pub daekning_id: String,
    pub fordring_id: String,
    pub art: String,
    pub beloeb: i64,
    pub dato: String,
    pub modtaget: String,
    pub behandlet: Option<String>,
    pub opgavepakke_foer: Option<i64>,
    pub opgavepakke_efter: Option<i64>,
}

const DAEKNING_COLUMNS: &str =
    "daekning_id, fordring_id, art, beloeb, dato, modtaget, behandlet, opgavepakke_foer, opgavepakke_efter";

pub async fn daekning(conn: &mut Conn, kommune: u16, daekning_id: &str) -> Result<Option<DaekningState>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DAEKNING_COLUMNS} FROM daekning WHERE kommune = $1 AND daekning_id = $2"
    )))
    .bind(i64::from(kommune))
    .bind(daekning_id)
    .fetch_optional(cx)
    .await)
}

pub async fn daekninger_of_fordring(
    conn: &mut Conn,
    kommune: u16,
    fordring_id: &str,
) -> Result<Vec<DaekningState>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DAEKNING_COLUMNS} FROM daekning WHERE kommune = $1 AND fordring_id = $2 ORDER BY dato, daekning_id"
    )))
    .bind(i64::from(kommune))
    .bind(fordring_id)
    .fetch_all(cx)
    .await)
}

pub async fn has_daekninger(conn: &mut Conn, kommune: u16, fordring_id: &str) -> Result<bool, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM daekning WHERE kommune = $1 AND fordring_id = $2)"
    )
    .bind(i64::from(kommune))
    .bind(fordring_id)
    .fetch_one(cx)
    .await)
}

#[derive(Clone, Debug, sqlx::FromRow, PartialEq, Eq)]
pub struct BevillingState {
    pub bevilling_id: String,
    pub sagsmappe_id: String,
    pub bevillingstype: String,
    pub status: String,
    pub fra: String,
    pub til: Option<String>,
    pub sagsbehandler: Option<String>,
    pub cpr: String,
    /// Comma-separated ydelsesarter of its ydelser.
    pub ydelsesarter: Option<String>,
}

/// The columns of `BevillingState`. `CROSS JOIN` fixes SQLite's join order (the left table is the
/// outer loop): by bevilling id the bevilling leads; by person the sagsmapper of the CPR lead —
/// the other way round scans every bevilling of the kommune (seconds at a million fordringer).
macro_rules! bevilling_select {
    ($from:literal) => {
        concat!(
            "SELECT b.bevilling_id, b.sagsmappe_id, b.bevillingstype, b.status, b.fra, b.til,
                s.sagsbehandler, s.cpr,
                (SELECT string_agg(d.ydelsesart, ',') FROM (SELECT DISTINCT y.ydelsesart FROM ydelse y
                     WHERE y.kommune = b.kommune AND y.bevilling_id = b.bevilling_id) AS d) AS ydelsesarter
             FROM ",
            $from,
            " WHERE s.kommune = b.kommune AND s.sagsmappe_id = b.sagsmappe_id"
        )
    };
}
const BEVILLING_SELECT: &str = bevilling_select!("bevilling b CROSS JOIN sagsmappe s");
const BEVILLING_BY_PERSON_SELECT: &str = bevilling_select!("sagsmappe s CROSS JOIN bevilling b");

/// The person's bevillinger: the candidates a fordring can be tied to.
pub async fn bevillinger_of_person(
    conn: &mut Conn,
    kommune: u16,
    cpr: &str,
) -> Result<Vec<BevillingState>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{BEVILLING_BY_PERSON_SELECT} AND s.kommune = $1 AND s.cpr = $2 ORDER BY b.fra DESC, b.bevilling_id"
    )))
    .bind(i64::from(kommune))
    .bind(cpr)
    .fetch_all(cx)
    .await)
}

pub async fn bevilling(
    conn: &mut Conn,
    kommune: u16,
    bevilling_id: &str,
) -> Result<Option<BevillingState>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{BEVILLING_SELECT} AND b.kommune = $1 AND b.bevilling_id = $2"
    )))
    .bind(i64::from(kommune))
    .bind(bevilling_id)
    .fetch_optional(cx)
    .await)
}

pub async fn close_bevilling(
    conn: &mut Conn,
    kommune: u16,
    bevilling_id: &str,
    til: &str,
) -> Result<bool, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("UPDATE bevilling SET status = 'afsluttet', til = coalesce(til, $1) WHERE kommune = $2 AND bevilling_id = $3 AND status = 'aktiv'")
        .bind(til)
        .bind(i64::from(kommune))
        .bind(bevilling_id)
        .execute(cx).await.map(|r| r.rows_affected()))
        .map(|n| n == 1)
}

/// The tables an import fills.
const EXTRACT_TABLES: [&str; 7] = ["sagsmappe", "bevilling", "ydelse", "udbetaling", "fordring", "daekning", "task"];

/// A secondary index (or, on PostgreSQL, a foreign key) dropped for a bulk import, to be built
/// again from its definition.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DroppedIndex {
    pub name: String,
    pub table: String,
    sql: String,
}

/// Drops the non-unique indexes of the extract's tables and returns their definitions, so a
/// large first import builds each index once at the end (a sort) instead of row by row. On
/// PostgreSQL the tables' foreign keys go too (and come back after the indexes, each checked by
/// one join instead of a trigger and a row lock per inserted row); the parser has checked every
/// reference they check, and the keys' own check is the backstop. Dropping either locks the
/// table until the import commits, so PostgreSQL only drops them in an empty database.
pub async fn drop_secondary_indexes(conn: &mut Conn) -> Result<Vec<DroppedIndex>, sqlx::Error> {
    if let Handle::Postgres(cx) = conn.handle() {
        return drop_postgres_indexes_and_keys(cx).await;
    }
    let mut qb = QueryBuilder::<Sqlite>::new(
        "SELECT name, tbl_name AS \"table\", sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN (",
    );
    let mut sep = qb.separated(", ");
    for t in EXTRACT_TABLES {
        sep.push_bind(t);
    }
    qb.push(")");
    let indexes: Vec<DroppedIndex> = qb.build_query_as().fetch_all(conn.sqlite()?).await?;
    for index in &indexes {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX \"{}\"", index.name.replace('"', ""))))
            .execute(conn.sqlite()?)
            .await?;
    }
    Ok(indexes)
}

async fn drop_postgres_indexes_and_keys(cx: &mut sqlx::PgConnection) -> Result<Vec<DroppedIndex>, sqlx::Error> {
    let tables: Vec<String> = EXTRACT_TABLES.iter().map(|t| t.to_string()).collect();
    // Indexes first, then the keys: built again in this order, each key's check can use them.
    let mut dropped: Vec<DroppedIndex> = sqlx::query_as(
        "SELECT c.relname AS name, t.relname AS \"table\", pg_get_indexdef(c.oid) AS sql
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
         WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)
           AND NOT i.indisunique AND NOT i.indisprimary
         ORDER BY t.relname, c.relname",
    )
    .bind(&tables)
    .fetch_all(&mut *cx)
    .await?;
    let keys: Vec<DroppedIndex> = sqlx::query_as(
        "SELECT k.conname AS name, t.relname AS \"table\",
                format('ALTER TABLE %I ADD CONSTRAINT %I %s', t.relname, k.conname, pg_get_constraintdef(k.oid)) AS sql
         FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
         WHERE k.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1)
         ORDER BY t.relname, k.conname",
    )
    .bind(&tables)
    .fetch_all(&mut *cx)
    .await?;
    for index in &dropped {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX \"{}\"", index.name.replace('"', ""))))
            .execute(&mut *cx)
            .await?;
    }
    for key in &keys {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER TABLE \"{}\" DROP CONSTRAINT \"{}\"",
            key.table.replace('"', ""),
            key.name.replace('"', "")
        )))
        .execute(&mut *cx)
        .await?;
    }
    dropped.extend(keys);
    Ok(dropped)
}

/// Drops the indexes of open tasks only (`… WHERE is_open`) and returns their definitions:
/// a change of most of a kommune's open tasks at once (automation) then builds each again with
/// one sort instead of updating it row by row.
pub async fn drop_open_task_indexes(conn: &mut Conn) -> Result<Vec<DroppedIndex>, sqlx::Error> {
    if conn.is_postgres() {
        return Ok(Vec::new());
    }
    let indexes: Vec<DroppedIndex> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT name, tbl_name AS \"table\", sql FROM sqlite_master
         WHERE type = 'index' AND tbl_name = 'task' AND sql LIKE '%WHERE is_open%'",
    )
    .fetch_all(cx)
    .await)?;
    for index in &indexes {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX \"{}\"", index.name.replace('"', ""))))
            .execute(conn.sqlite()?)
            .await?;
    }
    Ok(indexes)
}

/// Builds indexes dropped by `drop_secondary_indexes` or `drop_open_task_indexes` again (same
/// transaction).
pub async fn recreate_indexes(conn: &mut Conn, indexes: &[DroppedIndex]) -> Result<(), sqlx::Error> {
    for index in indexes {
        on_each!(conn, |cx| sqlx::query(sqlx::AssertSqlSafe(index.sql.clone()))
            .execute(cx)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// How many fordringer the database holds (all kommuner).
pub async fn count_fordringer(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT count(*) FROM fordring").fetch_one(cx).await)
}

#[cfg(test)]
mod tests {
    use super::{CopyField, ExtractRow, SagsmappeRow};

    #[test]
    fn copy_lines_escape_and_mark_null() {
        let row = SagsmappeRow { sagsmappe_id: "S\t1\\x".into(), cpr: "0101801234".into(), sagsbehandler: None };
        let mut line = String::new();
        row.copy_line(751, &mut line);
        assert_eq!(line, "751\tS\\t1\\\\x\t0101801234\t\\N\n");
        let mut flags = String::new();
        true.copy_to(&mut flags);
        Some(-5_i64).copy_to(&mut flags);
        assert_eq!(flags, "t-5");
    }
}
