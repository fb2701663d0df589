//! Scoring: fagfællesskab members score value for user and owner on ændringsønsker routed to their
//! community; the leverandør scores realiserbarhed. Each new score updates the matrix cell
//! (mean and spread) on every open matrix and backlog at once.

use super::{MATRIX_STATUSES, cells, publish, status_of};
use crate::clock;
use crate::domain::Role;
use crate::domain::aendring::{Criterion, Score, Status};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::aendring::{AendringEvent, Cell};
use crate::state::AppContext;
use crate::store::aendring::{aendringer, bump_version, scores};

/// Whether `user` may score `criterion` on an ændringsønske routed to `fagfaellesskab` in `status`.
pub fn may_score(user: &SessionUser, criterion: Criterion, fagfaellesskab: &str, status: Status) -> bool {
    let role_fits = criterion.scored_by() == user.role
        && (user.role != Role::Fagfaellesskab || user.fagfaellesskab.as_deref() == Some(fagfaellesskab));
    let status_fits = match user.role {
        Role::Leverandoer => MATRIX_STATUSES.contains(&status),
        _ => MATRIX_STATUSES.contains(&status) && status != Status::Estimering,
    };
    role_fits && status_fits
}

pub async fn score(
    ctx: &AppContext,
    user: &SessionUser,
    id: i64,
    criterion: &str,
    value: u8,
) -> Result<Cell, AppError> {
    let criterion = Criterion::parse(criterion).ok_or_else(|| AppError::field("criterion", "Ukendt kriterium."))?;
    let value = Score::new(value).map_err(|e| AppError::field("score", e.to_string()))?;
    let user = user.clone();
    let who = user.clone();
    let written = ctx
        .write(move |tx| {
            Box::pin(async move {
                let row = aendringer::get(tx, id).await?.ok_or_else(|| AppError::NotFound("Ændringsønsket".into()))?;
                let status = status_of(&row)?;
                if criterion.scored_by() != user.role {
                    return Err(AppError::Forbidden);
                }
                if !may_score(&user, criterion, &row.fagfaellesskab, status) {
                    return Err(AppError::Refused(format!(
                        "{} kan ikke scores af dig nu (status: {}, fagfællesskab: {}).",
                        criterion.label(),
                        status.label(),
                        row.fagfaellesskab
                    )));
                }
                let now = clock::stamp(clock::now());
                scores::upsert(tx, id, criterion.key(), user.id, value.get(), &now).await?;
                let all = scores::of_aendring(tx, id).await?;
                let cell = cells(&all)[criterion.index()];
                let version = bump_version(tx).await?;
                Ok((cell, version, status))
            })
        })
        .await;
    let what = format!("scor ændringsønske {id} på {}", criterion.key());
    let (cell, version, status) = super::audit_refusal(ctx, &who, &what, written).await?;
    publish(
        ctx,
        AendringEvent {
            version,
            aendring_id: id,
            cell: Some((criterion.index(), cell)),
            status: None,
            weights_version: None,
            public: super::BACKLOG_STATUSES.contains(&status),
            hoering: None,
            succes: false,
        },
    );
    Ok(cell)
}
