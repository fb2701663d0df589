//! "Afslut bevilling", guarded: in KY a bevilling closed while an Opret fordringssag task hangs
//! on it silently aborted the task (recoverable only by a paid support case). Here it is refused
//! with the reason and the tasks to resolve first.

use super::{Actor, refuse, require_kommune};
use crate::clock;
use crate::domain::Kommunenr;
use crate::error::AppError;
use crate::state::AppContext;
use crate::store::{audit, extract, tasks};

pub async fn close_bevilling(
    ctx: &AppContext,
    actor: &Actor,
    k: Kommunenr,
    bevilling_id: &str,
) -> Result<(), AppError> {
    require_kommune(ctx, actor, k, "afslut bevilling").await?;
    if let Actor::User(u) = actor
        && !u.role.works_tasks()
    {
        return refuse(ctx, actor, Some(k), None, &format!("afslut bevilling {bevilling_id} (rolle {})", u.role)).await;
    }
    let mut tx = ctx.db.begin().await?;
    let bevilling = extract::bevilling(&mut tx, k.get(), bevilling_id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Bevilling {bevilling_id}")))?;
    if bevilling.status == "afsluttet" {
        return Err(AppError::Refused(format!("Bevilling {bevilling_id} er allerede afsluttet.")));
    }
    let blocking = tasks::open_blocking_bevilling(&mut tx, k.get(), bevilling_id).await?;
    let detail = if blocking.is_empty() {
        extract::close_bevilling(&mut tx, k.get(), bevilling_id, &clock::today().to_string()).await?;
        format!("bevilling {bevilling_id} afsluttet")
    } else {
        format!("afslut bevilling {bevilling_id} afvist: åbne opgaver {blocking:?}")
    };
    audit::record(
        &mut tx,
        &audit::AuditEntry {
            actor: &actor.name(),
            kommune: Some(k.get()),
            cpr: Some(&bevilling.cpr),
            action: if blocking.is_empty() { "afslut bevilling" } else { "afslut bevilling afvist" },
            detail,
        },
    )
    .await?;
    tx.commit().await?;
    if blocking.is_empty() {
        Ok(())
    } else {
        let list = blocking.iter().map(|id| format!("#{id}")).collect::<Vec<_>>().join(", ");
        Err(AppError::Refused(format!(
            "Bevilling {bevilling_id} kan ikke afsluttes, fordi der er en åben Opret fordringssag-opgave på den ({list}). \
             Løs opgaven først – ellers ville den blive afbrudt og kun kunne genoprettes via en betalbar supportsag."
        )))
    }
}
