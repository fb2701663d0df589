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
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO score (aendring_id, criterion, scorer_id, score, at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (aendring_id, criterion, scorer_id) DO UPDATE SET score = excluded.score, at = excluded.at",
    )
    .bind(id)
    .bind(criterion)
    .bind(scorer_id)
    .bind(i64::from(score))
    .bind(at)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// (criterion, scorer id, score) of one ændringsønske.
pub async fn of_aendring(conn: &mut Conn, id: i64) -> Result<Vec<(String, i64, u8)>, sqlx::Error> {
    let rows: Vec<(String, i64, i64)> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT criterion, scorer_id, score FROM score WHERE aendring_id = $1 ORDER BY criterion, scorer_id"
    )
    .bind(id)
    .fetch_all(cx)
    .await)?;
    rows.into_iter().map(|(criterion, scorer, score)| Ok((criterion, scorer, super::super::small(score)?))).collect()
}

/// (ændringsønske id, criterion, score) of every ændringsønske in one of `statuses`.
pub async fn of_statuses(conn: &mut Conn, statuses: &[&str]) -> Result<Vec<(i64, String, u8)>, sqlx::Error> {
    let rows: Vec<(i64, String, i64)> = on_each!(conn, |cx| {
        let mut qb = sqlx::QueryBuilder::new(
            "SELECT s.aendring_id, s.criterion, s.score FROM score s JOIN aendring a ON a.id = s.aendring_id WHERE a.status IN ",
        );
        crate::store::push_list(&mut qb, statuses.iter().map(|s| s.to_string()));
        qb.push(" ORDER BY s.aendring_id");
        qb.build_query_as().fetch_all(cx).await
    })?;
    rows.into_iter().map(|(id, criterion, score)| Ok((id, criterion, super::super::small(score)?))).collect()
}

/// (ændringsønske id, (criterion, scorer id), score) of every ændringsønske in one of `statuses`.
pub async fn of_statuses_with_scorer(
    conn: &mut Conn,
    statuses: &[&str],
) -> Result<Vec<(i64, (String, i64), u8)>, sqlx::Error> {
    let rows: Vec<(i64, String, i64, i64)> = on_each!(conn, |cx| {
        let mut qb = sqlx::QueryBuilder::new(
            "SELECT s.aendring_id, s.criterion, s.scorer_id, s.score FROM score s JOIN aendring a ON a.id = s.aendring_id
             WHERE a.status IN ",
        );
        crate::store::push_list(&mut qb, statuses.iter().map(|s| s.to_string()));
        qb.build_query_as().fetch_all(cx).await
    })?;
    rows.into_iter().map(|(id, c, scorer, score)| Ok((id, (c, scorer), super::super::small(score)?))).collect()
}
