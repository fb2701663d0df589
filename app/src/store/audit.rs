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
    let at = clock::stamp(clock::now());
    for chunk in entries.chunks(1_000) {
        on_each!(conn, |cx| {
            let mut qb = sqlx::QueryBuilder::new("INSERT INTO audit_log (at, actor, kommune, cpr, action, detail) ");
            qb.push_values(chunk, |mut row, e| {
                row.push_bind(at.clone())
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
