//! Who answers for a kommune's ændringsønsker (issue 10, hole 5): the kommune's support address,
//! handing a support user's ændringsønsker to a colleague when people leave, "vi har også
//! behovet" (a kommune joins another kommune's ændringsønske), and KOMBIT's list of notices that
//! could not be delivered, sent again to a corrected address.

use super::{change_event, publish, require_role, status_of};
use crate::clock;
use crate::domain::aendring::recipients::{check_hand_over, check_support_email};
use crate::domain::aendring::{FlowError, may_join};
use crate::domain::{Kommunenr, Role};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::aendring::{FailedMailView, ResponsibilityView, SupportUserView};
use crate::state::AppContext;
use crate::store::aendring::{aendringer, notices};
use crate::store::audit::{self, AuditAction, AuditEntry};

/// The kommune a user may set up: a kommune's support users and project lead their own, KOMBIT
/// any (it asks for one). Anyone else is refused, audited.
async fn kommune_for(ctx: &AppContext, user: &SessionUser, asked: Option<u16>, what: &str) -> Result<u16, AppError> {
    require_role(ctx, user, &[Role::Supportberettiget, Role::Projektleder, Role::Kombit], what).await?;
    match (user.role, user.kommune, asked) {
        (Role::Kombit, _, Some(k)) => {
            Ok(Kommunenr::try_from(k).map_err(|_| AppError::field("kommune", "Ukendt kommune."))?.get())
        }
        (Role::Kombit, _, None) => Err(AppError::field("kommune", "Vælg en kommune.")),
        (_, Some(own), None) => Ok(own.get()),
        (_, Some(own), Some(k)) if own.get() == k => Ok(k),
        _ => super::refused(ctx, user, what).await,
    }
}

pub async fn overview(
    ctx: &AppContext,
    user: &SessionUser,
    kommune: Option<u16>,
) -> Result<ResponsibilityView, AppError> {
    let k = kommune_for(ctx, user, kommune, "se kommunens ansvar for ændringsønsker").await?;
    let mut conn = ctx.db.read.acquire().await?;
    let counts = aendringer::responsibility_counts(&mut conn, k).await?;
    let users = crate::store::users::support_users(&mut conn, k).await?;
    let unowned = aendringer::count_unowned(&mut conn, k).await?;
    Ok(ResponsibilityView {
        kommune: k,
        kommune_navn: Kommunenr::name_of(i64::from(k)).to_string(),
        support_email: crate::store::kommune::support_email(&mut conn, k).await?,
        users: users
            .into_iter()
            .map(|(id, username, name, email)| SupportUserView {
                aendringer: counts.iter().find(|(u, _)| *u == id).map_or(0, |(_, n)| *n),
                id,
                username,
                name,
                email,
            })
            .collect(),
        unowned,
    })
}

/// Sets (or clears, with an empty value) the kommune's support address. Audited.
pub async fn set_support_email(
    ctx: &AppContext,
    user: &SessionUser,
    kommune: Option<u16>,
    email: &str,
) -> Result<(), AppError> {
    let k = kommune_for(ctx, user, kommune, "ændr kommunens supportadresse").await?;
    let email = check_support_email(email).map_err(|e| AppError::Invalid(vec![e]))?;
    let actor = user.username.clone();
    ctx.write(move |tx| {
        Box::pin(async move {
            crate::store::kommune::set_support_email(tx, k, email.as_deref()).await?;
            let detail = match &email {
                Some(e) => format!("supportadresse sat til {e}"),
                None => "supportadresse fjernet".to_string(),
            };
            let entry =
                AuditEntry { actor, kommune: Some(k), cpr: None, action: AuditAction::SupportAddressChanged, detail };
            Ok(audit::record(tx, &entry).await?)
        })
    })
    .await
}

/// Hands every ændringsønske `from` answers for in the kommune to `to` (both its support users).
/// `expected` is the number the user confirmed; a different number now is refused. Each
/// ændringsønske's history says who handed it to whom; `to` is told which ones are theirs now.
pub async fn hand_over(
    ctx: &AppContext,
    user: &SessionUser,
    kommune: Option<u16>,
    from: i64,
    to: i64,
    expected: i64,
) -> Result<usize, AppError> {
    let k = kommune_for(ctx, user, kommune, "overdrag ændringsønsker").await?;
    let missing = check_hand_over(from, to);
    if !missing.is_empty() {
        return Err(AppError::Invalid(missing));
    }
    let actor = user.username.clone();
    let moved = ctx
        .write(move |tx| {
            Box::pin(async move {
                let support = crate::store::users::support_users(tx, k).await?;
                let name_of = |id: i64| support.iter().find(|(u, ..)| *u == id).map(|(_, _, name, _)| name.clone());
                let (Some(from_name), Some(to_name)) = (name_of(from), name_of(to)) else {
                    return Err(AppError::field("to", "Begge skal være supportberettigede i kommunen."));
                };
                let moved = aendringer::hand_over(tx, k, from, to).await?;
                if moved.len() as i64 != expected {
                    return Err(AppError::Refused(format!(
                        "{from_name} har nu {} ændringsønsker, ikke {expected}. Genindlæs siden og bekræft igen.",
                        moved.len()
                    )));
                }
                let at = clock::stamp(clock::now());
                let note = format!("Overdraget fra {from_name} til {to_name}.");
                for (id, _) in &moved {
                    aendringer::record_note(tx, *id, &at, &actor, "overdrag", &note).await?;
                }
                let keys: Vec<&str> = moved.iter().map(|(_, key)| key.as_str()).collect();
                let body = format!(
                    "{from_name}s ændringsønsker er overdraget til dig, så du får besked, når de ændrer sig:\n- {}",
                    keys.join("\n- ")
                );
                let subject = format!("Du har overtaget {} ændringsønsker", moved.len());
                notices::insert(tx, to, None, &at, &subject, &body).await?;
                let entry = AuditEntry {
                    actor,
                    kommune: Some(k),
                    cpr: None,
                    action: AuditAction::AendringerHandedOver,
                    detail: format!(
                        "{} ændringsønsker fra {from_name} til {to_name}: {}",
                        moved.len(),
                        keys.join(", ")
                    ),
                };
                audit::record(tx, &entry).await?;
                Ok(moved.len())
            })
        })
        .await?;
    Ok(moved)
}

/// "Vi har også behovet": the user's kommune joins an open ændringsønske another kommune filed.
/// It is counted like a merged duplicate, and the user is told of its changes from now on.
pub async fn join(ctx: &AppContext, user: &SessionUser, id: i64) -> Result<(), AppError> {
    require_role(ctx, user, &[Role::Supportberettiget], "meld behov til ændringsønske").await?;
    let kommune = user.kommune.ok_or(AppError::Forbidden)?;
    let (user_id, username) = (user.id, user.username.clone());
    let event = ctx
        .write(move |tx| {
            Box::pin(async move {
                let row = aendringer::get(tx, id).await?.ok_or_else(|| AppError::NotFound("Ændringsønsket".into()))?;
                let status = status_of(&row)?;
                let wanted = aendringer::kommuner(tx, id).await?.contains(&i64::from(kommune.get()));
                may_join(status, Role::Supportberettiget, wanted)
                    .map_err(|e: FlowError| AppError::Refused(e.to_string()))?;
                let at = clock::stamp(clock::now());
                if !aendringer::join(tx, id, kommune.get(), user_id, &at).await? {
                    return Err(AppError::Refused(FlowError::AlreadyJoined.to_string()));
                }
                let note = format!("{} ({kommune}) har også behovet.", kommune.navn());
                aendringer::record_note(tx, id, &at, &username, "også behov", &note).await?;
                let body = format!(
                    "{} står nu på {}: {}. I får besked, når ønsket skifter status.",
                    kommune.navn(),
                    row.key,
                    row.titel
                );
                notices::insert(tx, user_id, Some(id), &at, &format!("{}: {}", row.key, row.titel), &body).await?;
                change_event(tx, id, Some(status), status).await
            })
        })
        .await?;
    publish(ctx, event);
    Ok(())
}

/// KOMBIT's list of notice mails that could not be delivered, newest first.
pub async fn failed_mail(ctx: &AppContext, user: &SessionUser) -> Result<Vec<FailedMailView>, AppError> {
    require_role(ctx, user, &[Role::Kombit], "se meddelelser, der ikke kunne leveres").await?;
    let mut conn = ctx.db.read.acquire().await?;
    let rows = notices::failed(&mut conn, 500).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let aendring = match r.aendring_id {
            Some(a) => aendringer::get(&mut conn, a).await?.map(|row| (row.id, row.key)),
            None => None,
        };
        out.push(FailedMailView {
            id: r.id,
            to: r.to_address,
            subject: r.subject,
            body: r.body,
            at: clock::display_stamp(&r.created_at),
            error: r.error,
            kommune: r.kommune.map(|k| format!("{} ({k:03})", Kommunenr::name_of(k))),
            aendring,
        });
    }
    Ok(out)
}

/// Sends an undeliverable mail again to a corrected address (KOMBIT). Audited.
pub async fn resend_mail(ctx: &AppContext, user: &SessionUser, id: i64, to: &str) -> Result<(), AppError> {
    require_role(ctx, user, &[Role::Kombit], "send meddelelse igen").await?;
    let to = check_support_email(to)
        .map_err(|e| AppError::Invalid(vec![crate::domain::resolve::FieldError::new("to", e.message)]))?
        .ok_or_else(|| AppError::field("to", "Skriv den adresse, meddelelsen skal sendes til."))?;
    let actor = user.username.clone();
    ctx.write(move |tx| {
        Box::pin(async move {
            if !notices::resend(tx, id, &to).await? {
                return Err(AppError::Refused("Meddelelsen er allerede sendt igen.".into()));
            }
            let entry = AuditEntry {
                actor,
                kommune: None,
                cpr: None,
                action: AuditAction::MailResent,
                detail: format!("meddelelse {id} sendt igen til {to}"),
            };
            Ok(audit::record(tx, &entry).await?)
        })
    })
    .await
}
