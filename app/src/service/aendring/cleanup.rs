//! The legacy clean-up: ændringsønsker filed before 1 November 2023 are reviewed by theme; ØIR ones go
//! to their own list; the rest not kept are rejected in bulk with a standard answer — first as
//! a dry run (how many, which kommuner get notices), then for real: one notice per requester
//! listing their ændringsønsker, and an audit entry per ændringsønske.

use super::{require_role, status_of};
use crate::clock;
use crate::domain::Role;
use crate::domain::aendring::cleanup::is_legacy;
use crate::domain::aendring::{Action, Status, transition};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::state::AppContext;
use crate::store::aendring::aendringer::{self, Filter};
use crate::store::aendring::bump_version;
use crate::store::audit::{self, AuditAction, AuditEntry};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::domain::aendring::cleanup::STANDARD_ANSWER;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkRejection {
    /// Themes whose legacy ændringsønsker are rejected.
    pub themes: Vec<String>,
    /// Ændringsønske keys kept despite their theme.
    pub keep: Vec<String>,
    pub answer: String,
    /// The number the dry run showed and KOMBIT confirmed; the run refuses if it is no longer so.
    pub expected: Option<usize>,
}

pub use crate::model::aendring::BulkPreview;

async fn targets(conn: &mut crate::store::Conn, b: &BulkRejection) -> Result<Vec<aendringer::AendringRow>, AppError> {
    let mut out = Vec::new();
    for theme in &b.themes {
        let f = Filter {
            statuses: vec![Status::Visitering.key().into()],
            legacy: Some(true),
            oeir: Some(false),
            theme: Some(theme.clone()),
            limit: 100_000,
            ..Default::default()
        };
        let ids = aendringer::ids(conn, &f).await?;
        for row in aendringer::by_ids(conn, &ids).await? {
            if is_legacy(&row.filed_at) && !b.keep.iter().any(|k| k.eq_ignore_ascii_case(&row.key)) {
                out.push(row);
            }
        }
    }
    Ok(out)
}

fn preview_of(rows: &[aendringer::AendringRow]) -> BulkPreview {
    let mut per_kommune: BTreeMap<u16, usize> = BTreeMap::new();
    let mut requesters: BTreeMap<(u16, Option<i64>), usize> = BTreeMap::new();
    for r in rows {
        *per_kommune.entry(r.kommune as u16).or_default() += 1;
        *requesters.entry((r.kommune as u16, r.requester_id)).or_default() += 1;
    }
    BulkPreview {
        aendringer: rows.len(),
        items: rows.iter().map(|r| (r.key.clone(), r.titel.clone())).collect(),
        kommuner: per_kommune
            .into_iter()
            .map(|(k, n)| {
                (k, crate::domain::Kommunenr::try_from(k).map(|k| k.navn().to_string()).unwrap_or_default(), n)
            })
            .collect(),
        notices: requesters.len(),
        done: false,
    }
}

/// The open legacy ændringsønsker' themes with how many each has (KOMBIT's clean-up page).
pub async fn themes(ctx: &AppContext, user: &SessionUser) -> Result<Vec<(String, i64)>, AppError> {
    require_role(ctx, user, &[Role::Kombit], "vis oprydningstemaer").await?;
    let mut conn = ctx.db.read.acquire().await?;
    Ok(aendringer::open_legacy_themes(&mut conn).await?)
}

/// How many would be rejected and who would be told — nothing is changed.
pub async fn preview(ctx: &AppContext, user: &SessionUser, b: &BulkRejection) -> Result<BulkPreview, AppError> {
    require_role(ctx, user, &[Role::Kombit], "forhåndsvis samlet afvisning").await?;
    let mut conn = ctx.db.read.acquire().await?;
    Ok(preview_of(&targets(&mut conn, b).await?))
}

pub async fn reject(ctx: &AppContext, user: &SessionUser, b: &BulkRejection) -> Result<BulkPreview, AppError> {
    require_role(ctx, user, &[Role::Kombit], "samlet afvisning").await?;
    let answer = if b.answer.trim().is_empty() { STANDARD_ANSWER.to_string() } else { b.answer.trim().to_string() };
    let (username, b) = (user.username.clone(), b.clone());
    let (rows, version) = ctx
        .write(move |tx| {
            Box::pin(async move {
                let rows = targets(tx, &b).await?;
                if let Some(expected) = b.expected
                    && expected != rows.len()
                {
                    return Err(AppError::Refused(format!(
                        "Temaerne rummer nu {} ventende ønsker, ikke de {expected}, prøvekørslen viste. Intet er afvist; lav prøvekørslen igen.",
                        rows.len()
                    )));
                }
                let now = clock::stamp(clock::now());
                let mut by_requester: BTreeMap<(u16, Option<i64>), Vec<String>> = BTreeMap::new();
                for row in &rows {
                    let from = status_of(row)?;
                    let to = transition(from, Action::Afvis, Role::Kombit)?;
                    if !aendringer::set_status(tx, row.id, row.version, from.key(), to.key(), Some(&now), Some(&answer))
                        .await?
                    {
                        return Err(AppError::Refused(format!(
                            "{} blev ændret undervejs; intet er afvist. Prøv igen.",
                            row.key
                        )));
                    }
                    aendringer::record_event(
                        tx,
                        row.id,
                        aendringer::NewEvent {
                            at: &now,
                            actor: &username,
                            action: "afvis",
                            from: Some(from.key()),
                            to: Some(to.key()),
                            note: "Samlet afvisning (oprydning)",
                        },
                    )
                    .await?;
                    let entry = AuditEntry {
                        actor: username.clone(),
                        kommune: Some(row.kommune as u16),
                        cpr: None,
                        action: AuditAction::BulkReject,
                        detail: format!("{} afvist i oprydningen af puljen (tema {})", row.key, row.theme),
                    };
                    audit::record(tx, &entry).await?;
                    by_requester
                        .entry((row.kommune as u16, row.requester_id))
                        .or_default()
                        .push(format!("{}: {}", row.key, row.titel));
                }
                for ((kommune, requester), list) in &by_requester {
                    let body =
                        format!("{answer}\n\nDet gælder disse {} ændringsønsker:\n- {}", list.len(), list.join("\n- "));
                    super::notify::tell(
                        tx,
                        *kommune,
                        *requester,
                        None,
                        "Ændringsønsker afvist i oprydningen af puljen",
                        &body,
                    )
                    .await?;
                }
                let version = bump_version(tx).await?;
                Ok::<_, AppError>((rows, version))
            })
        })
        .await?;
    super::publish(
        ctx,
        crate::model::aendring::AendringEvent {
            version,
            aendring_id: 0,
            cell: None,
            status: Some(Status::Afvist),
            weights_version: None,
            public: false,
            hoering: None,
            succes: false,
        },
    );
    Ok(BulkPreview { done: true, ..preview_of(&rows) })
}

/// Tags legacy ændringsønsker with a theme; the ØIR theme moves them to the ØIR list.
pub async fn tag(ctx: &AppContext, user: &SessionUser, keys: &[String], theme: &str) -> Result<u64, AppError> {
    require_role(ctx, user, &[Role::Kombit], "tag tema").await?;
    let theme = crate::domain::aendring::cleanup::validate_tagging(keys, theme)?;
    let (username, keys) = (user.username.clone(), keys.to_vec());
    ctx.write(move |tx| {
        Box::pin(async move {
            let mut ids = Vec::new();
            for key in &keys {
                match aendringer::ids_by_key(tx, key.trim()).await?.first() {
                    Some(id) => ids.push(*id),
                    None => return Err(AppError::field("keys", format!("{key} findes ikke."))),
                }
            }
            let oeir = crate::domain::aendring::cleanup::is_oeir_theme(&theme);
            let n = aendringer::set_theme(tx, &ids, &theme, oeir).await?;
            let now = clock::stamp(clock::now());
            for id in &ids {
                aendringer::record_event(
                    tx,
                    *id,
                    aendringer::NewEvent {
                        at: &now,
                        actor: &username,
                        action: "tema",
                        from: None,
                        to: None,
                        note: &format!("Tema: {theme}"),
                    },
                )
                .await?;
            }
            Ok(n)
        })
    })
    .await
}
