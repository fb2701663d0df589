//! KOMBIT's success criteria: objectives, criteria (guarded by `version`), measuring points,
//! which points apply to which criterion, and the measurements.

use super::Conn;
use crate::domain::succeskriterium::{Kriterium, Maal, Maalepunkt, NyMaaling, Sammenligning};
use chrono::NaiveDate;

/// A stored criterion.
#[derive(Clone, Debug, PartialEq)]
pub struct KriteriumRow {
    pub id: i64,
    pub maalsaetning: String,
    pub nummer: String,
    pub tekst: String,
    pub maal: Maal,
    pub kilde: String,
    pub version: i64,
    pub changed_by: String,
    pub changed_at: String,
}

#[derive(sqlx::FromRow)]
struct RawKriterium {
    id: i64,
    maalsaetning: String,
    nummer: String,
    tekst: String,
    sammenligning: String,
    maal_vaerdi: f64,
    enhed: String,
    kilde: String,
    version: i64,
    changed_by: String,
    changed_at: String,
}

impl From<RawKriterium> for KriteriumRow {
    fn from(r: RawKriterium) -> Self {
        KriteriumRow {
            id: r.id,
            maalsaetning: r.maalsaetning,
            nummer: r.nummer,
            tekst: r.tekst,
            maal: Maal {
                sammenligning: Sammenligning::parse(&r.sammenligning).unwrap_or(Sammenligning::Mindst),
                vaerdi: r.maal_vaerdi,
                enhed: r.enhed,
            },
            kilde: r.kilde,
            version: r.version,
            changed_by: r.changed_by,
            changed_at: r.changed_at,
        }
    }
}

/// A stored measurement.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct MaalingRow {
    pub id: i64,
    pub kriterium_id: i64,
    pub maalepunkt: i64,
    pub vaerdi: f64,
    pub stikproeve: Option<i64>,
    /// ISO date.
    pub maalt: String,
    pub kilde: String,
    pub recorded_by: String,
}

/// Objectives: (letter, title), by letter.
pub async fn maalsaetninger(conn: &mut Conn) -> Result<Vec<(String, String)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as("SELECT bogstav, titel FROM succes_maalsaetning ORDER BY bogstav")
        .fetch_all(cx)
        .await)
}

pub async fn put_maalsaetning(
    conn: &mut Conn,
    bogstav: &str,
    titel: &str,
    by: &str,
    at: &str,
) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO succes_maalsaetning (bogstav, titel, changed_by, changed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (bogstav) DO UPDATE SET titel = excluded.titel, changed_by = excluded.changed_by,
             changed_at = excluded.changed_at",
    )
    .bind(bogstav)
    .bind(titel)
    .bind(by)
    .bind(at)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// Measuring points by number.
pub async fn maalepunkter(conn: &mut Conn) -> Result<Vec<Maalepunkt>, sqlx::Error> {
    let rows: Vec<(i64, String, Option<String>)> =
        on_each!(conn, |cx| sqlx::query_as("SELECT nr, navn, planlagt FROM succes_maalepunkt ORDER BY nr")
            .fetch_all(cx)
            .await)?;
    Ok(rows
        .into_iter()
        .map(|(nr, navn, planlagt)| Maalepunkt {
            nr,
            navn,
            planlagt: planlagt.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        })
        .collect())
}

pub async fn put_maalepunkt(conn: &mut Conn, p: &Maalepunkt, by: &str, at: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO succes_maalepunkt (nr, navn, planlagt, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (nr) DO UPDATE SET navn = excluded.navn, planlagt = excluded.planlagt,
             changed_by = excluded.changed_by, changed_at = excluded.changed_at",
    )
    .bind(p.nr)
    .bind(&p.navn)
    .bind(p.planlagt.map(|d| d.format("%Y-%m-%d").to_string()))
    .bind(by)
    .bind(at)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// Every criterion, by objective and number (A2 before A10).
pub async fn kriterier(conn: &mut Conn) -> Result<Vec<KriteriumRow>, sqlx::Error> {
    let rows: Vec<RawKriterium> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT id, maalsaetning, nummer, tekst, sammenligning, maal_vaerdi, enhed, kilde, version, changed_by,
                changed_at
         FROM succeskriterium ORDER BY maalsaetning, length(nummer), nummer",
    )
    .fetch_all(cx)
    .await)?;
    Ok(rows.into_iter().map(KriteriumRow::from).collect())
}

pub async fn kriterium(conn: &mut Conn, id: i64) -> Result<Option<KriteriumRow>, sqlx::Error> {
    let row: Option<RawKriterium> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT id, maalsaetning, nummer, tekst, sammenligning, maal_vaerdi, enhed, kilde, version, changed_by,
                changed_at
         FROM succeskriterium WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(cx)
    .await)?;
    Ok(row.map(KriteriumRow::from))
}

/// (criterion id, measuring point) pairs.
pub async fn applicability(conn: &mut Conn) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as("SELECT kriterium_id, maalepunkt FROM succeskriterium_maalepunkt")
        .fetch_all(cx)
        .await)
}

/// Adds a criterion; returns its id. A number in use is `Err` with the constraint
/// `succeskriterium_nummer` (the service turns it into a field error).
pub async fn insert_kriterium(conn: &mut Conn, k: &Kriterium, by: &str, at: &str) -> Result<i64, sqlx::Error> {
    let id: i64 = on_each!(conn, |cx| sqlx::query_scalar(
        "INSERT INTO succeskriterium (maalsaetning, nummer, tekst, sammenligning, maal_vaerdi, enhed, kilde,
                                      changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&k.maalsaetning)
    .bind(&k.nummer)
    .bind(&k.tekst)
    .bind(k.maal.sammenligning.code())
    .bind(k.maal.vaerdi)
    .bind(&k.maal.enhed)
    .bind(&k.kilde)
    .bind(by)
    .bind(at)
    .fetch_one(cx)
    .await)?;
    set_points(conn, id, &k.maalepunkter).await?;
    Ok(id)
}

/// Changes a criterion if it is still at the version the change was made on; false when it is
/// not (someone changed it in between) or is gone.
pub async fn update_kriterium(
    conn: &mut Conn,
    id: i64,
    k: &Kriterium,
    by: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    let changed = on_each!(conn, |cx| {
        sqlx::query(
        "UPDATE succeskriterium SET maalsaetning = $1, nummer = $2, tekst = $3, sammenligning = $4, maal_vaerdi = $5,
             enhed = $6, kilde = $7, version = version + 1, changed_by = $8, changed_at = $9
         WHERE id = $10 AND version = $11",
    )
    .bind(&k.maalsaetning)
    .bind(&k.nummer)
    .bind(&k.tekst)
    .bind(k.maal.sammenligning.code())
    .bind(k.maal.vaerdi)
    .bind(&k.maal.enhed)
    .bind(&k.kilde)
    .bind(by)
    .bind(at)
    .bind(id)
    .bind(k.version)
    .execute(cx).await.map(|r| r.rows_affected())
    })?;
    if changed == 0 {
        return Ok(false);
    }
    set_points(conn, id, &k.maalepunkter).await?;
    Ok(true)
}

async fn set_points(conn: &mut Conn, id: i64, points: &[i64]) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("DELETE FROM succeskriterium_maalepunkt WHERE kriterium_id = $1")
        .bind(id)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    for p in points {
        on_each!(conn, |cx| sqlx::query(
            "INSERT INTO succeskriterium_maalepunkt (kriterium_id, maalepunkt) VALUES ($1, $2)"
        )
        .bind(id)
        .bind(p)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Every measurement, by criterion and date measured.
pub async fn maalinger(conn: &mut Conn) -> Result<Vec<MaalingRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT id, kriterium_id, maalepunkt, vaerdi, stikproeve, maalt, kilde, recorded_by
         FROM succes_maaling ORDER BY kriterium_id, maalt, id",
    )
    .fetch_all(cx)
    .await)
}

pub async fn insert_maaling(conn: &mut Conn, m: &NyMaaling, by: &str, at: &str) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "INSERT INTO succes_maaling (kriterium_id, maalepunkt, vaerdi, stikproeve, maalt, kilde, recorded_by,
                                     recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(m.kriterium_id)
    .bind(m.maalepunkt)
    .bind(m.vaerdi)
    .bind(m.stikproeve)
    .bind(m.maalt.format("%Y-%m-%d").to_string())
    .bind(&m.kilde)
    .bind(by)
    .bind(at)
    .fetch_one(cx)
    .await)
}

/// Whether any measurement exists (the demo loads once).
pub async fn any_maaling(conn: &mut Conn) -> Result<bool, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM succes_maaling)").fetch_one(cx).await)
}
