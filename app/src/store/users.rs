//! Local user accounts.

use super::Conn;
use crate::clock;

/// A user as stored (with the password hash: never leaves the server).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub kommune: Option<i64>,
    pub fagfaellesskab: Option<String>,
    pub is_demo: bool,
}

#[derive(Clone, Debug)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub kommune: Option<u16>,
    pub fagfaellesskab: Option<&'a str>,
    pub is_demo: bool,
}

const COLUMNS: &str = "id, username, display_name, password_hash, role, kommune, fagfaellesskab, is_demo";

pub async fn insert(conn: &mut Conn, user: &NewUser<'_>) -> Result<i64, sqlx::Error> {
    let row: (i64,) = on_each!(conn, |cx| {
        sqlx::query_as(
        "INSERT INTO app_user (username, display_name, password_hash, role, kommune, fagfaellesskab, is_demo, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(user.username)
    .bind(user.display_name)
    .bind(user.password_hash)
    .bind(user.role)
    .bind(user.kommune.map(i64::from))
    .bind(user.fagfaellesskab)
    .bind(user.is_demo)
    .bind(clock::stamp(clock::now()))
    .fetch_one(cx).await
    })?;
    Ok(row.0)
}

/// A user who may log in (not removed).
pub async fn by_username(conn: &mut Conn, username: &str) -> Result<Option<UserRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM app_user WHERE username = $1 AND removed_at IS NULL"
    )))
    .bind(username)
    .fetch_optional(cx)
    .await)
}

pub async fn count_demo(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT count(*) FROM app_user WHERE is_demo").fetch_one(cx).await)
}

/// Display names of a kommune's users by username (to show "løst af Mette Hansen").
pub async fn display_name(conn: &mut Conn, username: &str) -> Result<Option<String>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT display_name FROM app_user WHERE username = $1")
        .bind(username)
        .fetch_optional(cx)
        .await)
}

/// The caseworkers of a kommune, for filters and distribution.
pub async fn caseworkers(conn: &mut Conn, kommune: u16) -> Result<Vec<(String, String)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT username, display_name FROM app_user
         WHERE kommune = $1 AND role IN ('sagsbehandler', 'projektleder') AND removed_at IS NULL ORDER BY display_name",
    )
    .bind(i64::from(kommune))
    .fetch_all(cx)
    .await)
}

/// How many users of the kommune have the role sagsbehandler (who works MI 38 when the plan
/// says "alle").
pub async fn count_sagsbehandlere(conn: &mut Conn, kommune: u16) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT count(*) FROM app_user WHERE kommune = $1 AND role = 'sagsbehandler' AND removed_at IS NULL"
    )
    .bind(i64::from(kommune))
    .fetch_one(cx)
    .await)
}

/// Demo users as (username, "Rolle · hvor"), one per role and place.
pub async fn demo_logins(conn: &mut Conn) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows: Vec<(String, String, Option<i64>, Option<String>)> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT min(username), role, kommune, fagfaellesskab FROM app_user WHERE is_demo
         GROUP BY role, kommune, fagfaellesskab ORDER BY kommune IS NULL, kommune DESC, role",
    )
    .fetch_all(cx)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(u, role, kommune, ff)| {
            let role = role.parse::<crate::domain::Role>().map(|r| r.label()).unwrap_or("?");
            let place = match (kommune, ff) {
                (Some(k), _) => {
                    crate::domain::Kommunenr::try_from(k as u16).map(|k| k.navn().to_string()).unwrap_or_default()
                }
                (None, Some(f)) => f,
                _ => String::new(),
            };
            (u, if place.is_empty() { role.to_string() } else { format!("{role}, {place}") })
        })
        .collect())
}

pub async fn email(conn: &mut Conn, id: i64) -> Result<Option<String>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT email FROM app_user WHERE id = $1")
        .bind(id)
        .fetch_optional(cx)
        .await)
    .map(Option::flatten)
}

/// The first supportberettiget user of a kommune (legacy ændringsønsker are theirs).
pub async fn support_user_of(conn: &mut Conn, kommune: u16) -> Result<Option<i64>, sqlx::Error> {
    on_each!(conn, |cx| {
        sqlx::query_scalar(
        "SELECT id FROM app_user WHERE kommune = $1 AND role = 'supportberettiget' AND removed_at IS NULL ORDER BY id LIMIT 1"
    )
    .bind(i64::from(kommune))
    .fetch_optional(cx)
    .await
    })
}

/// A kommune's supportberettigede users: (id, username, display name, e-mail).
pub async fn support_users(
    conn: &mut Conn,
    kommune: u16,
) -> Result<Vec<(i64, String, String, Option<String>)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT id, username, display_name, email FROM app_user
         WHERE kommune = $1 AND role = 'supportberettiget' AND removed_at IS NULL ORDER BY display_name, id",
    )
    .bind(i64::from(kommune))
    .fetch_all(cx)
    .await)
}

/// KOMBIT's users and the members of one fagfællesskab: who is told when an ændringsønske in
/// the backlog can no longer be ranked.
pub async fn kombit_and_fagfaellesskab(conn: &mut Conn, fagfaellesskab: &str) -> Result<Vec<i64>, sqlx::Error> {
    on_each!(conn, |cx| {
        sqlx::query_scalar(
        "SELECT id FROM app_user WHERE (role = 'kombit' OR (role = 'fagfaellesskab' AND fagfaellesskab = $1)) AND removed_at IS NULL ORDER BY id",
    )
    .bind(fagfaellesskab)
    .fetch_all(cx).await
    })
}

/// Marks a user removed (they can no longer log in; their sessions go in the same job, see
/// `service::accounts`). Returns the user's id; `None` when unknown or removed already.
pub async fn remove(conn: &mut Conn, username: &str, at: &str) -> Result<Option<i64>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "UPDATE app_user SET removed_at = $2 WHERE username = $1 AND removed_at IS NULL RETURNING id"
    )
    .bind(username)
    .bind(at)
    .fetch_optional(cx)
    .await)
}

/// Gives a (not removed) user another role; returns their id.
pub async fn set_role(
    conn: &mut Conn,
    username: &str,
    role: &str,
    kommune: Option<u16>,
    fagfaellesskab: Option<&str>,
) -> Result<Option<i64>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "UPDATE app_user SET role = $2, kommune = $3, fagfaellesskab = $4
         WHERE username = $1 AND removed_at IS NULL RETURNING id"
    )
    .bind(username)
    .bind(role)
    .bind(kommune.map(i64::from))
    .bind(fagfaellesskab)
    .fetch_optional(cx)
    .await)
}

/// Sets a (not removed) user's password hash; returns their id.
pub async fn set_password(conn: &mut Conn, username: &str, password_hash: &str) -> Result<Option<i64>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "UPDATE app_user SET password_hash = $2 WHERE username = $1 AND removed_at IS NULL RETURNING id"
    )
    .bind(username)
    .bind(password_hash)
    .fetch_optional(cx)
    .await)
}
