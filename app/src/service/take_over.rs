//! A task held by one caseworker ("i gang hos Mette Kjær", the claim "Næste opgave" gives for
//! 15 minutes) is theirs: a colleague saving it is refused, and may take it over only
//! explicitly. A take-over is recorded on the task (`task_overtagelse`) and audited.

use super::{Actor, record_refusal, refuse, refuse_kommune};
use crate::clock;
use crate::domain::Kommunenr;
use crate::error::AppError;
use crate::state::AppContext;
use crate::store::audit::{self, AuditAction, AuditEntry};
use crate::store::tasks::{self, TaskRow};
use crate::store::{Conn, users};

/// The username of whoever else holds the task now, if anyone does.
pub fn held_by_other(task: &TaskRow, me: &str, now: &str) -> Option<String> {
    match (&task.claimed_by, &task.claimed_until) {
        (Some(by), Some(until)) if by != me && until.as_str() > now => Some(by.clone()),
        _ => None,
    }
}

/// Refuses (audited) saving a task another caseworker holds, naming them.
pub async fn refuse_if_held_by_other(
    ctx: &AppContext,
    conn: &mut Conn,
    actor: &Actor,
    task: &TaskRow,
) -> Result<(), AppError> {
    let now = clock::stamp(clock::now());
    let Some(other) = held_by_other(task, &actor.name(), &now) else { return Ok(()) };
    let name = users::display_name(conn, &other).await?.unwrap_or_else(|| other.clone());
    let until = task.claimed_until.as_deref().and_then(clock::parse_stamp).map(clock::hh_mm).unwrap_or_default();
    let k = Kommunenr::try_from(task.kommune as u16).ok();
    record_refusal(ctx, actor, k, Some(&task.cpr), &format!("løs opgave {} i gang hos {other}", task.id)).await?;
    Err(AppError::Refused(format!(
        "Opgaven er i gang hos {name} (til kl. {until}). Tryk \"Overtag opgaven\", hvis du skal løse den i stedet."
    )))
}

/// Takes over a task another caseworker holds: it is then held by the caller for 15 minutes.
pub async fn take_over(ctx: &AppContext, actor: &Actor, task_id: i64) -> Result<(), AppError> {
    let Actor::User(u) = actor else {
        return refuse(ctx, actor, None, None, &format!("overtag opgave {task_id}")).await;
    };
    if !u.role.works_tasks() {
        return refuse(ctx, actor, u.kommune, None, &format!("overtag opgave {task_id} (rolle {})", u.role)).await;
    }
    let me = actor.name();
    let now = clock::now();
    let (at, until) = (clock::stamp(now), clock::stamp(now + chrono::Duration::minutes(15)));
    let (task, other, name) = {
        let mut conn = ctx.db.read.acquire().await?;
        let task = tasks::get(&mut conn, task_id).await?.ok_or_else(|| AppError::NotFound("Opgaven".into()))?;
        let k = Kommunenr::try_from(task.kommune as u16).map_err(|_| AppError::Internal)?;
        if !actor.may_see_kommune(k) {
            drop(conn);
            return refuse_kommune(ctx, actor, k, &format!("overtag opgave {task_id}")).await;
        }
        if !task.is_open {
            return Err(AppError::Refused("Opgaven er allerede løst.".into()));
        }
        let Some(other) = held_by_other(&task, &me, &at) else {
            return Err(AppError::Refused(
                "Opgaven er ikke i gang hos en anden: du kan løse den uden at overtage den.".into(),
            ));
        };
        let name = users::display_name(&mut conn, &other).await?.unwrap_or_else(|| other.clone());
        (task, other, name)
    };
    let entry = AuditEntry {
        actor: me.clone(),
        kommune: Some(task.kommune as u16),
        cpr: Some(task.cpr.clone()),
        action: AuditAction::TakeOverTask,
        detail: format!("opgave {task_id} overtaget fra {other} ({name})"),
    };
    let taken = ctx
        .write(move |tx| {
            Box::pin(async move {
                let conn: &mut Conn = tx;
                let taken = tasks::take_over(conn, task_id, &other, &me, &at, &until).await?;
                if taken {
                    audit::record(conn, &entry).await?;
                }
                Ok::<_, AppError>(taken)
            })
        })
        .await?;
    if taken { Ok(()) } else { Err(AppError::Refused("Opgaven er ændret i mellemtiden. Genindlæs siden.".into())) }
}
