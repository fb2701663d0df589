//! The demo pool of change requests: ~2,700 legacy requests imported through the real CSV
//! import, ~60 newer ones through the pipeline with scores by the demo fagfællesskab members and
//! the supplier, and an adopted weight set. Idempotent.

use super::pool::{DemoRequest, legacy_pool, new_requests};
use crate::clock;
use crate::domain::aendring::{Status, path_to, validate_draft};
use crate::error::AppError;
use crate::service::aendring::pool_import::{COLUMNS, PoolImportFailure, import_pool};
use crate::service::aendring::{Filing, new_request};
use crate::state::AppContext;
use crate::store::aendring::{requests, scores, weights};
use crate::store::users;
use std::path::Path;

/// Writes requests in the pool-import CSV format.
///
/// Not passed through `domain::csv_cell`: the file is input for our own pool import, which would
/// keep a `'` prefix as part of the text, and every cell is generated from the demo's fixed texts.
pub fn write_pool_csv(path: &Path, pool: &[DemoRequest]) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_path(path)?;
    w.write_record(COLUMNS)?;
    for r in pool {
        let extra: Vec<String> = r.extra_kommuner.iter().map(|k| format!("{k:03}")).collect();
        w.write_record([
            r.key.as_str(),
            &r.titel,
            &r.udfordring,
            &r.ydelsesarter.join(", "),
            &r.omfang,
            &r.workaround,
            r.request_type.key(),
            &r.beskrivelse,
            r.minsupport_sagsid.as_deref().unwrap_or(""),
            &format!("{:03}", r.kommune),
            &r.filed_at.to_string(),
            &r.theme,
            r.status.key(),
            &r.closed_at.map(|d| d.to_string()).unwrap_or_default(),
            &extra.join(","),
        ])?;
    }
    w.flush()
}

/// The three members of each demo fagfællesskab, and the supplier.
pub fn scorer_usernames(fagfaellesskab: &str) -> [String; 3] {
    let slug = crate::domain::aendring::text::fold(fagfaellesskab).replace(' ', "");
    [format!("ff.{slug}"), format!("ff.{slug}.2"), format!("ff.{slug}.3")]
}

pub async fn load(ctx: &AppContext, work_dir: &Path) -> Result<(usize, usize), AppError> {
    std::fs::create_dir_all(work_dir)?;
    let file = work_dir.join("aendringsoensker-puljen.csv");
    write_pool_csv(&file, &legacy_pool(2026, 2_700))?;
    let data = std::fs::read(&file)?;
    let (legacy, _) = match import_pool(ctx, "aendringsoensker-puljen.csv", &data).await {
        Ok(x) => x,
        Err(PoolImportFailure::Internal(e)) => return Err(e),
        Err(PoolImportFailure::Invalid(errors)) => {
            tracing::error!(?errors, "the demo pool does not import");
            return Err(AppError::Internal);
        }
    };
    let newer = new_requests(2026);
    let n = newer.len();
    ctx.write(move |tx| Box::pin(async move { load_newer(tx, &newer).await })).await?;
    Ok((legacy, n))
}

/// The demo's newer requests with their history, scores and duplicates, and adopted weights.
async fn load_newer(tx: &mut crate::store::WriteTx, newer: &[DemoRequest]) -> Result<(), AppError> {
    for r in newer {
        if requests::exists_key(tx, &r.key).await? {
            continue;
        }
        let valid = validate_draft(&r.draft()).map_err(|errors| {
            tracing::error!(key = %r.key, ?errors, "a demo request does not pass the template");
            AppError::Internal
        })?;
        let requester = users::support_user_of(tx, r.kommune).await?;
        crate::store::kommune::ensure(
            tx,
            crate::domain::Kommunenr::try_from(r.kommune).map_err(|_| AppError::Internal)?,
        )
        .await?;
        let filed = format!("{}T09:00:00.000Z", r.filed_at);
        let filing = Filing {
            key: r.key.clone(),
            kommune: r.kommune,
            requester_id: requester,
            status: r.status,
            theme: r.theme.clone(),
            filed_at: filed.clone(),
            closed_at: r.closed_at.map(|d| d.to_string()),
        };
        let row = new_request(&valid, filing);
        let ff = row.fagfaellesskab.as_str();
        let id = requests::insert(tx, &row).await?;
        for k in &r.extra_kommuner {
            requests::add_kommune(tx, id, *k, None).await?;
        }
        for (i, (from, action, to)) in path_to(r.status).into_iter().enumerate() {
            let at = clock::stamp(
                chrono::NaiveDateTime::new(
                    r.filed_at + chrono::Duration::days(7 * i as i64 + 1),
                    chrono::NaiveTime::MIN,
                )
                .and_utc(),
            );
            let actor = if from == Status::ReturneretTilUddybning { "support" } else { "kombit" };
            requests::record_event(
                tx,
                id,
                requests::NewEvent {
                    at: &at,
                    actor,
                    action: action.key(),
                    from: Some(from.key()),
                    to: Some(to.key()),
                    note: "",
                },
            )
            .await?;
        }
        // Scorer-major: the k-th score of a criterion is scorer k's.
        let mut seen = [0usize; 9];
        for (criterion, value) in &r.scores {
            let k = seen[criterion.index()];
            seen[criterion.index()] += 1;
            let username = if criterion.scored_by() == crate::domain::Role::Leverandoer {
                "netcompany".to_string()
            } else {
                scorer_usernames(ff)[k.min(2)].clone()
            };
            if let Some(u) = users::by_username(tx, &username).await? {
                scores::upsert(tx, id, criterion.key(), u.id, *value, &filed).await?;
            }
        }
    }
    for r in newer.iter().filter(|r| r.duplicate_of.is_some()) {
        let (Some(dup), Some(orig)) = (
            requests::ids_by_key(tx, &r.key).await?.first().copied(),
            requests::ids_by_key(tx, r.duplicate_of.as_deref().unwrap_or("")).await?.first().copied(),
        ) else {
            continue;
        };
        requests::set_duplicate_of(tx, dup, orig).await?;
        for k in requests::kommuner(tx, dup).await? {
            requests::add_kommune(tx, orig, k as u16, Some(dup)).await?;
        }
    }
    // The styregruppe has adopted its own weights: value for users and owners count double.
    if weights::all(tx).await?.len() == 1 {
        let w = [2.0, 2.0, 1.0, 2.0, 2.0, 1.5, 1.0, 1.0, 1.0];
        let json = serde_json::to_string(&w).map_err(|_| AppError::Internal)?;
        let version = weights::adopt(
            tx,
            &json,
            "styregruppe",
            &clock::stamp(clock::now()),
            "Vedtaget på styregruppemødet: værdi for brugere og ejere vægter dobbelt.",
        )
        .await?;
        let adopted = crate::domain::aendring::Weights { version, weights: w };
        let ranked = crate::domain::aendring::rank(
            &crate::service::aendring::backlog::rank_inputs(tx, &crate::service::aendring::MATRIX_STATUSES).await?,
            &adopted,
        );
        let rows: Vec<(i64, i64, f64)> = ranked.iter().map(|r| (r.id, r.rank as i64, r.score)).collect();
        weights::save_ranking(tx, version, &rows).await?;
    }
    crate::store::aendring::bump_version(tx).await?;
    Ok(())
}
