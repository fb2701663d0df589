//! The kommune's KLIK plan: KOMBIT's catalogue dated from the kommune's go-live, each task's
//! status (UI 04's and MI 38's follow from the work in the app; the project lead sets the
//! others), and the effort estimate for manual entry next to MI 38's hours.

use super::{Actor, refuse, require_kommune};
use crate::clock;
use crate::domain::Kommunenr;
use crate::domain::estimat::{self, Estimat, beregn, sagstype_for};
use crate::domain::klik::{self, KlikOpgave, KlikStatus, MI38, UI04};
use crate::domain::plan::parse_date;
use crate::domain::resolve::FieldError;
use crate::error::AppError;
use crate::model::klik::{EstimatView, KlikPlan, KlikRow};
use crate::state::AppContext;
use crate::store::audit::{self, AuditAction, AuditEntry};
use crate::store::{self, bevillingstyper as bt};

/// The plan: every catalogue task with its dates (none until go-live is set) and status.
pub async fn plan(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<KlikPlan, AppError> {
    require_kommune(ctx, actor, k, "KLIK-plan").await?;
    let mut conn = ctx.db.read.acquire().await?;
    let p = store::plan::get(&mut conn, k).await?.ok_or_else(|| AppError::NotFound(format!("Kommune {k}")))?;
    let go_live = p.go_live.as_deref().and_then(parse_date);
    let deadline_med = parse_date(&p.deadline_med);
    let catalogue = store::klik::catalogue(&mut conn).await?;
    let own = store::klik::statuses(&mut conn, k.get()).await?;
    let today = clock::today();
    // UI 04 follows the review, MI 38 the tasks.
    let types = bt::type_count(&mut conn, k.get()).await?;
    let decided = bt::decisions(&mut conn, k.get()).await?.len();
    let items = bt::plan_items(&mut conn, k.get(), today).await?;
    let done_items = items.iter().filter(|i| i.status == KlikStatus::Faerdig).count();
    let counts = store::counters::read(&mut conn, k).await?;
    let closed = store::tasks::count_closed(&mut conn, k.get()).await?;
    let had_tasks = counts.total() > 0 || closed > 0;
    let opgaver = catalogue
        .into_iter()
        .map(|(id, opgave)| {
            let (status, follows_app) = match opgave.kode.as_str() {
                UI04 => (klik::ui04_status(types as usize, decided, items.len(), done_items), true),
                MI38 => (klik::mi38_status(had_tasks, counts.total(), closed), true),
                _ => (own.iter().find(|(o, _)| *o == id).map_or(KlikStatus::IkkeStartet, |(_, s)| *s), false),
            };
            let dates = go_live.map(|g| opgave.dates(g, deadline_med));
            KlikRow {
                id,
                start: dates.map(|(s, _)| s.format("%Y-%m-%d").to_string()),
                slut: dates.map(|(_, e)| e.format("%Y-%m-%d").to_string()),
                overdue: dates.is_some_and(|(_, e)| klik::overdue(e, status, today)),
                status,
                follows_app,
                opgave,
            }
        })
        .collect();
    Ok(KlikPlan {
        kommune: k,
        go_live: go_live.map(|d| d.format("%Y-%m-%d").to_string()),
        today: today.format("%Y-%m-%d").to_string(),
        opgaver,
        may_edit: actor.is_project_lead_of(k),
        may_edit_catalogue: actor.is_kombit(),
    })
}

/// Sets the kommune's status on a task whose status does not follow from the app.
pub async fn set_status(
    ctx: &AppContext,
    actor: &Actor,
    k: Kommunenr,
    opgave_id: i64,
    status: KlikStatus,
) -> Result<(), AppError> {
    require_kommune(ctx, actor, k, "KLIK-plan").await?;
    if !actor.is_project_lead_of(k) {
        return refuse(ctx, actor, Some(k), None, "ændre status i KLIK-planen").await;
    }
    let kode = {
        let mut conn = ctx.db.read.acquire().await?;
        store::klik::catalogue(&mut conn).await?.into_iter().find(|(id, _)| *id == opgave_id).map(|(_, t)| t.kode)
    };
    let Some(kode) = kode else { return Err(AppError::NotFound(format!("KLIK-opgave {opgave_id}"))) };
    if kode == UI04 || kode == MI38 {
        return Err(AppError::Refused(format!(
            "{kode}s status følger arbejdet i Arbejdsbord og kan ikke sættes i hånden."
        )));
    }
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    let entry = AuditEntry {
        actor: by.clone(),
        kommune: Some(k.get()),
        cpr: None,
        action: AuditAction::KlikStatusChanged,
        detail: format!("{kode}: {}", status.label()),
    };
    ctx.write(move |tx| {
        Box::pin(async move {
            store::klik::set_status(tx, k.get(), opgave_id, status, &by, &at).await?;
            audit::record(tx, &entry).await?;
            Ok(())
        })
    })
    .await
}

/// KOMBIT's catalogues, for any logged-in user (an integration has no use for them).
pub async fn katalog(ctx: &AppContext, actor: &Actor) -> Result<crate::model::klik::Katalog, AppError> {
    if matches!(actor, Actor::Integration { .. }) {
        return refuse(ctx, actor, None, None, "KLIK-katalog").await;
    }
    let mut conn = ctx.db.read.acquire().await?;
    Ok(crate::model::klik::Katalog {
        klik: store::klik::catalogue(&mut conn).await?,
        ky_ydelsestyper: bt::ky_ydelsestyper(&mut conn).await?,
        may_edit: actor.is_kombit(),
    })
}

/// Adds or changes a task of the catalogue (KOMBIT only).
pub async fn put_opgave(ctx: &AppContext, actor: &Actor, opgave: KlikOpgave) -> Result<(), AppError> {
    if !actor.is_kombit() {
        return refuse(ctx, actor, None, None, "ændre KLIK-kataloget").await;
    }
    let mut errors = Vec::new();
    if opgave.kode.trim().is_empty() || opgave.kode.chars().count() > 20 {
        errors.push(FieldError::new("kode", "Skriv opgavens kode, fx UI 04 (højst 20 tegn)."));
    }
    if opgave.titel.trim().is_empty() {
        errors.push(FieldError::new("titel", "Skriv opgavens titel."));
    }
    if opgave.start_offset > 0 {
        errors
            .push(FieldError::new("start_offset", "Startdatoen ligger før slutdatoen: brug 0 eller et negativt tal."));
    }
    if opgave.slut_offset.abs() > 3_650 || opgave.start_offset.abs() > 3_650 {
        errors.push(FieldError::new("slut_offset", "Højst 10 år fra go-live."));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    let entry = AuditEntry {
        actor: by.clone(),
        kommune: None,
        cpr: None,
        action: AuditAction::CatalogueChanged,
        detail: format!(
            "KLIK-opgave {}: slut {} dage fra go-live, start {} dage fra slut",
            opgave.kode, opgave.slut_offset, opgave.start_offset
        ),
    };
    ctx.write(move |tx| {
        Box::pin(async move {
            store::klik::put(tx, &opgave, &by, &at).await?;
            audit::record(tx, &entry).await?;
            Ok(())
        })
    })
    .await
}

/// The estimate page: the calculator as saved (the seed's national figures before the first
/// save), and the same minutes and caution applied to the kommune's own active bevillinger.
pub async fn estimat(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<EstimatView, AppError> {
    require_kommune(ctx, actor, k, "estimat").await?;
    let mut conn = ctx.db.read.acquire().await?;
    let saved = store::klik::estimat(&mut conn, k.get()).await?;
    let (input, mapping): (Estimat, Vec<(String, usize)>) = match &saved {
        Some((input, mapping)) => (
            serde_json::from_str(input).map_err(|e| internal("estimat", e))?,
            serde_json::from_str(mapping).map_err(|e| internal("estimat-mapping", e))?,
        ),
        None => (estimat::landstal(), Vec::new()),
    };
    let arter = bt::open_bevillinger_by_ydelsesart(&mut conn, k.get()).await?;
    let plan = store::plan::get(&mut conn, k).await?.ok_or_else(|| AppError::NotFound(format!("Kommune {k}")))?;
    let caseworkers = store::users::count_sagsbehandlere(&mut conn, k.get()).await?;
    drop(conn);
    let types = input.sagstyper.len();
    let ydelsesarter: Vec<(String, i64, usize)> =
        arter.into_iter().map(|(art, n)| (art.clone(), n, sagstype_for(&mapping, &art, types))).collect();
    let mut own = input.clone();
    for (i, s) in own.sagstyper.iter_mut().enumerate() {
        s.antal = ydelsesarter.iter().filter(|(_, _, t)| *t == i).map(|(_, n, _)| n).sum();
    }
    own.sagsbehandlere = if plan.medarbejdere.is_empty() { caseworkers } else { plan.medarbejdere.len() as i64 };
    let mi38_hours = match super::fremdrift::fremdrift(ctx, actor, k).await {
        Ok(f) => f.groups.iter().map(|g| g.hours_left).sum(),
        Err(AppError::Forbidden | AppError::OtherKommune(_)) => 0.0,
        Err(e) => return Err(e),
    };
    Ok(EstimatView {
        kommune: k,
        result: beregn(&input),
        saved: saved.is_some(),
        input,
        ydelsesarter,
        own_result: beregn(&own),
        caseworkers: own.sagsbehandlere,
        own,
        mi38_hours,
        hours_per_week: plan.timer_pr_uge,
        may_edit: actor.is_project_lead_of(k),
    })
}

fn internal(what: &str, e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, what, "stored estimate cannot be read");
    AppError::Internal
}

/// Saves the calculator and the ydelsesart → case type mapping (the project lead).
pub async fn save_estimat(
    ctx: &AppContext,
    actor: &Actor,
    k: Kommunenr,
    input: Estimat,
    mapping: Vec<(String, usize)>,
) -> Result<(), AppError> {
    require_kommune(ctx, actor, k, "estimat").await?;
    if !actor.is_project_lead_of(k) {
        return refuse(ctx, actor, Some(k), None, "ændre estimat").await;
    }
    let mut errors: Vec<FieldError> =
        estimat::validate(&input).into_iter().map(|(f, m)| FieldError::new(&f, m)).collect();
    if input.sagstyper.is_empty() || input.sagstyper.len() > 20 {
        errors.push(FieldError::new("sagstyper", "Mellem 1 og 20 sagstyper."));
    }
    if mapping.iter().any(|(_, t)| *t >= input.sagstyper.len()) {
        errors.push(FieldError::new("mapping", "En ydelsesart peger på en sagstype, der ikke findes."));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let r = beregn(&input);
    let entry = AuditEntry {
        actor: actor.name(),
        kommune: Some(k.get()),
        cpr: None,
        action: AuditAction::EstimatChanged,
        detail: format!(
            "{} sagstyper, {} % forsigtighed, {} sagsbehandlere: {:.0} timer (midt)",
            input.sagstyper.len(),
            input.forsigtighed_pct,
            input.sagsbehandlere,
            r.i_alt.midt
        ),
    };
    let input = serde_json::to_string(&input).map_err(|e| internal("estimat", e))?;
    let mapping = serde_json::to_string(&mapping).map_err(|e| internal("estimat-mapping", e))?;
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    ctx.write(move |tx| {
        Box::pin(async move {
            store::klik::save_estimat(tx, k.get(), &input, &mapping, &by, &at).await?;
            audit::record(tx, &entry).await?;
            Ok(())
        })
    })
    .await
}
