//! KOMBIT triages a submitted answer: a category of the seed and a reply in the seed's form
//! (`domain::hoering`), guarded by the version KOMBIT saw. The kommune's høringsansvarlige are
//! told in their inbox. An answer for a later version ("KY 2.X") becomes an ændringsønske in the
//! pool, in visitering like any new one, linked both ways (`hoering_svar.aendring_id`).

use super::{hoering_event, refusal, state_of};
use crate::clock;
use crate::domain::Role;
use crate::domain::aendring::{AendringType, Status, ValidAendring};
use crate::domain::hoering::{self as rules, Triage};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::aendring::AendringEvent;
use crate::service::aendring::{Filing, audit_refusal, change_event, new_aendring, publish, require_role};
use crate::state::AppContext;
use crate::store::WriteTx;
use crate::store::aendring::aendringer;
use crate::store::hoering::{self as store, SvarRow, TriageWrite};

/// KOMBIT's reply form.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TriageForm {
    pub category: String,
    pub reply: String,
    pub arbejdsgruppen: String,
}

/// Triages (or re-triages) answer `id` seen at `version`. Returns the ændringsønske made from it,
/// if any.
pub async fn triage(
    ctx: &AppContext,
    user: &SessionUser,
    id: i64,
    version: i64,
    form: &TriageForm,
) -> Result<Option<i64>, AppError> {
    require_role(ctx, user, &[Role::Kombit], "behandl høringssvar").await?;
    let triage = rules::check_triage(&form.category, &form.reply, &form.arbejdsgruppen)?;
    let (u, form) = (user.clone(), form.clone());
    let result = ctx.write(move |tx| Box::pin(triage_in(tx, u, id, version, triage, form))).await;
    let (aendring, event) = audit_refusal(ctx, user, "behandl høringssvar", result).await?;
    publish(ctx, event);
    Ok(aendring)
}

async fn triage_in(
    tx: &mut WriteTx,
    u: SessionUser,
    id: i64,
    version: i64,
    triage: Triage,
    form: TriageForm,
) -> Result<(Option<i64>, AendringEvent), AppError> {
    let row = store::svar(tx, id).await?.ok_or_else(|| AppError::NotFound("Høringssvaret".into()))?;
    rules::may_triage(u.role, state_of(&row)?).map_err(refusal)?;
    let h = store::get(tx, row.hoering_id).await?.ok_or(AppError::Internal)?;
    let at = clock::stamp(clock::now());
    let arbejdsgruppen = Some(form.arbejdsgruppen.trim()).filter(|a| !a.is_empty());
    let write =
        TriageWrite { category: triage.key(), reply: form.reply.trim(), arbejdsgruppen, by: &u.username, at: &at };
    if !store::triage(tx, id, version, write).await? {
        return Err(AppError::Refused(
            "Svaret er behandlet af en anden i mellemtiden. Genindlæs siden og se deres svar.".into(),
        ));
    }
    let mut made = None;
    let mut event = None;
    if triage.makes_aendring() && row.aendring_id.is_none() {
        let (aendring_id, ev) = file_aendring(tx, &row, &h.title, &form.reply, &u.username, &at).await?;
        store::set_aendring(tx, id, aendring_id).await?;
        made = Some(aendring_id);
        event = Some(ev);
    }
    tell_kommune(tx, &row, &h.title, triage, &form.reply, arbejdsgruppen, made.or(row.aendring_id)).await?;
    let mut event = match event {
        Some(ev) => ev,
        None => hoering_event(tx, row.hoering_id).await?,
    };
    event.hoering = Some(row.hoering_id);
    Ok((made, event))
}

/// The answer as an ændringsønske in the pool: the kommune's words as the challenge, KOMBIT's
/// reply as the description, in visitering (the new process's first step), filed by the
/// answer's author for the answer's kommune.
async fn file_aendring(
    tx: &mut WriteTx,
    row: &SvarRow,
    hoering_title: &str,
    reply: &str,
    by: &str,
    at: &str,
) -> Result<(i64, AendringEvent), AppError> {
    let nr = row.nr.unwrap_or_default();
    let first_line: String = row.text.lines().next().unwrap_or_default().chars().take(80).collect();
    let valid = ValidAendring {
        titel: format!("Høringssvar nr. {nr}: {first_line}"),
        udfordring: row.text.clone(),
        ydelsesarter: vec!["Ikke angivet".into()],
        omfang: format!("Fra høring: {hoering_title}, svar nr. {nr}"),
        workaround: "Ikke angivet".into(),
        aendring_type: AendringType::Brugervenlighed,
        beskrivelse: reply.trim().to_string(),
        minsupport_sagsid: None,
    };
    let year = chrono::Datelike::year(&clock::local(clock::now()).date());
    let key = aendringer::next_key(tx, year).await?;
    let filing = Filing {
        key,
        kommune: row.kommune as u16,
        requester_id: Some(row.author_id),
        status: Status::Visitering,
        theme: String::new(),
        filed_at: at.to_string(),
        closed_at: None,
    };
    let id = aendringer::insert(tx, &new_aendring(&valid, filing)).await?;
    let note = format!("Fra høring: {hoering_title}, svar nr. {nr} (KY version 2.X)");
    let event =
        aendringer::NewEvent { at, actor: by, action: "fra høring", from: None, to: Some("visitering"), note: &note };
    aendringer::record_event(tx, id, event).await?;
    Ok((id, change_event(tx, id, None, Status::Visitering).await?))
}

/// Every høringsansvarlig of the answer's kommune gets the reply in the inbox and by mail
/// (`notify::tell_group`: their addresses, else the kommune's support address, else kept as
/// undeliverable for KOMBIT).
async fn tell_kommune(
    tx: &mut WriteTx,
    row: &SvarRow,
    hoering_title: &str,
    triage: Triage,
    reply: &str,
    arbejdsgruppen: Option<&str>,
    aendring_id: Option<i64>,
) -> Result<(), AppError> {
    let nr = row.nr.unwrap_or_default();
    let subject = format!("Svar på jeres høringssvar nr. {nr}: {}", triage.label());
    let mut body = format!(
        "KOMBIT har behandlet jeres høringssvar nr. {nr} til \"{hoering_title}\".\n\n{}",
        rules::format_reply(&row.text, triage, reply, arbejdsgruppen)
    );
    if let Some(a) = aendring_id {
        let key: Option<String> = aendringer::get(tx, a).await?.map(|r| r.key);
        body.push_str(&format!(
            "\n\nØnsket er gemt til senere prioritering som ændringsønske {}.",
            key.unwrap_or_default()
        ));
    }
    let ansvarlige = store::ansvarlige(tx, row.kommune).await?;
    crate::service::aendring::notify::tell_group(tx, row.kommune as u16, &ansvarlige, aendring_id, &subject, &body)
        .await?;
    Ok(())
}
