//! The published hearing: every submitted answer with KOMBIT's reply, anonymised — no kommune,
//! no person, no receipt — for anyone, as a page, JSON and CSV. Drafts are never published.

use super::summary;
use crate::clock;
use crate::domain::csv_cell;
use crate::domain::hoering::Triage;
use crate::error::AppError;
use crate::model::hoering::{PublicHoering, PublicSvar};
use crate::state::AppContext;
use crate::store::hoering as store;

pub async fn public(ctx: &AppContext, id: i64) -> Result<PublicHoering, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let h = store::get(&mut conn, id).await?.ok_or_else(|| AppError::NotFound("Høringen".into()))?;
    let sections = store::afsnit(&mut conn, id).await?;
    let mut rows = store::submitted(&mut conn, id).await?;
    rows.sort_by_key(|r| r.nr);
    let svar = rows
        .into_iter()
        .map(|r| {
            let triage = r.category.as_deref().and_then(Triage::parse);
            let afsnit = sections.iter().find(|a| a.id == r.afsnit_id);
            PublicSvar {
                nr: r.nr.unwrap_or_default(),
                afsnit: afsnit.map(|a| a.number.clone()).unwrap_or_default(),
                afsnit_titel: afsnit.map(|a| a.title.clone()).unwrap_or_default(),
                svar: r.text,
                kategori: triage.map(|t| t.key().to_string()),
                kategori_tekst: triage.map(Triage::full_label),
                overskrift: triage.map(|t| t.reply_heading().to_string()),
                kommentar: r.reply.filter(|_| triage.is_some()),
                arbejdsgruppen: r.arbejdsgruppen.filter(|_| triage.is_some()),
            }
        })
        .collect();
    Ok(PublicHoering {
        id: h.id,
        titel: h.title.clone(),
        frist: clock::display_date(&h.deadline),
        opsummering: summary(&mut conn, id).await?,
        svar,
    })
}

/// The answers as CSV: `;`-separated, a byte-order mark so Danish Excel reads æøå, and every
/// text cell through `csv_cell` (an answer starting with `=` is not a formula).
pub fn public_csv(h: &PublicHoering) -> Result<String, AppError> {
    let csv_err = |e: csv::Error| {
        tracing::error!(%e, "hearing csv");
        AppError::Internal
    };
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    w.write_record(["nr", "afsnit", "afsnit_titel", "svar", "kategori", "overskrift", "kommentar", "arbejdsgruppen"])
        .map_err(csv_err)?;
    for s in &h.svar {
        let cell = |t: &Option<String>| csv_cell(t.as_deref().unwrap_or_default()).into_owned();
        w.write_record([
            s.nr.to_string(),
            csv_cell(&s.afsnit).into_owned(),
            csv_cell(&s.afsnit_titel).into_owned(),
            csv_cell(&s.svar).into_owned(),
            cell(&s.kategori),
            cell(&s.overskrift),
            cell(&s.kommentar),
            cell(&s.arbejdsgruppen),
        ])
        .map_err(csv_err)?;
    }
    let body = String::from_utf8(w.into_inner().map_err(|_| AppError::Internal)?).map_err(|_| AppError::Internal)?;
    Ok(format!("\u{feff}{body}"))
}
