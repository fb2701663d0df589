//! KOMBIT's catalogue of KLIK tasks and a kommune's status on them; the kommune's estimate.

use super::Conn;
use crate::domain::klik::{KlikOpgave, KlikStatus};

#[derive(sqlx::FromRow)]
struct OpgaveRow {
    id: i64,
    master_id: Option<i64>,
    kode: String,
    titel: String,
    fase: String,
    tema: String,
    prioritet: String,
    sts: bool,
    boelger: String,
    slut_offset: i64,
    start_offset: i64,
    maal: String,
    resultat: String,
    anbefalet_udfoerer: String,
}

/// The catalogue: (row id, task), by end offset (the order of the timeline).
pub async fn catalogue(conn: &mut Conn) -> Result<Vec<(i64, KlikOpgave)>, sqlx::Error> {
    let rows: Vec<OpgaveRow> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT id, master_id, kode, titel, fase, tema, prioritet, sts, boelger, slut_offset, start_offset, maal,
                resultat, anbefalet_udfoerer
         FROM klik_opgave ORDER BY slut_offset + start_offset, kode",
    )
    .fetch_all(cx)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.id,
                KlikOpgave {
                    master_id: r.master_id.unwrap_or(0),
                    kode: r.kode,
                    titel: r.titel,
                    fase: r.fase,
                    tema: r.tema,
                    prioritet: r.prioritet,
                    sts: r.sts,
                    boelger: r.boelger,
                    slut_offset: r.slut_offset,
                    start_offset: r.start_offset,
                    maal: r.maal,
                    resultat: r.resultat,
                    anbefalet_udfoerer: r.anbefalet_udfoerer,
                },
            )
        })
        .collect())
}

/// Adds a task or changes the one with the same code.
pub async fn put(conn: &mut Conn, t: &KlikOpgave, by: &str, at: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO klik_opgave (master_id, kode, titel, fase, tema, prioritet, sts, boelger, slut_offset,
                                  start_offset, maal, resultat, anbefalet_udfoerer, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (kode) DO UPDATE SET master_id = excluded.master_id, titel = excluded.titel,
             fase = excluded.fase, tema = excluded.tema, prioritet = excluded.prioritet, sts = excluded.sts,
             boelger = excluded.boelger, slut_offset = excluded.slut_offset, start_offset = excluded.start_offset,
             maal = excluded.maal, resultat = excluded.resultat, anbefalet_udfoerer = excluded.anbefalet_udfoerer,
             changed_by = excluded.changed_by, changed_at = excluded.changed_at",
    )
    .bind((t.master_id > 0).then_some(t.master_id))
    .bind(&t.kode)
    .bind(&t.titel)
    .bind(&t.fase)
    .bind(&t.tema)
    .bind(&t.prioritet)
    .bind(t.sts)
    .bind(&t.boelger)
    .bind(t.slut_offset)
    .bind(t.start_offset)
    .bind(&t.maal)
    .bind(&t.resultat)
    .bind(&t.anbefalet_udfoerer)
    .bind(by)
    .bind(at)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// The kommune's own statuses: (task row id, status).
pub async fn statuses(conn: &mut Conn, kommune: u16) -> Result<Vec<(i64, KlikStatus)>, sqlx::Error> {
    let rows: Vec<(i64, String)> =
        on_each!(conn, |cx| sqlx::query_as("SELECT opgave_id, status FROM klik_status WHERE kommune = $1")
            .bind(i64::from(kommune))
            .fetch_all(cx)
            .await)?;
    Ok(rows.into_iter().filter_map(|(id, s)| Some((id, KlikStatus::parse(&s)?))).collect())
}

pub async fn set_status(
    conn: &mut Conn,
    kommune: u16,
    opgave_id: i64,
    status: KlikStatus,
    by: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    let known: bool =
        on_each!(conn, |cx| sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM klik_opgave WHERE id = $1)")
            .bind(opgave_id)
            .fetch_one(cx)
            .await)?;
    if !known {
        return Ok(false);
    }
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO klik_status (kommune, opgave_id, status, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (kommune, opgave_id) DO UPDATE SET status = excluded.status, changed_by = excluded.changed_by,
             changed_at = excluded.changed_at",
    )
    .bind(i64::from(kommune))
    .bind(opgave_id)
    .bind(status.key())
    .bind(by)
    .bind(at)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| true)
}

/// The kommune's saved estimate: (input JSON, mapping JSON).
pub async fn estimat(conn: &mut Conn, kommune: u16) -> Result<Option<(String, String)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as("SELECT input, mapping FROM estimat WHERE kommune = $1")
        .bind(i64::from(kommune))
        .fetch_optional(cx)
        .await)
}

pub async fn save_estimat(
    conn: &mut Conn,
    kommune: u16,
    input: &str,
    mapping: &str,
    by: &str,
    at: &str,
) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO estimat (kommune, input, mapping, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (kommune) DO UPDATE SET input = excluded.input, mapping = excluded.mapping,
             changed_by = excluded.changed_by, changed_at = excluded.changed_at",
    )
    .bind(i64::from(kommune))
    .bind(input)
    .bind(mapping)
    .bind(by)
    .bind(at)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}
