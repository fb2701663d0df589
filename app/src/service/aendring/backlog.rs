//! The published, prioritized backlog: ændringsønsker in the backlog ranked by the adopted weights,
//! each with weight × score per criterion so a rank can be understood. Public (no login).

use super::{BACKLOG_STATUSES, cells, status_of};
use crate::domain::aendring::text::fold;
use crate::domain::aendring::{Contribution, Criterion, RankInput, Ranked, Weights, missing_scores, rank};
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

/// Criterion means of every ændringsønske in the given statuses, ready to rank — those without
/// any score too (they cannot be ranked, and must not silently drop out of the backlog).
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
    Ok(aendringer::ids_in_statuses(conn, &keys)
        .await?
        .into_iter()
        .map(|(id, filed_at)| RankInput {
            id,
            filed_at,
            means: by_aendring.get(&id).map_or([None; 9], |s| cells(s).map(|c| c.mean)),
        })
        .collect())
}

/// The backlog ranked by the adopted weights.
pub async fn ranked_backlog(conn: &mut Conn) -> Result<Vec<Ranked>, AppError> {
    let weights = current_weights(conn).await?;
    let inputs = rank_inputs(conn, &BACKLOG_STATUSES).await?;
    Ok(rank(&inputs, &weights))
}

/// A backlog line before its ændringsønske is read: ranked, or listed with what it misses.
struct Entry {
    id: i64,
    rank: Option<usize>,
    score: Option<f64>,
    contributions: Vec<Contribution>,
    missing: Vec<Criterion>,
}

pub async fn backlog(ctx: &AppContext, search: Option<&str>) -> Result<Backlog, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let live_version = version(&mut conn).await?;
    let weights = current_weights(&mut conn).await?;
    let inputs = rank_inputs(&mut conn, &BACKLOG_STATUSES).await?;
    let ranked = rank(&inputs, &weights);
    // What cannot be ranked (a weighted criterion without a score) stays listed after the
    // ranked ones, in filing order, marked with what it misses.
    let placed: std::collections::HashSet<i64> = ranked.iter().map(|r| r.id).collect();
    let mut unranked: Vec<&RankInput> = inputs.iter().filter(|i| !placed.contains(&i.id)).collect();
    unranked.sort_by(|a, b| a.filed_at.cmp(&b.filed_at).then(a.id.cmp(&b.id)));
    let entries: Vec<Entry> = ranked
        .into_iter()
        .map(|r| Entry {
            id: r.id,
            rank: Some(r.rank),
            score: Some(r.score),
            contributions: r.contributions,
            missing: Vec::new(),
        })
        .chain(unranked.into_iter().map(|i| {
            Entry {
                id: i.id,
                rank: None,
                score: None,
                contributions: Criterion::ALL
                    .into_iter()
                    .map(|c| Contribution {
                        criterion: c,
                        weight: weights.get(c),
                        mean: i.means[c.index()],
                        points: 0.0,
                    })
                    .collect(),
                missing: missing_scores(&i.means, &weights),
            }
        }))
        .collect();
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let rows: HashMap<i64, aendringer::AendringRow> =
        aendringer::by_ids(&mut conn, &ids).await?.into_iter().map(|r| (r.id, r)).collect();
    let needle = search.map(fold).filter(|s| !s.trim().is_empty());
    let mut items = Vec::new();
    for Entry { id, rank, score, contributions, missing } in entries {
        let Some(row) = rows.get(&id) else { continue };
        if let Some(n) = &needle
            && !fold(&format!("{} {} {}", row.key, row.titel, row.ydelsesarter)).contains(n.trim())
        {
            continue;
        }
        items.push(BacklogItem {
            rank,
            id,
            key: row.key.clone(),
            titel: row.titel.clone(),
            ydelsesarter: crate::domain::aendring::template::parse_ydelsesarter(&row.ydelsesarter),
            status: status_of(row)?,
            kommuner: row.kommuner,
            score,
            contributions,
            missing,
        });
    }
    Ok(Backlog { version: live_version, weights, items })
}

/// The contract's JSON (`GET /api/v1/backlog`).
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BacklogJson {
    /// The adopted weights' version the ranking is computed with.
    pub weights_version: i64,
    /// Ranked first, then the unranked (a weighted criterion without a score).
    pub items: Vec<BacklogJsonItem>,
}

/// One ændringsønske of the published backlog.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BacklogJsonItem {
    /// 1 for the first; null while a weighted criterion has no score.
    pub rank: Option<usize>,
    pub id: i64,
    /// "AE-2026-0042".
    pub key: String,
    pub title: String,
    pub status: String,
    /// How many kommuner have the need.
    pub kommuner: i64,
    /// 0–100; null while unranked.
    pub score: Option<f64>,
    /// Per criterion (`anvendelighed`, …): the adopted weight and the scorers' mean (1–5).
    pub criteria: std::collections::BTreeMap<String, CriterionJson>,
    /// The weighted criteria without a score.
    pub missing_scores: Vec<String>,
}

#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CriterionJson {
    pub weight: f64,
    /// The mean of the scorers (1–5); null when nobody has scored it.
    pub score: Option<f64>,
}

pub fn backlog_json(b: &Backlog) -> BacklogJson {
    let items = b
        .items
        .iter()
        .map(|i| BacklogJsonItem {
            rank: i.rank,
            id: i.id,
            key: i.key.clone(),
            title: i.titel.clone(),
            status: i.status.key().to_string(),
            kommuner: i.kommuner,
            score: i.score.map(round2),
            criteria: i
                .contributions
                .iter()
                .map(|c| (c.criterion.key().to_string(), CriterionJson { weight: c.weight, score: c.mean }))
                .collect(),
            missing_scores: i.missing.iter().map(|c| c.key().to_string()).collect(),
        })
        .collect();
    BacklogJson { weights_version: b.weights.version, items }
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
    header.push("missing_scores".into());
    let csv_err = |e: csv::Error| {
        tracing::error!(%e, "backlog csv");
        AppError::Internal
    };
    w.write_record(&header).map_err(csv_err)?;
    for i in &b.items {
        // Key and title come from users and the imported pool: `csv_cell` keeps a title like
        // `=cmd|...` from being a formula. The numbers are formatted here and stay numbers.
        // Decimal commas, as Danish Excel reads numbers.
        let mut row = vec![
            i.rank.map(|r| r.to_string()).unwrap_or_default(),
            i.id.to_string(),
            csv_cell(&i.key).into_owned(),
            csv_cell(&i.titel).into_owned(),
            i.status.key().to_string(),
            i.kommuner.to_string(),
            i.score.map(|s| decimal_comma(s, 2)).unwrap_or_default(),
        ];
        for c in Criterion::ALL {
            let contribution = i.contributions.iter().find(|x| x.criterion == c);
            row.push(contribution.map(|x| decimal_comma(x.weight, 2)).unwrap_or_default());
            row.push(contribution.and_then(|x| x.mean).map(|m| decimal_comma(m, 2)).unwrap_or_default());
        }
        row.push(b.weights.version.to_string());
        row.push(i.missing.iter().map(|c| c.key()).collect::<Vec<_>>().join(","));
        w.write_record(&row).map_err(csv_err)?;
    }
    let body = String::from_utf8(w.into_inner().map_err(|_| AppError::Internal)?).map_err(|_| AppError::Internal)?;
    // A byte-order mark, so Danish Excel reads æøå.
    Ok(format!("\u{feff}{body}"))
}

/// `83,33`, `2`: up to `places` decimals with a comma, no thousands separator (a CSV cell).
fn decimal_comma(x: f64, places: usize) -> String {
    let text = format!("{x:.places$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text };
    text.replace('.', ",")
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
