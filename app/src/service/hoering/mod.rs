//! The hearing's use cases: KOMBIT opens a hearing; the kommuners' høringsansvarlige write,
//! save and submit answers until the deadline (`svar`); KOMBIT triages and replies, a reply
//! for a later version becomes an ændringsønske (`triage`); everyone reads the anonymised
//! answers (`public`). Who may do what is `domain::hoering`; every refusal is audited.

pub mod public;
pub mod svar;
pub mod triage;

use crate::clock;
use crate::domain::Role;
use crate::domain::hoering::{HoeringForm, HoeringRefusal, Summary, SvarState, Triage, validate_hoering};
use crate::domain::kommune::Kommunenr;
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::aendring::AendringEvent;
use crate::model::hoering::{AfsnitView, HoeringItem, HoeringView, SvarFilter, SvarView};
use crate::service::aendring::require_role;
use crate::state::AppContext;
use crate::store::hoering::{self as store, HoeringRow, SvarRow};
use crate::store::{Conn, WriteTx};

/// Who works with hearings: KOMBIT and the kommuners' høringsansvarlige.
const READERS: [Role; 2] = [Role::Kombit, Role::Hoeringsansvarlig];

/// A domain refusal as the app's error: access refusals are `Forbidden` (the caller audits
/// them), rules the user can read are `Refused` with their text.
pub fn refusal(r: HoeringRefusal) -> AppError {
    if r.is_access() { AppError::Forbidden } else { AppError::Refused(r.to_string()) }
}

/// Every hearing, newest first, with its summary (and the own kommune's count of answers).
pub async fn list(ctx: &AppContext, user: &SessionUser) -> Result<Vec<HoeringItem>, AppError> {
    require_role(ctx, user, &READERS, "vis høringer").await?;
    let mut conn = ctx.db.read.acquire().await?;
    let mut out = Vec::new();
    for h in store::all(&mut conn).await? {
        let own_answers = match (user.role, user.kommune) {
            (Role::Hoeringsansvarlig, Some(k)) => {
                Some(store::count_of_kommune(&mut conn, h.id, i64::from(k.get())).await? as usize)
            }
            _ => None,
        };
        out.push(HoeringItem {
            id: h.id,
            title: h.title.clone(),
            deadline: clock::display_date(&h.deadline),
            open: is_open(&h),
            summary: summary(&mut conn, h.id).await?,
            own_answers,
        });
    }
    Ok(out)
}

/// One hearing for its page: KOMBIT gets the triage queue (filtered), a høringsansvarlig the
/// own kommune's answers.
pub async fn view(ctx: &AppContext, user: &SessionUser, id: i64, filter: &SvarFilter) -> Result<HoeringView, AppError> {
    require_role(ctx, user, &READERS, "vis høring").await?;
    let mut conn = ctx.db.read.acquire().await?;
    let h = store::get(&mut conn, id).await?.ok_or_else(|| AppError::NotFound("Høringen".into()))?;
    let sections = store::afsnit(&mut conn, id).await?;
    let titles: std::collections::HashMap<i64, String> =
        sections.iter().map(|a| (a.id, format!("{} {}", a.number, a.title))).collect();
    let rows = match (user.role, user.kommune) {
        (Role::Kombit, _) => store::submitted(&mut conn, id)
            .await?
            .into_iter()
            .filter(|r| filter.afsnit_id.is_none_or(|a| a == r.afsnit_id))
            .filter(|r| match filter.category.as_str() {
                "" => true,
                "ubehandlet" => r.category.is_none(),
                key => r.category.as_deref() == Some(key),
            })
            .collect(),
        (_, Some(k)) => store::svar_of_kommune(&mut conn, id, i64::from(k.get())).await?,
        _ => Vec::new(),
    };
    let answers = rows.iter().map(|r| svar_view(r, &titles)).collect::<Result<Vec<_>, _>>()?;
    let open = is_open(&h);
    Ok(HoeringView {
        id: h.id,
        title: h.title.clone(),
        material: h.material.clone(),
        deadline: clock::display_date(&h.deadline),
        open,
        opened: format!("{} af {}", clock::display_stamp(&h.opened_at), h.opened_by),
        sections: sections.into_iter().map(|a| AfsnitView { id: a.id, number: a.number, title: a.title }).collect(),
        answers,
        summary: summary(&mut conn, id).await?,
        may_answer: open && user.role == Role::Hoeringsansvarlig && user.kommune.is_some(),
        may_triage: user.role == Role::Kombit,
    })
}

/// KOMBIT opens a hearing: title, material, sections ("3.2 Titel" a line) and a deadline.
pub async fn open(ctx: &AppContext, user: &SessionUser, form: &HoeringForm) -> Result<i64, AppError> {
    require_role(ctx, user, &[Role::Kombit], "åbn høring").await?;
    let valid = validate_hoering(form, clock::today())?;
    let (by, at) = (user.username.clone(), clock::stamp(clock::now()));
    ctx.write(move |tx| Box::pin(async move { insert_hoering(tx, &valid, &by, &at).await })).await
}

/// The hearing and its sections, inside a write job (also the demo's way in).
pub async fn insert_hoering(
    tx: &mut WriteTx,
    v: &crate::domain::hoering::ValidHoering,
    by: &str,
    at: &str,
) -> Result<i64, AppError> {
    let id = store::insert(tx, &v.title, &v.material, &v.deadline.to_string(), by, at).await?;
    for (i, a) in v.sections.iter().enumerate() {
        store::insert_afsnit(tx, id, &a.number, &a.title, i as i64).await?;
    }
    Ok(id)
}

pub fn is_open(h: &HoeringRow) -> bool {
    crate::domain::hoering::is_open(h.state == "lukket", deadline(h), clock::today())
}

pub fn deadline(h: &HoeringRow) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(&h.deadline, "%Y-%m-%d").unwrap_or(chrono::NaiveDate::MIN)
}

pub async fn summary(conn: &mut Conn, id: i64) -> Result<Summary, AppError> {
    let rows = store::summary_rows(conn, id).await?;
    Ok(Summary::of(rows.into_iter().map(|(k, c)| (k as u16, c.as_deref().and_then(Triage::parse)))))
}

pub fn state_of(r: &SvarRow) -> Result<SvarState, AppError> {
    SvarState::parse(&r.state).ok_or_else(|| {
        tracing::error!(id = r.id, state = %r.state, "unknown answer state in the database");
        AppError::Internal
    })
}

pub fn svar_view(r: &SvarRow, titles: &std::collections::HashMap<i64, String>) -> Result<SvarView, AppError> {
    Ok(SvarView {
        id: r.id,
        nr: r.nr,
        afsnit_id: r.afsnit_id,
        afsnit: titles.get(&r.afsnit_id).cloned().unwrap_or_default(),
        kommune: Kommunenr::name_of(r.kommune).to_string(),
        author: r.author.clone(),
        text: r.text.clone(),
        state: state_of(r)?,
        submitted_at: r.submitted_at.as_deref().map(clock::display_stamp),
        receipt: r.receipt.clone(),
        version: r.version,
        triage: r.category.as_deref().and_then(Triage::parse),
        reply: r.reply.clone(),
        arbejdsgruppen: r.arbejdsgruppen.clone(),
        triaged: r
            .triaged_at
            .as_deref()
            .map(|at| format!("{} af {}", clock::display_stamp(at), r.triaged_by.clone().unwrap_or_default())),
        aendring: r.aendring_id.zip(r.aendring_key.clone()),
    })
}

/// The live event of a hearing's change (inside the write: the version is bumped with it).
pub async fn hoering_event(conn: &mut Conn, hoering_id: i64) -> Result<AendringEvent, AppError> {
    let version = crate::store::aendring::bump_version(conn).await?;
    Ok(AendringEvent {
        version,
        aendring_id: 0,
        cell: None,
        status: None,
        weights_version: None,
        public: false,
        hoering: Some(hoering_id),
        succes: false,
    })
}
