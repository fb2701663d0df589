//! KOMBIT's appeal queue: every kommune's appeal of a rejection, with the original ændringsønske
//! and its rejection, decided once — the rejection upheld with a reply, or the ændringsønske
//! reopened into visitering. The appellant and the requester are told.

use super::{change_event, publish, require_role, status_of};
use crate::clock;
use crate::domain::aendring::{AppealDecision, Status, decide_appeal as decide_in_flow};
use crate::domain::{Kommunenr, Role};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::aendring::AppealQueueItem;
use crate::state::AppContext;
use crate::store::WriteTx;
use crate::store::aendring::{aendringer, notices};

/// The undecided appeals (oldest first) and those decided in the last 30 days; KOMBIT only.
pub async fn queue(ctx: &AppContext, user: &SessionUser) -> Result<Vec<AppealQueueItem>, AppError> {
    require_role(ctx, user, &[Role::Kombit], "vis klager").await?;
    let mut conn = ctx.db.read.acquire().await?;
    let since = clock::stamp(clock::now() - chrono::Duration::days(30));
    let rows = aendringer::appeal_queue(&mut conn, &since).await?;
    let ids: Vec<i64> = rows.iter().map(|a| a.aendring_id).collect();
    let aendringer: std::collections::HashMap<i64, aendringer::AendringRow> =
        aendringer::by_ids(&mut conn, &ids).await?.into_iter().map(|r| (r.id, r)).collect();
    let mut out = Vec::new();
    for a in rows {
        let Some(r) = aendringer.get(&a.aendring_id) else { continue };
        out.push(AppealQueueItem {
            id: a.id,
            aendring_id: r.id,
            key: r.key.clone(),
            titel: r.titel.clone(),
            status: status_of(r)?,
            rejection: r.decision_note.clone().unwrap_or_default(),
            rejected_at: r.closed_at.as_deref().map(clock::display_stamp),
            kommune: kommune_name(a.kommune),
            sagsid: a.sagsid,
            reason: a.reason,
            at: clock::display_stamp(&a.at),
            decision: a.decision.as_deref().and_then(AppealDecision::parse),
            reply: a.reply,
            decided_by: a.decided_by,
            decided_at: a.decided_at.as_deref().map(clock::display_stamp),
        });
    }
    Ok(out)
}

fn kommune_name(nr: i64) -> String {
    Kommunenr::name_of(nr).to_string()
}

/// KOMBIT decides an appeal. Reopening puts a rejected ændringsønske back into visitering (and
/// answers the other kommuner's open appeals of it the same way); upholding keeps it rejected.
/// The appellant and the requester get the reply in their inbox (and by mail).
pub async fn decide(
    ctx: &AppContext,
    user: &SessionUser,
    appeal_id: i64,
    decision: AppealDecision,
    reply: &str,
) -> Result<Status, AppError> {
    require_role(ctx, user, &[Role::Kombit], "afgør klage").await?;
    let missing = crate::domain::aendring::decision::check_appeal_reply(reply);
    if !missing.is_empty() {
        return Err(AppError::Invalid(missing));
    }
    let (username, reply) = (user.username.clone(), reply.trim().to_string());
    let (to, event) = ctx.write(move |tx| Box::pin(decide_in(tx, username, appeal_id, decision, reply))).await?;
    publish(ctx, event);
    Ok(to)
}

async fn decide_in(
    tx: &mut WriteTx,
    username: String,
    appeal_id: i64,
    decision: AppealDecision,
    reply: String,
) -> Result<(Status, crate::model::aendring::AendringEvent), AppError> {
    let appeal = aendringer::appeal_by_id(tx, appeal_id).await?.ok_or_else(|| AppError::NotFound("Klagen".into()))?;
    let row = aendringer::get(tx, appeal.aendring_id).await?.ok_or(AppError::Internal)?;
    let from = status_of(&row)?;
    let to = decide_in_flow(from, appeal.decision.is_some(), Role::Kombit, decision)?;
    let now = clock::stamp(clock::now());
    // The other kommuner's open appeals of a reopened ændringsønske got what they asked for.
    let answered: Vec<aendringer::AppealRow> = if to != from {
        aendringer::appeals(tx, row.id).await?.into_iter().filter(|a| a.decision.is_none()).collect()
    } else {
        vec![appeal.clone()]
    };
    for a in &answered {
        if !aendringer::decide_appeal(tx, a.id, decision.key(), &reply, &username, &now).await? {
            return Err(AppError::Refused("Klagen er afgjort af en anden i mellemtiden. Genindlæs siden.".into()));
        }
    }
    if to != from && !aendringer::set_status(tx, row.id, row.version, from.key(), to.key(), None, None).await? {
        return Err(AppError::Refused("Ændringsønsket blev ændret samtidig af en anden. Genindlæs siden.".into()));
    }
    let note = format!("{} (klage fra {}): {reply}", decision.label(), kommune_name(appeal.kommune));
    let event = aendringer::NewEvent {
        at: &now,
        actor: &username,
        action: "klage afgjort",
        from: (to != from).then_some(from.key()),
        to: (to != from).then_some(to.key()),
        note: &note,
    };
    aendringer::record_event(tx, row.id, event).await?;
    let subject = format!("{}: klagen er afgjort – {}", row.key, decision.label().to_lowercase());
    let body = match decision {
        AppealDecision::Fasthold => {
            format!("KOMBIT har behandlet jeres klage over afvisningen af {}: {}.\n\nSvar: {reply}", row.key, row.titel)
        }
        AppealDecision::Genoptag => format!(
            "KOMBIT har genoptaget {}: {} efter klagen. Ønsket er igen til visitering.\n\nSvar: {reply}",
            row.key, row.titel
        ),
    };
    for a in &answered {
        if Some(a.user_id) != row.requester_id {
            notices::insert(tx, a.user_id, Some(row.id), &now, &subject, &body).await?;
        }
    }
    super::notify::tell(tx, row.kommune as u16, row.requester_id, Some(row.id), &subject, &body).await?;
    let event = change_event(tx, row.id, Some(from), to).await?;
    Ok((to, event))
}
