//! "Næste opgave": which open task a caseworker gets, by the kommune's plan (DOMAIN.md A,
//! "Steering MI 38"). Runs as one job on the writer, so two caseworkers pressing at the same
//! moment are served one after the other and never get the same task.
//!
//! Order: a task the caseworker already holds; then the tasks of persons with a tilbageførsel;
//! then the rest — each in the kommune's package order (or the one package asked for), oldest
//! fordring first. Who may get what follows the approach:
//! sideløbende — only the persons whose sagsmapper the caseworker handles; rapportstyret — only
//! the persons handed to them; anden — their own persons first, then anybody's; fokuseret and
//! opgavepakkestyret — anybody's (who may take tasks at all is checked by the service).
//! Tasks held by someone else are skipped. Every candidate is one index seek, and the whole
//! choice is one statement (one hop to the database thread, inside the writer's job).

use super::Conn;
use crate::domain::Opgavepakke;
use crate::domain::plan::Tilgang;

/// Who the person is handed to (rapportstyret): (username, by, at).
pub async fn handed_to(
    conn: &mut Conn,
    kommune: u16,
    cpr: &str,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT username, tildelt_af, tildelt_at FROM tildeling WHERE kommune = $1 AND cpr = $2"
    )
    .bind(i64::from(kommune))
    .bind(cpr)
    .fetch_optional(cx)
    .await)
}

/// Where the next task may come from.
pub struct Scope<'a> {
    pub kommune: u16,
    pub tilgang: Tilgang,
    /// The packages in the order they are worked (one when a package page asks).
    pub packages: &'a [Opgavepakke],
    pub username: &'a str,
}

/// Hands the next task to `scope.username` until `until` and returns its id.
pub async fn claim_next(
    conn: &mut Conn,
    scope: &Scope<'_>,
    now: &str,
    until: &str,
) -> Result<Option<i64>, sqlx::Error> {
    if let Some(id) = held(conn, scope, now).await? {
        claim(conn, id, scope.username, now, until).await?;
        return Ok(Some(id));
    }
    // On SQLite the one writer makes choose-and-claim atomic. On PostgreSQL another instance
    // may claim the chosen task first: the guarded claim then changes nothing (it waits for the
    // other transaction and sees its claim) and the next candidate is chosen.
    for _ in 0..8 {
        let Some(id) = choose(conn, scope, now).await? else { return Ok(None) };
        if claim(conn, id, scope.username, now, until).await? {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Claims the task unless someone else holds it or it closed meanwhile; whether it did.
async fn claim(conn: &mut Conn, id: i64, username: &str, now: &str, until: &str) -> Result<bool, sqlx::Error> {
    let claimed = on_each!(conn, |cx| sqlx::query(
        "UPDATE task SET claimed_by = $1, claimed_until = $2
         WHERE id = $3 AND is_open AND (claimed_until IS NULL OR claimed_until <= $4 OR claimed_by = $1)",
    )
    .bind(username)
    .bind(until)
    .bind(id)
    .bind(now)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(claimed == 1)
}

async fn held(conn: &mut Conn, scope: &Scope<'_>, now: &str) -> Result<Option<i64>, sqlx::Error> {
    let packages = in_list(scope.packages);
    on_each!(conn, |cx| sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT id FROM task WHERE claimed_by = $1 AND claimed_until > $2 AND kommune = $3 AND is_open
           AND opgavepakke IN ({packages})
         ORDER BY id LIMIT 1"
    )))
    .bind(scope.username)
    .bind(now)
    .bind(i64::from(scope.kommune))
    .fetch_optional(cx)
    .await)
}

/// Package numbers for an `IN (…)`: typed values, so inlining them is safe.
fn in_list(packages: &[Opgavepakke]) -> String {
    packages.iter().map(|p| p.nr().to_string()).collect::<Vec<_>>().join(",")
}

/// One candidate step: tilbageførsel only or not, the caseworker's own persons only or not.
#[derive(Clone, Copy)]
struct Pass {
    tilbagefoersel: bool,
    own: bool,
}

fn passes(tilgang: Tilgang) -> Vec<Pass> {
    let p = |tilbagefoersel, own| Pass { tilbagefoersel, own };
    match tilgang {
        Tilgang::Sideloebende => vec![p(true, true), p(false, true)],
        Tilgang::Anden => vec![p(true, true), p(true, false), p(false, true), p(false, false)],
        // rapportstyret is driven from the hand-overs (`choose_handed`)
        Tilgang::Fokuseret | Tilgang::Opgavepakkestyret | Tilgang::Rapportstyret => {
            vec![p(true, false), p(false, false)]
        }
    }
}

async fn choose(conn: &mut Conn, scope: &Scope<'_>, now: &str) -> Result<Option<i64>, sqlx::Error> {
    if scope.tilgang == Tilgang::Rapportstyret {
        return choose_handed(conn, scope, now).await;
    }
    let passes = passes(scope.tilgang);
    // One row per (pass, package) in the order they are tried; each evaluates one index seek.
    let mut values = Vec::new();
    for i in 0..passes.len() {
        for p in scope.packages {
            values.push(format!("({}, {}, {i})", values.len(), p.nr()));
        }
    }
    let branch = |pass: &Pass| {
        format!(
            "(SELECT t.id FROM task t
              WHERE t.kommune = $1 AND t.opgavepakke = c.nr AND t.is_open
                AND (t.claimed_until IS NULL OR t.claimed_until <= $2){}{}
              ORDER BY t.stiftet, t.id LIMIT 1)",
            if pass.tilbagefoersel { " AND t.tilbagefoersel" } else { "" },
            if pass.own { " AND t.sagsbehandler = $3" } else { "" },
        )
    };
    let cases: String = passes.iter().enumerate().map(|(i, pass)| format!(" WHEN {i} THEN {}", branch(pass))).collect();
    let sql = format!(
        "WITH c (rank, nr, pass) AS (VALUES {})
         SELECT id FROM (SELECT c.rank AS rank, CASE c.pass{cases} END AS id FROM c) AS candidate
         WHERE id IS NOT NULL ORDER BY rank LIMIT 1",
        values.join(", ")
    );
    let own = passes.iter().any(|pass| pass.own);
    on_each!(conn, |cx| {
        let q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(i64::from(scope.kommune)).bind(now);
        if own { q.bind(scope.username) } else { q }.fetch_optional(cx).await
    })
}

/// rapportstyret: only the persons handed to the caseworker, tilbageførsel first, then by the
/// package order, oldest fordring first. A caseworker holds tens or hundreds of persons, so
/// this reads their open tasks by person.
async fn choose_handed(conn: &mut Conn, scope: &Scope<'_>, now: &str) -> Result<Option<i64>, sqlx::Error> {
    let rank: String = scope.packages.iter().enumerate().map(|(i, p)| format!(" WHEN {} THEN {i}", p.nr())).collect();
    on_each!(conn, |cx| sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT t.id FROM tildeling g
         JOIN task t ON t.kommune = g.kommune AND t.cpr = g.cpr AND t.is_open
         WHERE g.kommune = $1 AND g.username = $2 AND t.opgavepakke IN ({})
           AND (t.claimed_until IS NULL OR t.claimed_until <= $3)
         ORDER BY t.tilbagefoersel DESC, CASE t.opgavepakke{rank} END, t.stiftet, t.id LIMIT 1",
        in_list(scope.packages)
    )))
    .bind(i64::from(scope.kommune))
    .bind(scope.username)
    .bind(now)
    .fetch_optional(cx)
    .await)
}
