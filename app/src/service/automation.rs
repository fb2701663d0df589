//! Automatic paragraf- and kravtypekontrol (DOMAIN.md A, "Steering MI 38"): a kommune's
//! supportberettiget user asks the supplier with the MinSupport request of Tabel 2; the supplier
//! (role leverandør, or `arbejdsbord automatisering`) switches the controls on. In one
//! transaction the P and/or K defect then counts as met for every open task of the kommune;
//! later imports get the same (`reapply`). Every move is in the task history with its cause,
//! and open boards update live through the counters.

use super::{Actor, refuse, require_kommune};
use crate::clock;
use crate::domain::{Kommunenr, Role};
use crate::error::AppError;
use crate::model::automation::{AutomationRequest, AutomationResult, controls, minsupport_request};
use crate::state::AppContext;
use crate::store::audit::{self, AuditAction, AuditEntry};
use crate::store::automation::{self, RequestFilter, mask};
use crate::store::counters::{self, CountDelta};
use crate::store::{Conn, users};

/// A supportberettiget user of the kommune asks for automation; the request text is recorded.
pub async fn request(
    ctx: &AppContext,
    actor: &Actor,
    k: Kommunenr,
    paragrafkontrol: bool,
    kravtypekontrol: bool,
) -> Result<AutomationRequest, AppError> {
    let allowed = matches!(actor, Actor::User(u) if u.role == Role::Supportberettiget && u.kommune == Some(k));
    if !allowed {
        return refuse(ctx, actor, Some(k), None, "anmod om automatisering").await;
    }
    if !paragrafkontrol && !kravtypekontrol {
        return Err(AppError::field("kontrol", "Vælg paragrafkontrol, kravtypekontrol eller begge."));
    }
    let (titel, beskrivelse) = minsupport_request(k, paragrafkontrol, kravtypekontrol);
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    let entry = AuditEntry {
        actor: by.clone(),
        kommune: Some(k.get()),
        cpr: None,
        action: AuditAction::AutomationRequested,
        detail: beskrivelse.clone(),
    };
    let id = ctx
        .write(move |tx| {
            Box::pin(async move {
                let id = automation::insert_request(
                    tx,
                    k.get(),
                    paragrafkontrol,
                    kravtypekontrol,
                    &titel,
                    &beskrivelse,
                    &by,
                    &at,
                )
                .await?;
                audit::record(tx, &entry).await?;
                Ok::<_, AppError>(id)
            })
        })
        .await?;
    let mut conn = ctx.db.read.acquire().await?;
    automation::requests(&mut conn, RequestFilter::Id(id)).await?.into_iter().next().ok_or(AppError::Internal)
}

/// The requests a user may see: the supplier every kommune's, a kommune's users their own.
pub async fn requests(
    ctx: &AppContext,
    actor: &Actor,
    k: Option<Kommunenr>,
) -> Result<Vec<AutomationRequest>, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    match (actor, k) {
        (Actor::User(u), _) if u.role == Role::Leverandoer => {
            Ok(automation::requests(&mut conn, RequestFilter::All).await?)
        }
        (_, Some(k)) => {
            drop(conn);
            require_kommune(ctx, actor, k, "anmodninger om automatisering").await?;
            let mut conn = ctx.db.read.acquire().await?;
            Ok(automation::requests(&mut conn, RequestFilter::Kommune(k.get())).await?)
        }
        (_, None) => {
            drop(conn);
            refuse(ctx, actor, None, None, "anmodninger om automatisering").await
        }
    }
}

/// The supplier switches the controls on for the kommune. Running it again changes nothing.
pub async fn switch_on(
    ctx: &AppContext,
    actor: &Actor,
    k: Kommunenr,
    paragrafkontrol: bool,
    kravtypekontrol: bool,
) -> Result<AutomationResult, AppError> {
    let allowed = match actor {
        Actor::User(u) => u.role == Role::Leverandoer,
        Actor::System => true,
        Actor::Integration { .. } => false,
    };
    if !allowed {
        return refuse(ctx, actor, Some(k), None, "slå automatisering til").await;
    }
    if !paragrafkontrol && !kravtypekontrol {
        return Err(AppError::field("kontrol", "Vælg paragrafkontrol, kravtypekontrol eller begge."));
    }
    let by = match actor {
        Actor::User(u) => u.display_name.clone(),
        _ => "leverandøren".to_string(),
    };
    let actor_name = actor.name();
    let now = clock::now();
    let (at, day) =
        (clock::stamp(now), now.with_timezone(&chrono_tz::Europe::Copenhagen).format("%d.%m.%Y").to_string());
    // Most of the kommune's open tasks change at once: the writer's page cache is raised for
    // this one transaction, as for an import.
    ctx.db.set_cache_mib(crate::service::import::BULK_CACHE_MIB).await?;
    let result = ctx
        .write(move |tx| {
            Box::pin(async move {
                let before = counters::read(tx, k).await?;
                let (p_on, k_on) = automation::state(tx, k.get()).await?;
                let new_p = paragrafkontrol && p_on.is_none();
                let new_k = kravtypekontrol && k_on.is_none();
                if !new_p && !new_k {
                    return Ok(AutomationResult {
                        kommune: k,
                        after: before.clone(),
                        before,
                        moved: 0,
                        closed: 0,
                        ventetrin_processed: 0,
                        unchanged: true,
                    });
                }
                let asked_by = automation::first_open_requester(tx, k.get()).await?;
                let asked_by = match asked_by {
                    Some(u) => Some(users::display_name(tx, &u).await?.unwrap_or(u)),
                    None => None,
                };
                let which = controls(new_p, new_k);
                let cause = match &asked_by {
                    Some(who) => format!("{which} automatiseret {day} af {by} efter anmodning fra {who}"),
                    None => format!("{which} automatiseret {day} af {by}"),
                };
                automation::switch_on(tx, k.get(), new_p, new_k, &format!("{at} {by}")).await?;
                let mut delta = CountDelta::default();
                let applied = automation::apply(tx, k.get(), mask(new_p, new_k), &at, &cause, &mut delta).await?;
                automation::mark_requests_done(tx, k.get(), &by, &at).await?;
                audit::record(
                    tx,
                    &AuditEntry {
                        actor: actor_name,
                        kommune: Some(k.get()),
                        cpr: None,
                        action: AuditAction::AutomationSwitchedOn,
                        detail: format!(
                            "{cause}: {} flyttet, {} lukket, {} dækninger i ventetrin behandlet",
                            applied.moved, applied.closed, applied.ventetrin_processed
                        ),
                    },
                )
                .await?;
                let mut after = before.clone();
                delta.apply_to(&mut after);
                tx.count(k, &delta);
                Ok::<_, AppError>(AutomationResult {
                    kommune: k,
                    before,
                    after,
                    moved: applied.moved,
                    closed: applied.closed,
                    ventetrin_processed: applied.ventetrin_processed,
                    unchanged: false,
                })
            })
        })
        .await;
    ctx.db.set_cache_mib(crate::store::DEFAULT_CACHE_MIB).await?;
    result
}

/// After an import: the kommune's switched-on controls apply to its new tasks too.
pub async fn reapply(conn: &mut Conn, k: Kommunenr, at: &str, delta: &mut CountDelta) -> Result<(), sqlx::Error> {
    let (p_on, k_on) = automation::state(conn, k.get()).await?;
    let m = mask(p_on.is_some(), k_on.is_some());
    if m != 0 {
        let cause = format!(
            "{} er automatiseret for kommunen (gælder også senere indlæsninger)",
            controls(p_on.is_some(), k_on.is_some())
        );
        automation::apply(conn, k.get(), m, at, &cause, delta).await?;
    }
    Ok(())
}
