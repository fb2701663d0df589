//! Importing the legacy pool of change ændringsønsker (CSV, `;`-separated, one header row): all or
//! nothing, every error with line and column, idempotent by key.

use super::{Filing, new_aendring};
use crate::domain::aendring::{AendringDraft, Status, validate_draft};
use crate::domain::daekning::parse_date;
use crate::domain::{Kommunenr, Role};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::aendring::PoolImportReport;
use crate::service::import::ImportError;
use crate::state::AppContext;
use crate::store::aendring::{aendringer, bump_version};
use crate::store::audit::{AuditAction, AuditEntry};
use crate::store::users;

pub use crate::domain::aendring::cleanup::POOL_COLUMNS as COLUMNS;

#[derive(Debug)]
pub enum PoolImportFailure {
    Invalid(Vec<ImportError>),
    Internal(AppError),
}

impl From<AppError> for PoolImportFailure {
    fn from(e: AppError) -> Self {
        PoolImportFailure::Internal(e)
    }
}

impl From<sqlx::Error> for PoolImportFailure {
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        PoolImportFailure::Internal(AppError::from(e))
    }
}

/// Errors listed in a report; the rest are counted.
pub const MAX_LISTED_ERRORS: usize = 200;

/// KOMBIT's upload (page or CLI): the import, its errors as a report, and an audit entry.
pub async fn import_pool_as(
    ctx: &AppContext,
    user: &SessionUser,
    file_name: &str,
    data: &[u8],
) -> Result<PoolImportReport, AppError> {
    super::require_role(ctx, user, &[Role::Kombit], "puljeimport").await?;
    import_pool_reported(ctx, &user.username, file_name, data).await
}

/// The import as a report, audited under `actor` (a user, or `cli` for `arbejdsbord pool-import`).
pub async fn import_pool_reported(
    ctx: &AppContext,
    actor: &str,
    file_name: &str,
    data: &[u8],
) -> Result<PoolImportReport, AppError> {
    let mut report = PoolImportReport { file: file_name.to_string(), ..Default::default() };
    match import_pool(ctx, file_name, data).await {
        Ok((rows, new)) => {
            report.rows = rows;
            report.new = new;
        }
        Err(PoolImportFailure::Internal(e)) => return Err(e),
        Err(PoolImportFailure::Invalid(errors)) => {
            report.more = errors.len().saturating_sub(MAX_LISTED_ERRORS);
            report.errors = errors.iter().take(MAX_LISTED_ERRORS).map(ToString::to_string).collect();
        }
    }
    let detail = format!(
        "{file_name}: {} rækker, {} nye ønsker, {} fejl",
        report.rows,
        report.new,
        report.errors.len() + report.more
    );
    ctx.audit(vec![AuditEntry {
        actor: actor.to_string(),
        kommune: None,
        cpr: None,
        action: AuditAction::PoolImport,
        detail,
    }])
    .await?;
    Ok(report)
}

/// Imports the pool; returns (rows, new ændringsønsker).
pub async fn import_pool(ctx: &AppContext, file_name: &str, data: &[u8]) -> Result<(usize, usize), PoolImportFailure> {
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').flexible(true).from_reader(data);
    let err = |line: u64, column: &str, reason: String| ImportError {
        file: file_name.into(),
        line,
        column: column.into(),
        reason,
    };
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| PoolImportFailure::Invalid(vec![err(1, "-", e.to_string())]))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    let missing: Vec<ImportError> = COLUMNS
        .iter()
        .filter(|c| !header.iter().any(|h| h == *c))
        .map(|c| err(1, c, "kolonnen mangler i overskriften".into()))
        .collect();
    if !missing.is_empty() {
        return Err(PoolImportFailure::Invalid(missing));
    }
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or(0);
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(err(e.position().map(|p| p.line()).unwrap_or(0), "-", e.to_string()));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let get = |name: &str| record.get(col(name)).unwrap_or("").trim().to_string();
        let draft = AendringDraft {
            titel: get("titel"),
            udfordring: get("udfordring"),
            ydelsesarter: get("ydelsesarter"),
            omfang: get("omfang"),
            workaround: get("workaround"),
            type_: get("type"),
            beskrivelse: get("beskrivelse"),
            minsupport_sagsid: get("minsupport_sagsid"),
        };
        let valid = validate_draft(&draft)
            .map_err(|fs| fs.into_iter().map(|f| err(line, &f.field, f.message)).collect::<Vec<_>>());
        let kommune = Kommunenr::parse(&get("kommune")).map_err(|e| err(line, "kommune", e.to_string()));
        let filed = parse_date(&get("indmeldt")).map_err(|e| err(line, "indmeldt", e));
        let status = Status::parse(&get("status"))
            .ok_or_else(|| err(line, "status", format!("ukendt status {:?}", get("status"))));
        let closed = match get("lukket").as_str() {
            "" => Ok(None),
            d => parse_date(d).map(Some).map_err(|e| err(line, "lukket", e)),
        };
        let others: Result<Vec<Kommunenr>, ImportError> = get("kommuner")
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| Kommunenr::parse(s).map_err(|e| err(line, "kommuner", e.to_string())))
            .collect();
        let key = get("key");
        if key.is_empty() {
            errors.push(err(line, "key", "mangler".into()));
        }
        match (valid, kommune, filed, status, closed, others) {
            (Ok(v), Ok(k), Ok(f), Ok(s), Ok(c), Ok(o)) if !key.is_empty() => {
                parsed.push((key, v, k, f, s, c, o, get("tema")))
            }
            (v, k, f, s, c, o) => {
                if let Err(es) = v {
                    errors.extend(es);
                }
                errors.extend([k.err(), f.err(), s.err(), c.err(), o.err()].into_iter().flatten());
            }
        }
    }
    if !errors.is_empty() {
        return Err(PoolImportFailure::Invalid(errors));
    }
    ctx.db
        .write_as(move |tx| {
            Box::pin(async move {
                let mut new = 0;
                let rows = parsed.len();
                for (key, v, k, filed, status, closed, others, theme) in parsed {
                    if aendringer::exists_key(tx, &key).await? {
                        continue;
                    }
                    crate::store::kommune::ensure(tx, k).await?;
                    let filing = Filing {
                        key,
                        kommune: k.get(),
                        requester_id: users::support_user_of(tx, k.get()).await?,
                        status,
                        theme,
                        filed_at: filed.to_string(),
                        closed_at: closed.map(|c| c.to_string()),
                    };
                    let id = aendringer::insert(tx, &new_aendring(&v, filing)).await?;
                    for o in others {
                        aendringer::add_kommune(tx, id, o.get(), None).await?;
                    }
                    new += 1;
                }
                if new > 0 {
                    bump_version(tx).await?;
                }
                Ok((rows, new))
            })
        })
        .await
}
