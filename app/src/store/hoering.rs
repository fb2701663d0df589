//! The hearing's tables: hearings, their sections, the kommuners' answers (drafts and submitted,
//! guarded by `version`) and KOMBIT's triage.

use crate::store::Conn;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct HoeringRow {
    pub id: i64,
    pub title: String,
    pub material: String,
    pub deadline: String,
    pub opened_by: String,
    pub opened_at: String,
    pub state: String,
}

pub async fn insert(
    conn: &mut Conn,
    title: &str,
    material: &str,
    deadline: &str,
    by: &str,
    at: &str,
) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| {
        sqlx::query_scalar(
        "INSERT INTO hoering (title, material, deadline, opened_by, opened_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(title)
    .bind(material)
    .bind(deadline)
    .bind(by)
    .bind(at)
    .fetch_one(cx).await
    })
}

pub async fn insert_afsnit(
    conn: &mut Conn,
    hoering_id: i64,
    number: &str,
    title: &str,
    position: i64,
) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "INSERT INTO hoering_afsnit (hoering_id, number, title, position) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(hoering_id)
    .bind(number)
    .bind(title)
    .bind(position)
    .fetch_one(cx)
    .await)
}

const HOERING: &str = "SELECT id, title, material, deadline, opened_by, opened_at, state FROM hoering";

pub async fn all(conn: &mut Conn) -> Result<Vec<HoeringRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!("{HOERING} ORDER BY id DESC"))).fetch_all(cx).await)
}

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<HoeringRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!("{HOERING} WHERE id = $1")))
        .bind(id)
        .fetch_optional(cx)
        .await)
}

pub async fn by_title(conn: &mut Conn, title: &str) -> Result<Option<i64>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT id FROM hoering WHERE title = $1")
        .bind(title)
        .fetch_optional(cx)
        .await)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AfsnitRow {
    pub id: i64,
    pub hoering_id: i64,
    pub number: String,
    pub title: String,
}

pub async fn afsnit(conn: &mut Conn, hoering_id: i64) -> Result<Vec<AfsnitRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT id, hoering_id, number, title FROM hoering_afsnit WHERE hoering_id = $1 ORDER BY position"
    )
    .bind(hoering_id)
    .fetch_all(cx)
    .await)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SvarRow {
    pub id: i64,
    pub hoering_id: i64,
    pub afsnit_id: i64,
    pub kommune: i64,
    pub author_id: i64,
    pub author: String,
    pub text: String,
    pub state: String,
    pub nr: Option<i64>,
    pub receipt: Option<String>,
    pub submitted_at: Option<String>,
    pub version: i64,
    pub category: Option<String>,
    pub reply: Option<String>,
    pub arbejdsgruppen: Option<String>,
    pub triaged_by: Option<String>,
    pub triaged_at: Option<String>,
    pub aendring_id: Option<i64>,
    pub aendring_key: Option<String>,
}

const SVAR: &str = "SELECT s.id, s.hoering_id, s.afsnit_id, s.kommune, s.author_id, u.display_name AS author, s.text,
        s.state, s.nr, s.receipt, s.submitted_at, s.version, s.category, s.reply, s.arbejdsgruppen, s.triaged_by,
        s.triaged_at, s.aendring_id, a.key AS aendring_key
    FROM hoering_svar s JOIN app_user u ON u.id = s.author_id LEFT JOIN aendring a ON a.id = s.aendring_id";

pub async fn svar(conn: &mut Conn, id: i64) -> Result<Option<SvarRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!("{SVAR} WHERE s.id = $1")))
        .bind(id)
        .fetch_optional(cx)
        .await)
}

/// A kommune's answers to a hearing, drafts first, then by number.
pub async fn svar_of_kommune(conn: &mut Conn, hoering_id: i64, kommune: i64) -> Result<Vec<SvarRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SVAR} WHERE s.hoering_id = $1 AND s.kommune = $2 ORDER BY s.nr IS NOT NULL, s.nr, s.id"
    )))
    .bind(hoering_id)
    .bind(kommune)
    .fetch_all(cx)
    .await)
}

/// The submitted answers, untriaged first, then by number.
pub async fn submitted(conn: &mut Conn, hoering_id: i64) -> Result<Vec<SvarRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SVAR} WHERE s.hoering_id = $1 AND s.state = 'indsendt' ORDER BY s.category IS NOT NULL, s.nr"
    )))
    .bind(hoering_id)
    .fetch_all(cx)
    .await)
}

/// (kommune, category) of every submitted answer: what the summary counts.
pub async fn summary_rows(conn: &mut Conn, hoering_id: i64) -> Result<Vec<(i64, Option<String>)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT kommune, category FROM hoering_svar WHERE hoering_id = $1 AND state = 'indsendt'"
    )
    .bind(hoering_id)
    .fetch_all(cx)
    .await)
}

/// How many answers (drafts included) a kommune has in a hearing.
pub async fn count_of_kommune(conn: &mut Conn, hoering_id: i64, kommune: i64) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT count(*) FROM hoering_svar WHERE hoering_id = $1 AND kommune = $2")
        .bind(hoering_id)
        .bind(kommune)
        .fetch_one(cx)
        .await)
}

pub struct NewSvar<'a> {
    pub hoering_id: i64,
    pub afsnit_id: i64,
    pub kommune: i64,
    pub author_id: i64,
    pub text: &'a str,
    pub at: &'a str,
}

pub async fn insert_draft(conn: &mut Conn, s: NewSvar<'_>) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "INSERT INTO hoering_svar (hoering_id, afsnit_id, kommune, author_id, text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(s.hoering_id)
    .bind(s.afsnit_id)
    .bind(s.kommune)
    .bind(s.author_id)
    .bind(s.text)
    .bind(s.at)
    .bind(s.at)
    .fetch_one(cx)
    .await)
}

/// Saves a draft seen at `version`; false when it changed or was submitted in between.
pub async fn save_draft(
    conn: &mut Conn,
    id: i64,
    version: i64,
    afsnit_id: i64,
    text: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    let done = on_each!(conn, |cx| sqlx::query(
        "UPDATE hoering_svar SET text = $1, afsnit_id = $2, updated_at = $3, version = version + 1
         WHERE id = $4 AND version = $5 AND state = 'kladde'",
    )
    .bind(text)
    .bind(afsnit_id)
    .bind(at)
    .bind(id)
    .bind(version)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// The next answer number of a hearing.
pub async fn next_nr(conn: &mut Conn, hoering_id: i64) -> Result<i64, sqlx::Error> {
    let max: Option<i64> =
        on_each!(conn, |cx| sqlx::query_scalar("SELECT max(nr) FROM hoering_svar WHERE hoering_id = $1")
            .bind(hoering_id)
            .fetch_one(cx)
            .await)?;
    Ok(max.unwrap_or(0) + 1)
}

/// Submits (locks) a draft seen at `version`; false when it changed in between.
pub async fn submit(
    conn: &mut Conn,
    id: i64,
    version: i64,
    nr: i64,
    receipt: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    let done = on_each!(conn, |cx| sqlx::query(
        "UPDATE hoering_svar SET state = 'indsendt', nr = $1, receipt = $2, submitted_at = $3, updated_at = $4,
                version = version + 1
         WHERE id = $5 AND version = $6 AND state = 'kladde'",
    )
    .bind(nr)
    .bind(receipt)
    .bind(at)
    .bind(at)
    .bind(id)
    .bind(version)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

pub struct TriageWrite<'a> {
    pub category: &'a str,
    pub reply: &'a str,
    pub arbejdsgruppen: Option<&'a str>,
    pub by: &'a str,
    pub at: &'a str,
}

/// KOMBIT's triage of a submitted answer seen at `version`; false when it changed in between.
pub async fn triage(conn: &mut Conn, id: i64, version: i64, t: TriageWrite<'_>) -> Result<bool, sqlx::Error> {
    let done = on_each!(conn, |cx| sqlx::query(
        "UPDATE hoering_svar SET category = $1, reply = $2, arbejdsgruppen = $3, triaged_by = $4, triaged_at = $5,
                version = version + 1
         WHERE id = $6 AND version = $7 AND state = 'indsendt'",
    )
    .bind(t.category)
    .bind(t.reply)
    .bind(t.arbejdsgruppen)
    .bind(t.by)
    .bind(t.at)
    .bind(id)
    .bind(version)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

pub async fn set_aendring(conn: &mut Conn, id: i64, aendring_id: i64) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("UPDATE hoering_svar SET aendring_id = $1 WHERE id = $2")
        .bind(aendring_id)
        .bind(id)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// The hearing and answer number an ændringsønske came from.
pub async fn origin_of_aendring(conn: &mut Conn, aendring_id: i64) -> Result<Option<(i64, String, i64)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT h.id, h.title, s.nr FROM hoering_svar s JOIN hoering h ON h.id = s.hoering_id
         WHERE s.aendring_id = $1 AND s.nr IS NOT NULL",
    )
    .bind(aendring_id)
    .fetch_optional(cx)
    .await)
}

/// The høringsansvarlige of a kommune (who are told of replies): (id, email).
pub async fn ansvarlige(conn: &mut Conn, kommune: i64) -> Result<Vec<(i64, Option<String>)>, sqlx::Error> {
    on_each!(conn, |cx| {
        sqlx::query_as(
        "SELECT id, email FROM app_user WHERE role = 'hoeringsansvarlig' AND kommune = $1 AND removed_at IS NULL ORDER BY id"
    )
    .bind(kommune)
    .fetch_all(cx)
    .await
    })
}

/// Submitted answers of every hearing that KOMBIT has not triaged yet (KOMBIT's worklist).
pub async fn count_untriaged(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT count(*) FROM hoering_svar WHERE state = 'indsendt' AND category IS NULL"
    )
    .fetch_one(cx)
    .await)
}
