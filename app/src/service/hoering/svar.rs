//! A kommune's høringsansvarlig writes answers: a new draft against a section, saved as often as
//! needed, then submitted — locked, numbered, with a receipt in the inbox. Only until the
//! deadline, only for the own kommune (`domain::hoering::may_write`, checked in the write job on
//! the rows as they are then). A change made in between (another tab, a colleague) is a
//! conflict, not an overwrite.

use super::{hoering_event, refusal, state_of};
use crate::clock;
use crate::domain::Role;
use crate::domain::hoering::{self as rules, SvarState};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::service::aendring::{audit_refusal, publish, require_role};
use crate::state::AppContext;
use crate::store::WriteTx;
use crate::store::aendring::notices;
use crate::store::hoering::{self as store, NewSvar};

const CHANGED: &str = "Svaret er ændret eller indsendt i mellemtiden. Genindlæs siden.";

/// A new draft against a section of an open hearing; returns its id.
pub async fn new_draft(
    ctx: &AppContext,
    user: &SessionUser,
    hoering_id: i64,
    afsnit_id: i64,
    text: &str,
) -> Result<i64, AppError> {
    require_role(ctx, user, &[Role::Hoeringsansvarlig], "skriv høringssvar").await?;
    let errors = rules::check_long_text("text", text, "jeres svar");
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let kommune = user.kommune.ok_or(AppError::Forbidden)?;
    let (u, text, at) = (user.clone(), text.trim().to_string(), clock::stamp(clock::now()));
    let result = ctx
        .write(move |tx| {
            Box::pin(async move {
                let h = store::get(tx, hoering_id).await?.ok_or_else(|| AppError::NotFound("Høringen".into()))?;
                if !store::afsnit(tx, hoering_id).await?.iter().any(|a| a.id == afsnit_id) {
                    return Err(AppError::field("afsnit", "Vælg et afsnit i høringen."));
                }
                check(&u, kommune.get(), SvarState::Kladde, &h)?;
                let svar = NewSvar {
                    hoering_id,
                    afsnit_id,
                    kommune: i64::from(kommune.get()),
                    author_id: u.id,
                    text: &text,
                    at: &at,
                };
                Ok(store::insert_draft(tx, svar).await?)
            })
        })
        .await;
    audit_refusal(ctx, user, "skriv høringssvar", result).await
}

/// Saves a draft seen at `version` (text and section).
pub async fn save_draft(
    ctx: &AppContext,
    user: &SessionUser,
    id: i64,
    version: i64,
    afsnit_id: i64,
    text: &str,
) -> Result<(), AppError> {
    require_role(ctx, user, &[Role::Hoeringsansvarlig], "gem høringssvar").await?;
    let errors = rules::check_long_text("text", text, "jeres svar");
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let (u, text, at) = (user.clone(), text.trim().to_string(), clock::stamp(clock::now()));
    let result = ctx
        .write(move |tx| {
            Box::pin(async move {
                let (row, _) = checked_row(tx, &u, id).await?;
                if !store::afsnit(tx, row.hoering_id).await?.iter().any(|a| a.id == afsnit_id) {
                    return Err(AppError::field("afsnit", "Vælg et afsnit i høringen."));
                }
                if !store::save_draft(tx, id, version, afsnit_id, &text, &at).await? {
                    return Err(AppError::Refused(CHANGED.into()));
                }
                Ok(())
            })
        })
        .await;
    audit_refusal(ctx, user, "gem høringssvar", result).await
}

/// Submits a draft seen at `version`: it is locked, gets its number and a receipt, and the
/// receipt goes to the submitter's inbox. Returns the receipt.
pub async fn submit(ctx: &AppContext, user: &SessionUser, id: i64, version: i64) -> Result<String, AppError> {
    require_role(ctx, user, &[Role::Hoeringsansvarlig], "indsend høringssvar").await?;
    let u = user.clone();
    let result = ctx.write(move |tx| Box::pin(submit_in(tx, u, id, version))).await;
    let (receipt, event) = audit_refusal(ctx, user, "indsend høringssvar", result).await?;
    publish(ctx, event);
    Ok(receipt)
}

async fn submit_in(
    tx: &mut WriteTx,
    u: SessionUser,
    id: i64,
    version: i64,
) -> Result<(String, crate::model::aendring::AendringEvent), AppError> {
    let (row, h) = checked_row(tx, &u, id).await?;
    let now = clock::now();
    let at = clock::stamp(now);
    let nr = store::next_nr(tx, row.hoering_id).await?;
    let receipt = rules::receipt(chrono::Datelike::year(&clock::local(now).date()), row.hoering_id, nr);
    if !store::submit(tx, id, version, nr, &receipt, &at).await? {
        return Err(AppError::Refused(CHANGED.into()));
    }
    let subject = format!("Kvittering: {receipt}");
    let body = format!(
        "Jeres høringssvar nr. {nr} til \"{}\" er modtaget {}.\n\nKvittering: {receipt}\n\n'{}'",
        h.title,
        clock::display_stamp(&at),
        row.text
    );
    notices::insert(tx, u.id, None, &at, &subject, &body).await?;
    let event = hoering_event(tx, row.hoering_id).await?;
    Ok((receipt, event))
}

/// The answer, checked for the user: their kommune's, a draft, the hearing open.
async fn checked_row(
    tx: &mut WriteTx,
    u: &SessionUser,
    id: i64,
) -> Result<(store::SvarRow, store::HoeringRow), AppError> {
    let row = store::svar(tx, id).await?.ok_or_else(|| AppError::NotFound("Høringssvaret".into()))?;
    let h = store::get(tx, row.hoering_id).await?.ok_or(AppError::Internal)?;
    check(u, row.kommune as u16, state_of(&row)?, &h)?;
    Ok((row, h))
}

fn check(u: &SessionUser, kommune: u16, state: SvarState, h: &store::HoeringRow) -> Result<(), AppError> {
    rules::may_write(
        u.role,
        u.kommune.map(|k| k.get()),
        kommune,
        state,
        h.state == "lukket",
        super::deadline(h),
        clock::today(),
    )
    .map_err(refusal)
}
