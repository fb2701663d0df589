//! The kommune's MI 38 plan: read by everyone who works the kommune's tasks, changed by its
//! project lead (or `arbejdsbord kommune set`). A change is audited and takes effect at once:
//! "Næste opgave" reads the plan on every call, and open boards are told through the live
//! snapshot (its `plan` version) to fetch the deadlines again.

use super::{Actor, refuse, require_kommune};
use crate::domain::Kommunenr;
use crate::domain::plan::{Plan, parse_date};
use crate::error::AppError;
use crate::model::plan::PlanView;
use crate::state::AppContext;
use crate::store::audit::{self, AuditAction, AuditEntry};
use crate::store::{kommune, plan, users};

pub async fn get_plan(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<PlanView, AppError> {
    require_kommune(ctx, actor, k, "plan for MI 38").await?;
    let mut conn = ctx.db.read.acquire().await?;
    let plan = plan::get(&mut conn, k).await?.ok_or_else(|| AppError::NotFound(format!("Kommune {k}")))?;
    let caseworkers = users::caseworkers(&mut conn, k.get()).await?;
    let may_edit = actor.is_project_lead_of(k);
    Ok(PlanView { kommune: k, plan, caseworkers, may_edit })
}

/// Refuses (audited) anyone but the kommune's project lead.
pub async fn require_editor(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<(), AppError> {
    if actor.is_project_lead_of(k) { Ok(()) } else { refuse(ctx, actor, Some(k), None, "ændre plan for MI 38").await }
}

/// Saves the plan; `plan.version` is the version the editor read (a change made in between is
/// reported, not overwritten). Returns the saved plan.
pub async fn save_plan(ctx: &AppContext, actor: &Actor, k: Kommunenr, mut plan: Plan) -> Result<Plan, AppError> {
    require_editor(ctx, actor, k).await?;
    plan.validate()?;
    // Stored as ISO dates, whichever form was typed.
    fn iso(d: &str) -> String {
        parse_date(d).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
    }
    plan.deadline_med = iso(&plan.deadline_med);
    for d in [&mut plan.deadline_uden, &mut plan.deadline_uden_endelig, &mut plan.go_live] {
        *d = d.as_deref().map(iso);
    }
    plan.medarbejdere = plan.medarbejdere.iter().map(|m| m.trim().to_lowercase()).filter(|m| !m.is_empty()).collect();
    plan.medarbejdere.sort();
    plan.medarbejdere.dedup();
    {
        let mut conn = ctx.db.read.acquire().await?;
        kommune::get(&mut conn, k).await?.ok_or_else(|| AppError::NotFound(format!("Kommune {k}")))?;
        let known: Vec<String> =
            users::caseworkers(&mut conn, k.get()).await?.into_iter().map(|(u, _)| u.to_lowercase()).collect();
        let unknown: Vec<&String> = plan.medarbejdere.iter().filter(|m| !known.contains(m)).collect();
        if !unknown.is_empty() {
            return Err(AppError::field(
                "medarbejdere",
                format!(
                    "{} er ikke sagsbehandler i {}.",
                    unknown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                    k.navn()
                ),
            ));
        }
    }
    let entry = AuditEntry {
        actor: actor.name(),
        kommune: Some(k.get()),
        cpr: None,
        action: AuditAction::PlanChanged,
        detail: describe(&plan),
    };
    let saved = plan.clone();
    let ok = ctx
        .write(move |tx| {
            Box::pin(async move {
                if !plan::save(tx, k, &plan).await? {
                    return Ok(false);
                }
                audit::record(tx, &entry).await?;
                tx.touch(k);
                Ok(true)
            })
        })
        .await?;
    if !ok {
        return Err(AppError::Refused(
            "Planen er ændret af en anden, mens du redigerede. Hent siden igen og se ændringen, før du gemmer.".into(),
        ));
    }
    Ok(Plan { version: saved.version + 1, ..saved })
}

/// The audit text of a plan: what it now says.
fn describe(p: &Plan) -> String {
    format!(
        "tilgang {}; frist med {}; frist uden {}; endelig frist uden {}; go-live {}; ressourcer {} ({}) à {} t/uge; rækkefølge {}",
        p.tilgang.key(),
        p.deadline_med,
        p.deadline_uden.as_deref().unwrap_or("-"),
        p.deadline_uden_endelig.as_deref().unwrap_or("-"),
        p.go_live.as_deref().unwrap_or("-"),
        p.ressourcer.key(),
        p.medarbejdere.join(", "),
        p.timer_pr_uge,
        p.opgavepakke_order.iter().map(|n| format!("{n:02}")).collect::<Vec<_>>().join(","),
    )
}
