//! Rapportstyret: the project lead hands persons (every open task of each) to a caseworker,
//! moves them to another, or takes them back. One write job per action, one audit row per
//! person; only the kommune's project lead may do it.

use super::WHAT;
use crate::clock;
use crate::domain::{Cpr, Kommunenr, Role};
use crate::error::AppError;
use crate::model::report::{HandOverDone, MAX_PERSONS_PER_HAND_OVER};
use crate::service::{Actor, refuse, require_kommune};
use crate::state::AppContext;
use crate::store::audit::{self, AuditAction, AuditEntry};
use crate::store::report as store;

/// Refuses (and audits) anyone but the kommune's project lead.
async fn require_lead(ctx: &AppContext, actor: &Actor, k: Kommunenr, what: &str) -> Result<(), AppError> {
    require_kommune(ctx, actor, k, what).await?;
    match actor {
        Actor::User(u) if u.role == Role::Projektleder => Ok(()),
        _ => refuse(ctx, actor, Some(k), None, what).await,
    }
}

/// The CPR numbers as stored (digits), each checked, without repeats.
fn parse_cprs(cprs: &[String]) -> Result<Vec<String>, AppError> {
    let mut out = Vec::with_capacity(cprs.len());
    let mut bad = Vec::new();
    for text in cprs {
        match Cpr::parse(text) {
            Ok(cpr) => out.push(cpr.digits()),
            Err(e) => bad.push(format!("«{}»: {e}", text.trim())),
        }
    }
    if !bad.is_empty() {
        return Err(AppError::field("cprs", format!("Ugyldige CPR-numre: {}.", bad.join("; "))));
    }
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err(AppError::field("cprs", "Vælg mindst én person."));
    }
    if out.len() > MAX_PERSONS_PER_HAND_OVER {
        return Err(AppError::field(
            "cprs",
            format!("Vælg højst {MAX_PERSONS_PER_HAND_OVER} personer ad gangen (du valgte {}).", out.len()),
        ));
    }
    Ok(out)
}

/// Every CPR must be a person of the kommune.
async fn check_known(ctx: &AppContext, k: Kommunenr, cprs: &[String]) -> Result<i64, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let known = store::known_persons(&mut conn, k.get(), cprs).await?;
    if known.len() != cprs.len() {
        let unknown: Vec<String> =
            cprs.iter().filter(|c| !known.contains(c)).map(|c| super::display_cpr(c)).take(10).collect();
        return Err(AppError::field("cprs", format!("Ikke personer i {}: {}.", k.navn(), unknown.join(", "))));
    }
    Ok(store::open_tasks_of(&mut conn, k.get(), cprs).await?)
}

/// Hands the persons to the caseworker `to_username` (a person already handed to someone else
/// moves). Their open tasks then count as handed to that caseworker.
pub async fn hand_over(
    ctx: &AppContext,
    actor: &Actor,
    k: Kommunenr,
    cprs: &[String],
    to_username: &str,
) -> Result<HandOverDone, AppError> {
    require_lead(ctx, actor, k, "tildeling af personer").await?;
    let to = to_username.trim();
    if to.is_empty() {
        return Err(AppError::field("to_username", "Vælg den sagsbehandler, personerne skal tildeles."));
    }
    let cprs = parse_cprs(cprs)?;
    let (username, name) = {
        let mut conn = ctx.db.read.acquire().await?;
        store::caseworkers(&mut conn, k.get())
            .await?
            .into_iter()
            .find(|(u, _)| u.eq_ignore_ascii_case(to))
            .ok_or_else(|| AppError::field("to_username", format!("«{to}» er ikke sagsbehandler i {}.", k.navn())))?
    };
    let opgaver = check_known(ctx, k, &cprs).await?;
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    let personer = cprs.len();
    ctx.write(move |tx| {
        Box::pin(async move {
            let mut entries = Vec::with_capacity(cprs.len());
            for cpr in &cprs {
                let before = crate::store::distribution::handed_to(tx, k.get(), cpr).await?.map(|(to, _, _)| to);
                store::hand_over(tx, k.get(), cpr, &username, &by, &at).await?;
                let detail = match before {
                    Some(prev) if !prev.eq_ignore_ascii_case(&username) => {
                        format!("{WHAT}: flyttet fra {prev} til {username}")
                    }
                    _ => format!("{WHAT}: tildelt {username}"),
                };
                entries.push(AuditEntry {
                    actor: by.clone(),
                    kommune: Some(k.get()),
                    cpr: Some(cpr.clone()),
                    action: AuditAction::HandOver,
                    detail,
                });
            }
            audit::record_all(tx, &entries).await?;
            Ok(())
        })
    })
    .await?;
    Ok(HandOverDone { personer, opgaver, til: Some(name) })
}

/// Takes the persons back from whoever has them: their tasks are anyone's again.
pub async fn take_back(
    ctx: &AppContext,
    actor: &Actor,
    k: Kommunenr,
    cprs: &[String],
) -> Result<HandOverDone, AppError> {
    require_lead(ctx, actor, k, "tilbagetagning af personer").await?;
    let cprs = parse_cprs(cprs)?;
    let opgaver = check_known(ctx, k, &cprs).await?;
    let by = actor.name();
    let personer = ctx
        .write(move |tx| {
            Box::pin(async move {
                let mut entries = Vec::new();
                for cpr in &cprs {
                    if let Some(prev) = store::take_back(tx, k.get(), cpr).await? {
                        entries.push(AuditEntry {
                            actor: by.clone(),
                            kommune: Some(k.get()),
                            cpr: Some(cpr.clone()),
                            action: AuditAction::TakeBack,
                            detail: format!("{WHAT}: taget tilbage fra {prev}"),
                        });
                    }
                }
                if entries.is_empty() {
                    return Err(AppError::field("cprs", "Ingen af de valgte personer er tildelt nogen."));
                }
                audit::record_all(tx, &entries).await?;
                Ok(entries.len())
            })
        })
        .await?;
    Ok(HandOverDone { personer, opgaver, til: None })
}
