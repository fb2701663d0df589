//! KOMBIT's success criteria: the dashboard (KOMBIT and the styregruppe read it), and KOMBIT's
//! changes to objectives, criteria and measuring points and its measurements. Every change is
//! audited in its own job; refusals are audited; a criterion changed on an old version is
//! refused with who changed it (409).

use super::{Actor, refuse};
use crate::clock;
use crate::domain::Role;
use crate::domain::resolve::FieldError;
use crate::domain::succeskriterium::{
    FormErrors, Kriterium, Maalepunkt, MaalingForm, Opfyldelse, format_tal, naeste_maaling,
};
use crate::error::AppError;
use crate::model::aendring::AendringEvent;
use crate::model::succeskriterium::{KriteriumView, MaalingView, MaalsaetningView, Succeskriterier};
use crate::state::AppContext;
use crate::store::audit::{self, AuditAction, AuditEntry};
use crate::store::{self, succeskriterium as sk};

/// KOMBIT, the styregruppe (and the system) read the criteria and their measurements.
fn may_read(actor: &Actor) -> bool {
    match actor {
        Actor::User(u) => matches!(u.role, Role::Kombit | Role::Styregruppe),
        Actor::System => true,
        Actor::Integration { .. } => false,
    }
}

/// The form's errors as the error type's field errors.
pub fn invalid(errors: FormErrors) -> AppError {
    AppError::Invalid(errors.into_iter().map(|(f, m)| FieldError::new(&f, m)).collect())
}

/// The dashboard: per objective, per criterion its target, measurements, verdict and next point.
pub async fn dashboard(ctx: &AppContext, actor: &Actor) -> Result<Succeskriterier, AppError> {
    if !may_read(actor) {
        return refuse(ctx, actor, None, None, "succeskriterier").await;
    }
    let mut conn = ctx.db.read.acquire().await?;
    let maalsaetninger = sk::maalsaetninger(&mut conn).await?;
    let maalepunkter = sk::maalepunkter(&mut conn).await?;
    let kriterier = sk::kriterier(&mut conn).await?;
    let applicability = sk::applicability(&mut conn).await?;
    let maalinger = sk::maalinger(&mut conn).await?;
    drop(conn);
    let today = clock::today();
    let navn = |nr: i64| maalepunkter.iter().find(|p| p.nr == nr).map_or_else(String::new, |p| p.navn.clone());
    let views: Vec<(String, KriteriumView)> = kriterier
        .into_iter()
        .map(|k| {
            let points: Vec<i64> = applicability.iter().filter(|(id, _)| *id == k.id).map(|(_, p)| *p).collect();
            let own: Vec<MaalingView> = maalinger
                .iter()
                .filter(|m| m.kriterium_id == k.id)
                .map(|m| MaalingView {
                    maalepunkt: m.maalepunkt,
                    maalepunkt_navn: navn(m.maalepunkt),
                    vaerdi: m.vaerdi,
                    stikproeve: m.stikproeve,
                    maalt: m.maalt.clone(),
                    kilde: m.kilde.clone(),
                    recorded_by: m.recorded_by.clone(),
                })
                .collect();
            let measured: Vec<i64> = own.iter().map(|m| m.maalepunkt).collect();
            let view = KriteriumView {
                opfyldelse: Opfyldelse::of(&k.maal, own.last().map(|m| m.vaerdi)),
                naeste: naeste_maaling(&maalepunkter, &points, &measured, today),
                id: k.id,
                nummer: k.nummer,
                tekst: k.tekst,
                maal: k.maal,
                kilde: k.kilde,
                version: k.version,
                maalepunkter: points,
                maalinger: own,
            };
            (k.maalsaetning, view)
        })
        .collect();
    let mut by_objective: Vec<MaalsaetningView> = maalsaetninger
        .into_iter()
        .map(|(bogstav, titel)| MaalsaetningView { bogstav, titel, kriterier: Vec::new() })
        .collect();
    for (bogstav, view) in views {
        if let Some(m) = by_objective.iter_mut().find(|m| m.bogstav == bogstav) {
            m.kriterier.push(view);
        }
    }
    Ok(Succeskriterier {
        today: today.format("%Y-%m-%d").to_string(),
        maalsaetninger: by_objective,
        maalepunkter,
        may_edit: actor.is_kombit(),
    })
}

/// Bumps the live version inside the change's job: the event, published after the commit, tells
/// every open dashboard to load again (`AendringEvent.succes`).
async fn live_event(tx: &mut crate::store::WriteTx) -> Result<AendringEvent, AppError> {
    let version = crate::store::aendring::bump_version(tx).await?;
    Ok(AendringEvent {
        version,
        aendring_id: 0,
        cell: None,
        status: None,
        weights_version: None,
        public: false,
        hoering: None,
        succes: true,
    })
}

fn publish(ctx: &AppContext, event: AendringEvent) {
    ctx.live.publish_aendring(event);
}

fn entry(actor: &Actor, action: AuditAction, detail: String) -> AuditEntry {
    AuditEntry { actor: actor.name(), kommune: None, cpr: None, action, detail }
}

/// Adds or renames an objective (KOMBIT).
pub async fn put_maalsaetning(ctx: &AppContext, actor: &Actor, bogstav: String, titel: String) -> Result<(), AppError> {
    if !actor.is_kombit() {
        return refuse(ctx, actor, None, None, "ændre succeskriterier").await;
    }
    let e = entry(actor, AuditAction::SuccesChanged, format!("Målsætning {bogstav}: {titel}"));
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    ctx.write(move |tx| {
        Box::pin(async move {
            sk::put_maalsaetning(tx, &bogstav, &titel, &by, &at).await?;
            audit::record(tx, &e).await?;
            live_event(tx).await
        })
    })
    .await
    .map(|event| publish(ctx, event))
}

/// Adds or changes a measuring point (KOMBIT).
pub async fn put_maalepunkt(ctx: &AppContext, actor: &Actor, p: Maalepunkt) -> Result<(), AppError> {
    if !actor.is_kombit() {
        return refuse(ctx, actor, None, None, "ændre succeskriterier").await;
    }
    let planned = p.planlagt.map_or_else(|| "uden dato".to_string(), |d| d.format("%d.%m.%Y").to_string());
    let e = entry(actor, AuditAction::SuccesChanged, format!("Måletidspunkt {}: {} ({planned})", p.nr, p.navn));
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    ctx.write(move |tx| {
        Box::pin(async move {
            sk::put_maalepunkt(tx, &p, &by, &at).await?;
            audit::record(tx, &e).await?;
            live_event(tx).await
        })
    })
    .await
    .map(|event| publish(ctx, event))
}

/// Adds a criterion, or changes one if nobody changed it since the version KOMBIT saw. Returns
/// the criterion's id.
pub async fn put_kriterium(ctx: &AppContext, actor: &Actor, k: Kriterium) -> Result<i64, AppError> {
    if !actor.is_kombit() {
        return refuse(ctx, actor, None, None, "ændre succeskriterier").await;
    }
    {
        let mut conn = ctx.db.read.acquire().await?;
        let objectives = sk::maalsaetninger(&mut conn).await?;
        let points = sk::maalepunkter(&mut conn).await?;
        let mut errors = Vec::new();
        if !objectives.iter().any(|(b, _)| *b == k.maalsaetning) {
            errors.push(FieldError::new("maalsaetning", format!("Målsætning {} findes ikke.", k.maalsaetning)));
        }
        if let Some(nr) = k.maalepunkter.iter().find(|nr| !points.iter().any(|p| p.nr == **nr)) {
            errors.push(FieldError::new("maalepunkter", format!("Måletidspunkt {nr} findes ikke.")));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
    }
    let e = entry(
        actor,
        AuditAction::SuccesChanged,
        format!("Succeskriterium {}: {} ({})", k.nummer, k.maal.text(), k.kilde),
    );
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    ctx.write(move |tx| {
        Box::pin(async move {
            let nummer = k.nummer.clone();
            let stored = match k.id {
                None => sk::insert_kriterium(tx, &k, &by, &at).await.map(Some),
                Some(id) => sk::update_kriterium(tx, id, &k, &by, &at).await.map(|ok| ok.then_some(id)),
            };
            let id = match stored {
                Err(e) if store::is_unique_violation(&e) => {
                    return Err(AppError::field("nummer", format!("{nummer} findes allerede.")));
                }
                Err(e) => return Err(e.into()),
                Ok(Some(id)) => id,
                Ok(None) => {
                    let id = k.id.unwrap_or_default();
                    return Err(match sk::kriterium(tx, id).await? {
                        None => AppError::NotFound(format!("Succeskriterium {id}")),
                        Some(now) => AppError::Refused(format!(
                            "{} er ændret af {} ({}), efter du åbnede siden. Genindlæs og ret igen.",
                            now.nummer, now.changed_by, now.changed_at
                        )),
                    });
                }
            };
            audit::record(tx, &e).await?;
            Ok((id, live_event(tx).await?))
        })
    })
    .await
    .map(|(id, event)| {
        publish(ctx, event);
        id
    })
}

/// Records a measurement at one of the criterion's measuring points (KOMBIT). The form is read
/// here: the criterion's unit decides whether the value is a percentage.
pub async fn record_maaling(ctx: &AppContext, actor: &Actor, form: MaalingForm) -> Result<i64, AppError> {
    if !actor.is_kombit() {
        return refuse(ctx, actor, None, None, "registrere måling").await;
    }
    let (m, nummer) = {
        let mut conn = ctx.db.read.acquire().await?;
        let k = match form.kriterium_id.trim().parse::<i64>() {
            Ok(id) => sk::kriterium(&mut conn, id).await?,
            Err(_) => None,
        };
        let enhed = k.as_ref().map(|k| k.maal.enhed.clone()).unwrap_or_default();
        let m = form.to_maaling(&enhed, clock::today()).map_err(invalid)?;
        let Some(k) = k else {
            return Err(AppError::field("kriterium_id", "Succeskriteriet findes ikke."));
        };
        let applies = sk::applicability(&mut conn).await?.contains(&(m.kriterium_id, m.maalepunkt));
        if !applies {
            return Err(AppError::field("maalepunkt", format!("{} måles ikke på det valgte tidspunkt.", k.nummer)));
        }
        (m, k.nummer)
    };
    let e = entry(
        actor,
        AuditAction::MaalingRecorded,
        format!(
            "{nummer}: {} ved måletidspunkt {} ({}, n = {})",
            format_tal(m.vaerdi),
            m.maalepunkt,
            m.maalt.format("%d.%m.%Y"),
            m.stikproeve.map_or_else(|| "–".to_string(), |n| n.to_string())
        ),
    );
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    ctx.write(move |tx| {
        Box::pin(async move {
            let id = sk::insert_maaling(tx, &m, &by, &at).await?;
            audit::record(tx, &e).await?;
            Ok((id, live_event(tx).await?))
        })
    })
    .await
    .map(|(id, event)| {
        publish(ctx, event);
        id
    })
}
