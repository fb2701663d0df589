//! The audit log: every read or change of a person's data, and every refused access. Rows are
//! written through the one write path (`AppContext::audit`, or `record` inside a write job so
//! the row commits with the change it describes).

use super::Conn;
use crate::clock;

/// What was done. Stored as its Danish text, which is what an auditor reads in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "TEXT")]
pub enum AuditAction {
    #[sqlx(rename = "adgang nægtet")]
    Refused,
    #[sqlx(rename = "vis opgave")]
    ShowTask,
    #[sqlx(rename = "vis opgaveliste")]
    ShowTaskList,
    #[sqlx(rename = "løs opgave")]
    ResolveTask,
    #[sqlx(rename = "modtag dækning")]
    ReceiveDaekning,
    #[sqlx(rename = "afslut bevilling")]
    CloseBevilling,
    #[sqlx(rename = "afslut bevilling afvist")]
    CloseBevillingRefused,
    #[sqlx(rename = "samlet afvisning")]
    BulkReject,
    #[sqlx(rename = "puljeimport")]
    PoolImport,
    #[sqlx(rename = "login spærret")]
    LoginLocked,
    #[sqlx(rename = "plan ændret")]
    PlanChanged,
    #[sqlx(rename = "automatisering anmodet")]
    AutomationRequested,
    #[sqlx(rename = "automatisering slået til")]
    AutomationSwitchedOn,
    #[sqlx(rename = "vis rapport")]
    ShowReport,
    #[sqlx(rename = "eksporter rapport")]
    ExportReport,
    #[sqlx(rename = "tildel person")]
    HandOver,
    #[sqlx(rename = "tag person tilbage")]
    TakeBack,
    #[sqlx(rename = "overtag opgave")]
    TakeOverTask,
    #[sqlx(rename = "træk stikprøve")]
    DrawStikproeve,
    #[sqlx(rename = "vis stikprøvepunkt")]
    ShowStikproeveItem,
    #[sqlx(rename = "kontrollér stikprøvepunkt")]
    CheckStikproeveItem,
    #[sqlx(rename = "beslut bevillingstype")]
    BevillingstypeDecided,
    #[sqlx(rename = "planpunkt ændret")]
    PlanpunktChanged,
    #[sqlx(rename = "vis bevillingstype")]
    ShowBevillingstype,
    #[sqlx(rename = "eksporter gennemgang")]
    ExportReview,
    #[sqlx(rename = "katalog ændret")]
    CatalogueChanged,
    #[sqlx(rename = "KLIK-status ændret")]
    KlikStatusChanged,
    #[sqlx(rename = "estimat ændret")]
    EstimatChanged,
    #[sqlx(rename = "supportadresse ændret")]
    SupportAddressChanged,
    #[sqlx(rename = "ændringsønsker overdraget")]
    AendringerHandedOver,
    #[sqlx(rename = "meddelelse sendt igen")]
    MailResent,
    #[sqlx(rename = "succeskriterier ændret")]
    SuccesChanged,
    #[sqlx(rename = "måling registreret")]
    MaalingRecorded,
    #[sqlx(rename = "bruger fjernet")]
    UserRemoved,
    #[sqlx(rename = "rolle ændret")]
    RoleChanged,
    #[sqlx(rename = "adgangskode ændret")]
    PasswordChanged,
    #[sqlx(rename = "sessioner afsluttet")]
    SessionsEnded,
    #[sqlx(rename = "søg i revisionslog")]
    SearchAuditLog,
    #[sqlx(rename = "eksporter revisionslog")]
    ExportAuditLog,
    #[sqlx(rename = "revisionslog slettet efter frist")]
    PurgeAuditLog,
}

impl AuditAction {
    /// Every action, for the search page's list.
    pub const ALL: [AuditAction; 40] = [
        AuditAction::Refused,
        AuditAction::ShowTask,
        AuditAction::ShowTaskList,
        AuditAction::ResolveTask,
        AuditAction::ReceiveDaekning,
        AuditAction::CloseBevilling,
        AuditAction::CloseBevillingRefused,
        AuditAction::BulkReject,
        AuditAction::PoolImport,
        AuditAction::LoginLocked,
        AuditAction::PlanChanged,
        AuditAction::AutomationRequested,
        AuditAction::AutomationSwitchedOn,
        AuditAction::ShowReport,
        AuditAction::ExportReport,
        AuditAction::HandOver,
        AuditAction::TakeBack,
        AuditAction::TakeOverTask,
        AuditAction::DrawStikproeve,
        AuditAction::ShowStikproeveItem,
        AuditAction::CheckStikproeveItem,
        AuditAction::BevillingstypeDecided,
        AuditAction::PlanpunktChanged,
        AuditAction::ShowBevillingstype,
        AuditAction::ExportReview,
        AuditAction::CatalogueChanged,
        AuditAction::KlikStatusChanged,
        AuditAction::EstimatChanged,
        AuditAction::SupportAddressChanged,
        AuditAction::AendringerHandedOver,
        AuditAction::MailResent,
        AuditAction::SuccesChanged,
        AuditAction::MaalingRecorded,
        AuditAction::UserRemoved,
        AuditAction::RoleChanged,
        AuditAction::PasswordChanged,
        AuditAction::SessionsEnded,
        AuditAction::SearchAuditLog,
        AuditAction::ExportAuditLog,
        AuditAction::PurgeAuditLog,
    ];

    /// The stored text (what sqlx writes; held equal by `tests::the_text_is_the_stored_name`).
    pub fn text(self) -> &'static str {
        match self {
            AuditAction::Refused => "adgang nægtet",
            AuditAction::ShowTask => "vis opgave",
            AuditAction::ShowTaskList => "vis opgaveliste",
            AuditAction::ResolveTask => "løs opgave",
            AuditAction::ReceiveDaekning => "modtag dækning",
            AuditAction::CloseBevilling => "afslut bevilling",
            AuditAction::CloseBevillingRefused => "afslut bevilling afvist",
            AuditAction::BulkReject => "samlet afvisning",
            AuditAction::PoolImport => "puljeimport",
            AuditAction::LoginLocked => "login spærret",
            AuditAction::PlanChanged => "plan ændret",
            AuditAction::AutomationRequested => "automatisering anmodet",
            AuditAction::AutomationSwitchedOn => "automatisering slået til",
            AuditAction::ShowReport => "vis rapport",
            AuditAction::ExportReport => "eksporter rapport",
            AuditAction::HandOver => "tildel person",
            AuditAction::TakeBack => "tag person tilbage",
            AuditAction::TakeOverTask => "overtag opgave",
            AuditAction::DrawStikproeve => "træk stikprøve",
            AuditAction::ShowStikproeveItem => "vis stikprøvepunkt",
            AuditAction::CheckStikproeveItem => "kontrollér stikprøvepunkt",
            AuditAction::BevillingstypeDecided => "beslut bevillingstype",
            AuditAction::PlanpunktChanged => "planpunkt ændret",
            AuditAction::ShowBevillingstype => "vis bevillingstype",
            AuditAction::ExportReview => "eksporter gennemgang",
            AuditAction::CatalogueChanged => "katalog ændret",
            AuditAction::KlikStatusChanged => "KLIK-status ændret",
            AuditAction::EstimatChanged => "estimat ændret",
            AuditAction::SupportAddressChanged => "supportadresse ændret",
            AuditAction::AendringerHandedOver => "ændringsønsker overdraget",
            AuditAction::MailResent => "meddelelse sendt igen",
            AuditAction::SuccesChanged => "succeskriterier ændret",
            AuditAction::MaalingRecorded => "måling registreret",
            AuditAction::UserRemoved => "bruger fjernet",
            AuditAction::RoleChanged => "rolle ændret",
            AuditAction::PasswordChanged => "adgangskode ændret",
            AuditAction::SessionsEnded => "sessioner afsluttet",
            AuditAction::SearchAuditLog => "søg i revisionslog",
            AuditAction::ExportAuditLog => "eksporter revisionslog",
            AuditAction::PurgeAuditLog => "revisionslog slettet efter frist",
        }
    }
}

/// One audit row.
#[derive(Clone, Debug)]
pub struct AuditEntry {
    pub actor: String,
    pub kommune: Option<u16>,
    pub cpr: Option<String>,
    pub action: AuditAction,
    pub detail: String,
}

impl AuditEntry {
    /// One entry per person shown (a list of tasks, a report), each person once.
    pub fn per_cpr<'a>(
        actor: &str,
        kommune: u16,
        cprs: impl IntoIterator<Item = &'a str>,
        action: AuditAction,
        detail: &str,
    ) -> Vec<AuditEntry> {
        let mut cprs: Vec<&str> = cprs.into_iter().collect();
        cprs.sort_unstable();
        cprs.dedup();
        cprs.into_iter()
            .map(|cpr| AuditEntry {
                actor: actor.to_string(),
                kommune: Some(kommune),
                cpr: Some(cpr.to_string()),
                action,
                detail: detail.to_string(),
            })
            .collect()
    }
}

pub async fn record(conn: &mut Conn, entry: &AuditEntry) -> Result<(), sqlx::Error> {
    record_all(conn, std::slice::from_ref(entry)).await
}

/// All entries in one statement per 1,000 rows (SQLite's bound on parameters).
pub async fn record_all(conn: &mut Conn, entries: &[AuditEntry]) -> Result<(), sqlx::Error> {
    record_all_at(conn, &clock::stamp(clock::now()), entries).await
}

/// `record_all` with the time given (a stamp): for tests of the retention, and data moved in.
pub async fn record_all_at(conn: &mut Conn, at: &str, entries: &[AuditEntry]) -> Result<(), sqlx::Error> {
    for chunk in entries.chunks(1_000) {
        on_each!(conn, |cx| {
            let mut qb = sqlx::QueryBuilder::new("INSERT INTO audit_log (at, actor, kommune, cpr, action, detail) ");
            qb.push_values(chunk, |mut row, e| {
                row.push_bind(at.to_string())
                    .push_bind(e.actor.clone())
                    .push_bind(e.kommune.map(i64::from))
                    .push_bind(e.cpr.clone())
                    .push_bind(e.action)
                    .push_bind(e.detail.clone());
            });
            qb.build().execute(cx).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow, PartialEq, Eq)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub kommune: Option<i64>,
    pub cpr: Option<String>,
    pub action: String,
    pub detail: String,
}

pub async fn for_cpr(conn: &mut Conn, cpr: &str) -> Result<Vec<AuditRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT at, actor, kommune, cpr, action, detail FROM audit_log WHERE cpr = $1 ORDER BY id"
    )
    .bind(cpr)
    .fetch_all(cx)
    .await)
}

pub async fn by_action(conn: &mut Conn, action: AuditAction) -> Result<Vec<AuditRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT at, actor, kommune, cpr, action, detail FROM audit_log WHERE action = $1 ORDER BY id"
    )
    .bind(action)
    .fetch_all(cx)
    .await)
}

/// What a search of a kommune's audit log asks for; every part optional. `from`/`to` are stamps
/// (`to` exclusive).
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub cpr: Option<String>,
    pub actor: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub action: Option<String>,
}

/// One row of a search, with its id (newest first; `before` pages on).
#[derive(Clone, Debug, sqlx::FromRow, PartialEq, Eq)]
pub struct AuditHit {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub cpr: Option<String>,
    pub action: String,
    pub detail: String,
}

/// The kommune's audit rows matching `filter`, newest first, at most `limit`, older than the
/// row `before` when given. Only the conditions asked for are in the statement: `audit_by_cpr`
/// for a CPR, else `audit_by_kommune` (kommune, id) read backwards.
pub async fn search(
    conn: &mut Conn,
    kommune: u16,
    filter: &AuditFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditHit>, sqlx::Error> {
    on_each!(conn, |cx| {
        // A person's rows are few: with a CPR the unary plus keeps SQLite (no statistics by
        // default) off the kommune's index and on `audit_by_cpr`; PostgreSQL plans by its own.
        let kommune_is = if filter.cpr.is_some() { "+kommune = " } else { "kommune = " };
        let mut qb = sqlx::QueryBuilder::new("SELECT id, at, actor, cpr, action, detail FROM audit_log WHERE ");
        qb.push(kommune_is);
        qb.push_bind(i64::from(kommune));
        if let Some(cpr) = &filter.cpr {
            qb.push(" AND cpr = ").push_bind(cpr.clone());
        }
        if let Some(actor) = &filter.actor {
            qb.push(" AND lower(actor) = lower(").push_bind(actor.clone()).push(")");
        }
        if let Some(from) = &filter.from {
            qb.push(" AND at >= ").push_bind(from.clone());
        }
        if let Some(to) = &filter.to {
            qb.push(" AND at < ").push_bind(to.clone());
        }
        if let Some(action) = &filter.action {
            qb.push(" AND action = ").push_bind(action.clone());
        }
        if let Some(before) = before {
            qb.push(" AND id < ").push_bind(before);
        }
        qb.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(cx).await
    })
}

/// Deletes up to `batch` of the oldest audit rows written before `cutoff` (a stamp); returns
/// how many. The purge calls it in write jobs of their own until it returns 0, so a purge of
/// millions of rows never holds the one writer for long.
pub async fn purge_before(conn: &mut Conn, cutoff: &str, batch: i64) -> Result<u64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < $1 ORDER BY at LIMIT $2)"
    )
    .bind(cutoff)
    .bind(batch)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
}

/// The newest row of `action` among those of no kommune (the last purge, for the search page):
/// `audit_by_kommune` reads the few rows without a kommune backwards, not the whole log.
pub async fn latest_without_kommune(conn: &mut Conn, action: AuditAction) -> Result<Option<AuditRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT at, actor, kommune, cpr, action, detail FROM audit_log
         WHERE kommune IS NULL AND action = $1 ORDER BY id DESC LIMIT 1"
    )
    .bind(action)
    .fetch_optional(cx)
    .await)
}

#[cfg(test)]
mod tests {
    use super::AuditAction;
    use sqlx::Connection;

    #[tokio::test]
    async fn the_text_is_the_stored_name() {
        let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:").await.unwrap();
        for action in AuditAction::ALL {
            let stored: String = sqlx::query_scalar("SELECT ?").bind(action).fetch_one(&mut conn).await.unwrap();
            assert_eq!(stored, action.text());
        }
    }
}
