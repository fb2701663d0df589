//! The published, prioritized backlog: ændringsønsker in the backlog ranked by the adopted weights,
//! each with weight × score per criterion so a rank can be understood. Public (no login).

use super::{BACKLOG_STATUSES, cells, status_of};
use crate::domain::aendring::text::fold;
use crate::domain::aendring::{Criterion, RankInput, Ranked, Weights, rank};
use crate::domain::csv_cell;
use crate::error::AppError;
use crate::model::aendring::{Backlog, BacklogItem};
use crate::state::AppContext;
use crate::store::Conn;
use crate::store::aendring::{aendringer, scores, version, weights};
use std::collections::HashMap;

pub fn parse_weights(version: i64, json: &str) -> Result<Weights, AppError> {
    let weights: [f64; 9] = serde_json::from_str(json).map_err(|e| {
        tracing::error!(%e, version, "weight set does not parse");
        AppError::Internal
    })?;
    Ok(Weights { version, weights })
}

pub async fn current_weights(conn: &mut Conn) -> Result<Weights, AppError> {
    let row = weights::current(conn).await?;
    parse_weights(row.version, &row.weights)
}

/// Criterion means of every ændringsønske in the given statuses, ready to rank.
pub async fn rank_inputs(
    conn: &mut Conn,
    statuses: &[crate::domain::aendring::Status],
) -> Result<Vec<RankInput>, AppError> {
    let keys: Vec<&str> = statuses.iter().map(|s| s.key()).collect();
    let rows = scores::of_statuses(conn, &keys).await?;
    let mut by_aendring: HashMap<i64, Vec<(String, i64, u8)>> = HashMap::new();
    for (id, criterion, score) in rows {
        by_aendring.entry(id).or_default().push((criterion, 0, score));
    }
    let ids: Vec<i64> = by_aendring.keys().copied().collect();
    let filed: HashMap<i64, String> =
        aendringer::by_ids(conn, &ids).await?.into_iter().map(|r| (r.id, r.filed_at)).collect();
    Ok(by_aendring
        .into_iter()
        .map(|(id, s)| RankInput {
            id,
            filed_at: filed.get(&id).cloned().unwrap_or_default(),
            means: cells(&s).map(|c| c.mean),
        })
        .collect())
}

/// The backlog ranked by the adopted weights.
pub async fn ranked_backlog(conn: &mut Conn) -> Result<Vec<Ranked>, AppError> {
    let weights = current_weights(conn).await?;
    let inputs = rank_inputs(conn, &BACKLOG_STATUSES).await?;
    Ok(rank(&inputs, &weights))
}

pub async fn backlog(ctx: &AppContext, search: Option<&str>) -> Result<Backlog, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let live_version = version(&mut conn).await?;
    let weights = current_weights(&mut conn).await?;
    let ranked = rank(&rank_inputs(&mut conn, &BACKLOG_STATUSES).await?, &weights);
    let ids: Vec<i64> = ranked.iter().map(|r| r.id).collect();
    let rows: HashMap<i64, aendringer::AendringRow> =
        aendringer::by_ids(&mut conn, &ids).await?.into_iter().map(|r| (r.id, r)).collect();
    let needle = search.map(fold).filter(|s| !s.trim().is_empty());
    let mut items = Vec::new();
    for r in ranked {
        let Some(row) = rows.get(&r.id) else { continue };
        if let Some(n) = &needle
            && !fold(&format!("{} {} {}", row.key, row.titel, row.ydelsesarter)).contains(n.trim())
        {
            continue;
        }
        items.push(BacklogItem {
            rank: r.rank,
            id: r.id,
            key: row.key.clone(),
            titel: row.titel.clone(),
            ydelsesarter: crate::domain::aendring::template::parse_ydelsesarter(&row.ydelsesarter),
            status: status_of(row)?,
            kommuner: row.kommuner,
            score: r.score,
            contributions: r.contributions,
        });
    }
    Ok(Backlog { version: live_version, weights, items })
}

/// The contract's JSON (`GET /api/v1/backlog`).
pub fn backlog_json(b: &Backlog) -> serde_json::Value {
    let items: Vec<serde_json::Value> = b
        .items
        .iter()
        .map(|i| {
            let criteria: serde_json::Map<String, serde_json::Value> = i
                .contributions
                .iter()
                .map(|c| (c.criterion.key().to_string(), serde_json::json!({"weight": c.weight, "score": c.mean})))
                .collect();
            serde_json::json!({
                "rank": i.rank, "id": i.id, "key": i.key, "title": i.titel, "status": i.status.key(),
                "kommuner": i.kommuner, "score": round2(i.score), "criteria": criteria,
            })
        })
        .collect();
    serde_json::json!({ "weights_version": b.weights.version, "items": items })
}

/// The same as CSV (`;`-separated, one row per ændringsønske, weight and score per criterion).
pub fn backlog_csv(b: &Backlog) -> Result<String, AppError> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    let mut header = vec![
        "rank".to_string(),
        "id".into(),
        "key".into(),
        "title".into(),
        "status".into(),
        "kommuner".into(),
        "score".into(),
    ];
    for c in Criterion::ALL {
        header.push(format!("{}_weight", c.key()));
        header.push(format!("{}_score", c.key()));
    }
    header.push("weights_version".into());
    let csv_err = |e: csv::Error| {
        tracing::error!(%e, "backlog csv");
        AppError::Internal
    };
    w.write_record(&header).map_err(csv_err)?;
    for i in &b.items {
        // Key and title come from users and the imported pool: `csv_cell` keeps a title like
        // `=cmd|...` from being a formula. The numbers are formatted here and stay numbers.
        let mut row = vec![
            i.rank.to_string(),
            i.id.to_string(),
            csv_cell(&i.key).into_owned(),
            csv_cell(&i.titel).into_owned(),
            i.status.key().to_string(),
            i.kommuner.to_string(),
            format!("{:.2}", i.score),
        ];
        for c in Criterion::ALL {
            let contribution = i.contributions.iter().find(|x| x.criterion == c);
            row.push(contribution.map(|x| format!("{}", x.weight)).unwrap_or_default());
            row.push(contribution.and_then(|x| x.mean).map(|m| format!("{m:.2}")).unwrap_or_default());
        }
        row.push(b.weights.version.to_string());
        w.write_record(&row).map_err(csv_err)?;
    }
    String::from_utf8(w.into_inner().map_err(|_| AppError::Internal)?).map_err(|_| AppError::Internal)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
