//! Weight sets: the styregruppe edits a draft (the what-if ranking runs in the browser on the
//! domain's formula), then adopts it as a new version; each adoption stores the ranking it
//! produced, so earlier rankings stay reproducible by version.

use super::{BACKLOG_STATUSES, MATRIX_STATUSES, publish, require_role};
use crate::clock;
use crate::domain::Role;
use crate::domain::aendring::flow::criteria_list;
use crate::domain::aendring::{Status, Weights, check_adoption_note, left_incomplete, rank};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::aendring::{AendringEvent, WeightsView};
use crate::state::AppContext;
use crate::store::aendring::{aendringer, bump_version, notices, weights};

pub async fn view(ctx: &AppContext, user: &SessionUser) -> Result<WeightsView, AppError> {
    require_role(ctx, user, &[Role::Styregruppe, Role::Kombit], "vis vægte").await?;
    let mut conn = ctx.db.read.acquire().await?;
    let current = super::backlog::current_weights(&mut conn).await?;
    let draft = match weights::draft(&mut conn, user.id).await? {
        Some(json) => Some(super::backlog::parse_weights(0, &json)?),
        None => None,
    };
    let versions = weights::all(&mut conn)
        .await?
        .into_iter()
        .map(|w| (w.version, clock::display_stamp(&w.adopted_at), w.adopted_by, w.note))
        .collect();
    let items = super::backlog::rank_inputs(&mut conn, &MATRIX_STATUSES).await?;
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let rows = aendringer::by_ids(&mut conn, &ids).await?;
    let backlog_ids = rows
        .iter()
        .filter(|r| Status::parse(&r.status).is_some_and(|s| BACKLOG_STATUSES.contains(&s)))
        .map(|r| r.id)
        .collect();
    let titles = rows.into_iter().map(|r| (r.id, r.key, r.titel)).collect();
    Ok(WeightsView { current, draft, versions, items, titles, backlog_ids })
}

fn check(w: &Weights) -> Result<String, AppError> {
    let errors = w.validate();
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    serde_json::to_string(&w.weights).map_err(|_| AppError::Internal)
}

pub async fn save_draft(ctx: &AppContext, user: &SessionUser, draft: &Weights) -> Result<(), AppError> {
    require_role(ctx, user, &[Role::Styregruppe], "gem vægtudkast").await?;
    let json = check(draft)?;
    let (user_id, at) = (user.id, clock::stamp(clock::now()));
    ctx.write(move |tx| Box::pin(async move { Ok(weights::save_draft(tx, user_id, &json, &at).await?) })).await
}

/// Adopts the weights as a new version and stores the ranking they produce now.
pub async fn adopt(ctx: &AppContext, user: &SessionUser, w: &Weights, note: &str) -> Result<i64, AppError> {
    require_role(ctx, user, &[Role::Styregruppe], "vedtag vægte").await?;
    let json = check(w)?;
    let missing = check_adoption_note(note);
    if !missing.is_empty() {
        return Err(AppError::Invalid(missing));
    }
    let at = clock::stamp(clock::now());
    let (username, note, chosen) = (user.username.clone(), note.trim().to_string(), w.weights);
    let (version, live) = ctx
        .write(move |tx| {
            Box::pin(async move {
                let before = super::backlog::current_weights(tx).await?;
                let version = weights::adopt(tx, &json, &username, &at, &note).await?;
                let adopted = Weights { version, weights: chosen };
                tell_about_incomplete(tx, &before, &adopted, &at).await?;
                let ranked = rank(&super::backlog::rank_inputs(tx, &MATRIX_STATUSES).await?, &adopted);
                let rows: Vec<(i64, i64, f64)> = ranked.iter().map(|r| (r.id, r.rank as i64, r.score)).collect();
                weights::save_ranking(tx, version, &rows).await?;
                let live = bump_version(tx).await?;
                Ok::<_, AppError>((version, live))
            })
        })
        .await?;
    publish(
        ctx,
        AendringEvent {
            version: live,
            aendring_id: 0,
            cell: None,
            status: None,
            weights_version: Some(version),
            public: true,
            hoering: None,
            succes: false,
        },
    );
    Ok(version)
}

/// Backlog ændringsønsker the adopted weights leave without a full scoring stay on the public
/// backlog, marked; KOMBIT and the ændringsønske's fagfællesskab are told what to score.
async fn tell_about_incomplete(
    tx: &mut crate::store::Conn,
    before: &Weights,
    adopted: &Weights,
    at: &str,
) -> Result<(), AppError> {
    let items = super::backlog::rank_inputs(tx, &BACKLOG_STATUSES).await?;
    for (id, missing) in left_incomplete(&items, before, adopted) {
        let Some(row) = aendringer::get(tx, id).await? else { continue };
        let subject = format!("{}: mangler scoring efter nye vægte", row.key);
        let body = format!(
            "Vægtsæt version {} giver vægt til kriterier, som {} ({}) ikke er scoret på: {}. \
             Ønsket står stadig på den offentlige backlog, markeret »mangler scoring«, indtil det er scoret.",
            adopted.version,
            row.key,
            row.titel,
            criteria_list(&missing)
        );
        for user in crate::store::users::kombit_and_fagfaellesskab(tx, &row.fagfaellesskab).await? {
            notices::insert(tx, user, Some(id), at, &subject, &body).await?;
        }
    }
    Ok(())
}

/// The ranking a weight-set version produced when it was adopted: (id, key, titel, rank, score).
pub async fn ranking(ctx: &AppContext, version: i64) -> Result<Vec<(i64, String, String, i64, f64)>, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    weights::get(&mut conn, version).await?.ok_or_else(|| AppError::NotFound(format!("Vægtsæt version {version}")))?;
    let rows = weights::ranking(&mut conn, version).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let titles: std::collections::HashMap<i64, (String, String)> =
        aendringer::by_ids(&mut conn, &ids).await?.into_iter().map(|r| (r.id, (r.key, r.titel))).collect();
    Ok(rows
        .into_iter()
        .map(|(id, rank, score)| {
            let (key, titel) = titles.get(&id).cloned().unwrap_or_default();
            (id, key, titel, rank, score)
        })
        .collect())
}
