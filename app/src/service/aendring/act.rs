//! Moving an ændringsønske through the flow: each action is checked against the domain's state
//! machine (role and status) on the server, applied only if nobody changed the ændringsønske since
//! the viewer loaded it, recorded, and told to the requester.

use super::{change_event, publish, status_of};
use crate::clock;
use crate::domain::Role;
use crate::domain::aendring::text::search_terms;
use crate::domain::aendring::{
    Action, AendringDraft, Criterion, Facts, FlowError, Status, changed_fields, check_assessment, check_decision,
    decide, may_assess, notice_text, parse_estimate_hours, validate_draft,
};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::aendring::AendringEvent;
use crate::state::AppContext;
use crate::store::WriteTx;
use crate::store::aendring::aendringer;

pub use crate::model::aendring::Decision;

/// The answer to a change made on a version someone else has changed since.
const STALE: &str = "Ændringsønsket er ændret af en anden, siden du åbnede det. Genindlæs siden.";

impl From<FlowError> for AppError {
    fn from(e: FlowError) -> Self {
        match e {
            FlowError::WrongRole { .. } => AppError::Forbidden,
            other => AppError::Refused(other.to_string()),
        }
    }
}

pub async fn act(ctx: &AppContext, user: &SessionUser, id: i64, d: &Decision) -> Result<Status, AppError> {
    let action = Action::parse(&d.action).ok_or_else(|| AppError::field("action", "Ukendt handling."))?;
    let (who, user, d) = (user.clone(), user.clone(), d.clone());
    let written = ctx.write(move |tx| Box::pin(act_in(tx, user, id, action, d))).await;
    let (to, event) = super::audit_refusal(ctx, &who, &format!("{} ændringsønske {id}", action.key()), written).await?;
    publish(ctx, event);
    Ok(to)
}

async fn act_in(
    tx: &mut WriteTx,
    user: SessionUser,
    id: i64,
    action: Action,
    d: Decision,
) -> Result<(Status, AendringEvent), AppError> {
    let row = aendringer::get(tx, id).await?.ok_or_else(|| AppError::NotFound("Ændringsønsket".into()))?;
    let from = status_of(&row)?;
    // A kommune's support user acts only on their own kommune's ændringsønsker.
    if user.role == Role::Supportberettiget && user.kommune.map(|k| k.get() as i64) != Some(row.kommune) {
        return Err(AppError::Forbidden);
    }
    let to = decide(from, action, user.role, &facts(tx, &row).await?)?;
    if row.version != d.version {
        return Err(AppError::Refused(format!(
            "Ændringsønsket er ændret af en anden, siden du åbnede det (nu: {}). Genindlæs siden.",
            from.label()
        )));
    }
    // What the form needs is checked only once the flow allows the action: a user who may not
    // act is refused (and audited), not told to fill in a field.
    let missing = check_decision(action, &d.note, &d.duplicate_of, &d.elaboration);
    if !missing.is_empty() {
        return Err(AppError::Invalid(missing));
    }
    let note = d.note.trim();
    let now = clock::stamp(clock::now());
    let mut extra = String::new();
    match action {
        Action::MarkerSomDublet => {
            let original = merge_into_original(tx, &row, d.duplicate_of.trim()).await?;
            extra = format!(" Det er registreret som dublet af {original}, og jeres kommune er talt med dér.");
        }
        Action::Uddyb => extra = elaborate(tx, &row, &d.elaboration, &user.username, &now).await?,
        _ => {}
    }
    let closed_at = to.is_closed().then_some(now.as_str());
    let note_opt = (!note.is_empty()).then_some(note);
    if !aendringer::set_status(tx, id, row.version, from.key(), to.key(), closed_at, note_opt).await? {
        return Err(AppError::Refused("Ændringsønsket blev ændret samtidig af en anden. Genindlæs siden.".into()));
    }
    aendringer::record_event(
        tx,
        id,
        aendringer::NewEvent {
            at: &now,
            actor: &user.username,
            action: action.key(),
            from: Some(from.key()),
            to: Some(to.key()),
            note: if note.is_empty() { extra.trim() } else { note },
        },
    )
    .await?;
    let mut body = notice_text(from, to);
    if !note.is_empty() {
        body.push_str(&format!("\n\nBegrundelse: {note}"));
    }
    body.push_str(&extra);
    super::notify::tell_kommuner(tx, &row, &format!("{}: {}", row.key, row.titel), &body).await?;
    let event = change_event(tx, id, Some(from), to).await?;
    Ok((to, event))
}

/// Replaces the template text with the kommune's elaboration and keeps both versions (the one
/// filed is kept the first time), so KOMBIT sees what changed. Returns the notice's sentence
/// naming the changed fields.
async fn elaborate(
    tx: &mut WriteTx,
    row: &aendringer::AendringRow,
    draft: &AendringDraft,
    by: &str,
    at: &str,
) -> Result<String, AppError> {
    let valid = validate_draft(draft)?;
    let before = row.template_text();
    let after = super::template_text(&valid);
    let changed = changed_fields(&super::draft_of(&before), &AendringDraft::from(&valid));
    if aendringer::text_versions(tx, row.id).await?.is_empty() {
        let filed_by = format!("{} (indmeldt)", crate::domain::Kommunenr::name_of(row.kommune));
        aendringer::keep_text_version(tx, row.id, &row.filed_at, &filed_by, &before).await?;
    }
    aendringer::keep_text_version(tx, row.id, at, by, &after).await?;
    let terms = search_terms(&format!("{} {} {}", valid.titel, valid.udfordring, valid.beskrivelse));
    aendringer::update_template(tx, row.id, &after, &terms).await?;
    Ok(match changed.as_slice() {
        [] => " Teksten er uændret.".to_string(),
        fields => {
            format!(" Ændrede felter: {}.", fields.iter().map(|(_, label)| *label).collect::<Vec<_>>().join(", "))
        }
    })
}

/// What the steps before have left on the ændringsønske (`domain::aendring::Facts`): the
/// estimate, the changeboard assessment, and the criteria weighted in the adopted set that
/// have no score yet.
pub async fn facts(conn: &mut crate::store::Conn, row: &aendringer::AendringRow) -> Result<Facts, AppError> {
    let weights = super::backlog::current_weights(conn).await?;
    let scored: Vec<Criterion> = crate::store::aendring::scores::of_aendring(conn, row.id)
        .await?
        .into_iter()
        .filter_map(|(key, _, _)| Criterion::parse(&key))
        .collect();
    Ok(Facts {
        estimate: row.estimate_hours.is_some(),
        assessment: row.vurdering_at.is_some(),
        unscored: Criterion::ALL.into_iter().filter(|c| weights.is_weighted(*c) && !scored.contains(c)).collect(),
    })
}

/// The leverandør's changeboard assessment (solution options, rough feasibility), which
/// KOMBIT's changeboard decision needs. Guarded by the version the leverandør saw.
pub async fn assess(
    ctx: &AppContext,
    user: &SessionUser,
    id: i64,
    version: i64,
    loesning: &str,
    gennemfoerlighed: &str,
) -> Result<(), AppError> {
    super::require_role(ctx, user, &[Role::Leverandoer], "vurdér ændringsønske på changeboard").await?;
    let missing = check_assessment(loesning, gennemfoerlighed);
    if !missing.is_empty() {
        return Err(AppError::Invalid(missing));
    }
    let (who, username) = (user.clone(), user.username.clone());
    let (loesning, gennemfoerlighed) = (loesning.trim().to_string(), gennemfoerlighed.trim().to_string());
    let written = ctx
        .write(move |tx| {
            Box::pin(async move {
                let row = aendringer::get(tx, id).await?.ok_or_else(|| AppError::NotFound("Ændringsønsket".into()))?;
                let status = status_of(&row)?;
                may_assess(status, Role::Leverandoer)?;
                let now = clock::stamp(clock::now());
                if !aendringer::set_assessment(tx, id, version, &loesning, &gennemfoerlighed, &username, &now).await? {
                    return Err(AppError::Refused(STALE.into()));
                }
                let label = crate::domain::aendring::decision::gennemfoerlighed_label(&gennemfoerlighed);
                aendringer::record_note(
                    tx,
                    id,
                    &now,
                    &username,
                    "vurder",
                    &format!("Gennemførlighed: {label}. {loesning}"),
                )
                .await?;
                change_event(tx, id, Some(status), status).await
            })
        })
        .await;
    let event = super::audit_refusal(ctx, &who, &format!("vurdér ændringsønske {id}"), written).await?;
    publish(ctx, event);
    Ok(())
}

/// KOMBIT confirms or changes the fagfællesskab (and theme) during visitering, with a reason
/// recorded in the ændringsønske's history. Guarded by the version seen.
pub async fn route(
    ctx: &AppContext,
    user: &SessionUser,
    id: i64,
    version: i64,
    fagfaellesskab: &str,
    theme: &str,
    reason: &str,
) -> Result<(), AppError> {
    super::require_role(ctx, user, &[Role::Kombit], "vælg fagfællesskab").await?;
    let missing = crate::domain::aendring::routing::check_routing(fagfaellesskab, reason);
    if !missing.is_empty() {
        return Err(AppError::Invalid(missing));
    }
    let (username, ff, theme, reason) =
        (user.username.clone(), fagfaellesskab.trim().to_string(), theme.trim().to_string(), reason.trim().to_string());
    let event = ctx
        .write(move |tx| {
            Box::pin(async move {
                let row = aendringer::get(tx, id).await?.ok_or_else(|| AppError::NotFound("Ændringsønsket".into()))?;
                let status = status_of(&row)?;
                crate::domain::aendring::may_route(status, Role::Kombit)?;
                let oeir = crate::domain::aendring::cleanup::is_oeir_theme(&theme);
                if !aendringer::set_routing(tx, id, version, &ff, &theme, oeir).await? {
                    return Err(AppError::Refused(STALE.into()));
                }
                let before = if row.fagfaellesskab == ff {
                    "bekræftet".to_string()
                } else {
                    format!("før {}", row.fagfaellesskab)
                };
                let theme_text = if theme.is_empty() { String::new() } else { format!(" Tema: {theme}.") };
                let note = format!("Fagfællesskab: {ff} ({before}).{theme_text} Begrundelse: {reason}");
                let now = clock::stamp(clock::now());
                aendringer::record_note(tx, id, &now, &username, "visitér", &note).await?;
                change_event(tx, id, Some(status), status).await
            })
        })
        .await?;
    publish(ctx, event);
    Ok(())
}

/// Counts the duplicate's kommuner on the original; returns the original's key.
async fn merge_into_original(
    tx: &mut crate::store::Conn,
    row: &aendringer::AendringRow,
    original_key: &str,
) -> Result<String, AppError> {
    let ids = aendringer::ids_by_key(tx, original_key).await?;
    let Some(original) = ids.first().copied() else {
        return Err(AppError::field("duplicate_of", format!("{original_key} findes ikke.")));
    };
    if original == row.id {
        return Err(AppError::field("duplicate_of", "Et ændringsønske kan ikke være dublet af sig selv."));
    }
    let target = aendringer::get(tx, original).await?.ok_or(AppError::Internal)?;
    if status_of(&target)? == Status::Dublet {
        return Err(AppError::field("duplicate_of", format!("{original_key} er selv en dublet; vælg originalen.")));
    }
    for k in aendringer::kommuner(tx, row.id).await? {
        aendringer::add_kommune(tx, original, k as u16, Some(row.id)).await?;
    }
    aendringer::set_duplicate_of(tx, row.id, original).await?;
    Ok(original_key.to_string())
}

/// The one appeal a kommune may make of a rejection, with its MinSupport SagsID and a reason.
pub async fn appeal(
    ctx: &AppContext,
    user: &SessionUser,
    id: i64,
    draft: &crate::domain::aendring::AppealDraft,
) -> Result<(), AppError> {
    super::require_role(ctx, user, &[Role::Supportberettiget], "klage over afvisning").await?;
    let kommune = user.kommune.ok_or(AppError::Forbidden)?;
    let valid = crate::domain::aendring::validate_appeal(draft)?;
    let user = user.clone();
    ctx.write(move |tx| Box::pin(appeal_in(tx, user, kommune, id, valid))).await
}

async fn appeal_in(
    tx: &mut WriteTx,
    user: SessionUser,
    kommune: crate::domain::Kommunenr,
    id: i64,
    valid: crate::domain::aendring::AppealDraft,
) -> Result<(), AppError> {
    let row = aendringer::get(tx, id).await?.ok_or_else(|| AppError::NotFound("Ændringsønsket".into()))?;
    let wants = aendringer::kommuner(tx, id).await?.contains(&i64::from(kommune.get()));
    if !wants {
        return Err(AppError::Refused("Kun en kommune, der har meldt ønsket ind, kan klage over afvisningen.".into()));
    }
    let already = aendringer::appeals(tx, id).await?.iter().any(|a| a.kommune == i64::from(kommune.get()));
    crate::domain::aendring::may_appeal(status_of(&row)?, already)?;
    let now = clock::stamp(clock::now());
    aendringer::insert_appeal(tx, id, kommune.get(), user.id, &valid.sagsid, &valid.begrundelse, &now).await?;
    aendringer::record_event(
        tx,
        id,
        aendringer::NewEvent {
            at: &now,
            actor: &user.username,
            action: "klage",
            from: None,
            to: None,
            note: &format!("SagsID {}: {}", valid.sagsid, valid.begrundelse),
        },
    )
    .await?;
    // KOMBIT decides it in its appeal queue (/klager), and is told by mail too (KY@kombit.dk).
    crate::store::aendring::notices::queue_mail(
        tx,
        "KY@kombit.dk",
        &format!("Afvist ændringsønske vurderes kritisk {} ({})", valid.sagsid, row.key),
        &format!(
            "{} ({}) klager over afvisningen af {}: {}\n\n{}",
            kommune.navn(),
            kommune,
            row.key,
            row.titel,
            valid.begrundelse
        ),
        &now,
    )
    .await?;
    Ok(())
}

/// The leverandør's rough estimate with a note; `hours` as typed in the form, read with the
/// rule the form itself checks with (`domain::aendring::parse_estimate_hours`).
pub async fn estimate(ctx: &AppContext, user: &SessionUser, id: i64, hours: &str, note: &str) -> Result<(), AppError> {
    super::require_role(ctx, user, &[Role::Leverandoer], "estimér ændringsønske").await?;
    let hours = parse_estimate_hours(hours)?;
    let (username, note) = (user.username.clone(), note.trim().to_string());
    ctx.write(move |tx| Box::pin(estimate_in(tx, username, id, hours, note))).await
}

async fn estimate_in(tx: &mut WriteTx, username: String, id: i64, hours: i64, note: String) -> Result<(), AppError> {
    let row = aendringer::get(tx, id).await?.ok_or_else(|| AppError::NotFound("Ændringsønsket".into()))?;
    if !matches!(status_of(&row)?, Status::Estimering | Status::Scoring | Status::EndeligPrioritering) {
        return Err(AppError::Refused("Ændringsønsket er ikke til estimering.".into()));
    }
    let now = clock::stamp(clock::now());
    aendringer::set_estimate(tx, id, hours, note.trim()).await?;
    aendringer::record_note(tx, id, &now, &username, "estimer", &format!("{hours} timer. {}", note.trim())).await?;
    Ok(())
}
