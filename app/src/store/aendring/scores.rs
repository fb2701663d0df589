//! Scores: one per ændringsønske, criterion and scorer; a new score replaces the scorer's old one.

use crate::store::Conn;

pub async fn upsert(
    conn: &mut Conn,
    id: i64,
    criterion: &str,
    scorer_id: i64,
    score: u8,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO score (aendring_id, criterion, scorer_id, score, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (aendring_id, criterion, scorer_id) DO UPDATE SET score = excluded.score, at = excluded.at",
    )
    .bind(id)
    .bind(criterion)
    .bind(scorer_id)
    .bind(score)
    .bind(at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// (criterion, scorer id, score) of one ændringsønske.
pub async fn of_aendring(conn: &mut Conn, id: i64) -> Result<Vec<(String, i64, u8)>, sqlx::Error> {
    sqlx::query_as("SELECT criterion, scorer_id, score FROM score WHERE aendring_id = ? ORDER BY criterion, scorer_id")
        .bind(id)
        .fetch_all(conn)
        .await
}

/// (ændringsønske id, criterion, score) of every ændringsønske in one of `statuses`.
pub async fn of_statuses(conn: &mut Conn, statuses: &[&str]) -> Result<Vec<(i64, String, u8)>, sqlx::Error> {
    let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "SELECT s.aendring_id, s.criterion, s.score FROM score s JOIN aendring a ON a.id = s.aendring_id WHERE a.status IN (",
    );
    let mut sep = qb.separated(", ");
    for s in statuses {
        sep.push_bind(s.to_string());
    }
    qb.push(") ORDER BY s.aendring_id");
    qb.build_query_as().fetch_all(conn).await
}

/// (ændringsønske id, (criterion, scorer id), score) of every ændringsønske in one of `statuses`.
pub async fn of_statuses_with_scorer(
    conn: &mut Conn,
    statuses: &[&str],
) -> Result<Vec<(i64, (String, i64), u8)>, sqlx::Error> {
    let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "SELECT s.aendring_id, s.criterion, s.scorer_id, s.score FROM score s JOIN aendring a ON a.id = s.aendring_id
         WHERE a.status IN (",
    );
    let mut sep = qb.separated(", ");
    for s in statuses {
        sep.push_bind(s.to_string());
    }
    qb.push(")");
    let rows: Vec<(i64, String, i64, u8)> = qb.build_query_as().fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(id, c, scorer, score)| (id, (c, scorer), score)).collect())
}
