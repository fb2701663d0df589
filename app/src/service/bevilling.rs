//! "Afslut bevilling", guarded: in KY a bevilling closed while an Opret fordringssag task hangs
//! on it silently aborted the task (recoverable only by a paid support case). Here it is refused
//! with the reason and the tasks to resolve first.

use super::{Actor, refuse, require_kommune};
use crate::clock;
use crate::domain::Kommunenr;
use crate::error::AppError;
use crate::state::AppContext;
use crate::store::audit::{self, AuditAction, AuditEntry};
use crate::store::{extract, tasks};

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
    let (actor_name, id) = (actor.name(), bevilling_id.to_string());
    // The refusal is written too (with the tasks that block it), so the job succeeds either way.
    let blocking = ctx
        .write(move |tx| {
            Box::pin(async move {
                let bevilling = extract::bevilling(tx, k.get(), &id)
                    .await?
                    .ok_or_else(|| AppError::NotFound(format!("Bevilling {id}")))?;
                if bevilling.status == "afsluttet" {
                    return Err(AppError::Refused(format!("Bevilling {id} er allerede afsluttet.")));
                }
                let blocking = tasks::open_blocking_bevilling(tx, k.get(), &id).await?;
                let (action, detail) = if blocking.is_empty() {
                    extract::close_bevilling(tx, k.get(), &id, &clock::today().to_string()).await?;
                    (AuditAction::CloseBevilling, format!("bevilling {id} afsluttet"))
                } else {
                    (
                        AuditAction::CloseBevillingRefused,
                        format!("afslut bevilling {id} afvist: åbne opgaver {blocking:?}"),
                    )
                };
                let entry =
                    AuditEntry { actor: actor_name, kommune: Some(k.get()), cpr: Some(bevilling.cpr), action, detail };
                audit::record(tx, &entry).await?;
                Ok(blocking)
            })
        })
        .await?;
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
