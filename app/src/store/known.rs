//! What the extract knows for the resolve form: the kommune's kravtyper in use, the ydelser of a
//! person's bevillinger, and a sample of the kommune's references (their form is what a typed
//! reference is checked against).

use super::Conn;
use super::classify::{WHITESPACE, missing};
use std::sync::LazyLock;

/// The kommune's kravtyper in use (kept by the import in `kravtype_i_brug`).
pub async fn kravtyper_in_use(conn: &mut Conn, kommune: u16) -> Result<Vec<String>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT kravtype FROM kravtype_i_brug WHERE kommune = $1 ORDER BY kravtype")
        .bind(i64::from(kommune))
        .fetch_all(cx)
        .await)
}

static ADD_FROM_IMPORT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO kravtype_i_brug (kommune, kravtype)
         SELECT DISTINCT kommune, trim(kravtype, '{ws}') FROM import_fordring WHERE NOT {missing_k}
         ON CONFLICT DO NOTHING",
        ws = WHITESPACE.as_str(),
        missing_k = missing("kravtype"),
    )
});

/// Adds the kravtyper of an import's staged fordringer.
pub async fn add_kravtyper_from_import(conn: &mut Conn) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(ADD_FROM_IMPORT.as_str()).execute(cx).await.map(|r| r.rows_affected())).map(|_| ())
}

/// (bevilling, ydelse, ydelsesart) of every bevilling of the person.
pub async fn ydelser_of_person(
    conn: &mut Conn,
    kommune: u16,
    cpr: &str,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT b.bevilling_id, y.ydelse_id, y.ydelsesart
         FROM sagsmappe s CROSS JOIN bevilling b CROSS JOIN ydelse y
         WHERE b.kommune = s.kommune AND b.sagsmappe_id = s.sagsmappe_id
           AND y.kommune = b.kommune AND y.bevilling_id = b.bevilling_id
           AND s.kommune = $1 AND s.cpr = $2
         ORDER BY b.bevilling_id, y.ydelse_id",
    )
    .bind(i64::from(kommune))
    .bind(cpr)
    .fetch_all(cx)
    .await)
}

/// Up to `n` of the kommune's references (the first in key order: enough to learn their forms
/// without reading every fordring).
pub async fn sample_references(conn: &mut Conn, kommune: u16, n: i64) -> Result<Vec<String>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT ydelsesreference FROM fordring
         WHERE kommune = $1 AND ydelsesreference IS NOT NULL AND trim(ydelsesreference) <> '' LIMIT $2",
    )
    .bind(i64::from(kommune))
    .bind(n)
    .fetch_all(cx)
    .await)
}
