//! Demo data: synthetic extracts (`demo-data`) and the whole demo (`demo-load`): three kommuner
//! imported through the real import, and demo users of every role. Idempotent.

pub mod aendringer;
pub mod extract;
pub mod pool;

use crate::domain::{Kommunenr, Role};
use crate::error::AppError;
use crate::service::auth::{self, NewAccount};
use crate::service::import::{ImportFailure, ImportOptions, ImportSummary, import_extract};
use crate::state::AppContext;
use crate::store::{tokens, users};
pub use extract::{DemoExtractOptions, DemoExtractStats, caseworkers, slug, write_demo_extract};

/// The password of every demo user (printed by `demo-load`).
pub const DEMO_PASSWORD: &str = "demo1234";

pub const DEMO_DEADLINE_MED: &str = "2027-01-25";
pub const DEMO_DEADLINE_UDEN: &str = "2027-06-30";

/// The demo kommuner and how many fordringer each gets.
pub const DEMO_KOMMUNER: [(u16, usize); 3] = [(751, 3_000), (461, 1_800), (860, 900)];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoLogin {
    pub username: String,
    pub role: Role,
    pub where_: String,
}

#[derive(Debug)]
pub struct DemoSummary {
    pub imports: Vec<ImportSummary>,
    /// (legacy requests in the pool file, newer requests through the pipeline)
    pub aendringer: (usize, usize),
    pub logins: Vec<DemoLogin>,
    /// (kommune, token) for the demo finance-system integration.
    pub tokens: Vec<(Kommunenr, String)>,
}

/// Users of every role: per kommune four caseworkers, a project lead and a support user; then
/// KOMBIT, the supplier, the steering group and three expert communities.
pub fn demo_accounts() -> Vec<NewAccount> {
    let mut out = Vec::new();
    let account =
        |username: String, display_name: &str, role: Role, kommune: Option<Kommunenr>, ff: Option<&str>| NewAccount {
            username,
            display_name: display_name.to_string(),
            password: DEMO_PASSWORD.to_string(),
            role,
            kommune,
            fagfaellesskab: ff.map(str::to_string),
            is_demo: true,
        };
    for (nr, _) in DEMO_KOMMUNER {
        let Ok(k) = Kommunenr::try_from(nr) else { continue };
        for (username, name) in caseworkers(k) {
            out.push(account(username, &name, Role::Sagsbehandler, Some(k), None));
        }
        let s = slug(k);
        out.push(account(
            format!("{s}.projektleder"),
            &format!("Projektleder {}", k.navn()),
            Role::Projektleder,
            Some(k),
            None,
        ));
        out.push(account(
            format!("{s}.support"),
            &format!("Support {}", k.navn()),
            Role::Supportberettiget,
            Some(k),
            None,
        ));
    }
    out.push(account("kombit".into(), "KOMBIT KY-team", Role::Kombit, None, None));
    out.push(account("netcompany".into(), "Netcompany (leverandør)", Role::Leverandoer, None, None));
    out.push(account("styregruppe".into(), "Kommunal styregruppe", Role::Styregruppe, None, None));
    let members = [
        "Hanne Lauritsen",
        "Peter Kragh",
        "Susanne Dam",
        "Jesper Friis",
        "Anja Vinther",
        "Ole Kjeldsen",
        "Birgitte Holt",
        "Kasper Lind",
        "Dorthe Krog",
    ];
    for (i, ff) in crate::domain::aendring::routing::FAGFAELLESSKABER.iter().enumerate() {
        for (j, username) in aendringer::scorer_usernames(ff).into_iter().enumerate() {
            let name = format!("{} (Fagfællesskab {ff})", members[i * 3 + j]);
            out.push(account(username, &name, Role::Fagfaellesskab, None, Some(ff)));
        }
    }
    out
}

/// The demo token of a kommune's finance system: fixed, so `demo-load` stays idempotent and
/// can print it every time. Never created outside demo data.
pub fn demo_token(k: Kommunenr) -> String {
    format!("ab_demo_{k}_oekonomisystem")
}

pub async fn load_demo(ctx: &AppContext, work_dir: &std::path::Path) -> Result<DemoSummary, ImportFailure> {
    let mut imports = Vec::new();
    let mut tokens_out = Vec::new();
    for (nr, n) in DEMO_KOMMUNER {
        let k = Kommunenr::try_from(nr).map_err(|_| AppError::Internal)?;
        let dir = work_dir.join(format!("demo-{k}"));
        write_demo_extract(&dir, &DemoExtractOptions { kommune: k, seed: 2026, fordringer: n })
            .map_err(AppError::from)?;
        imports.push(import_extract(&ctx.db, k, &dir, &ImportOptions::default()).await?);
        let token = demo_token(k);
        let hash = auth::hash_token(&token);
        ctx.write(move |tx| {
            Box::pin(async move {
                // The demo runs ahead of the next tax-year deadline (the source's was 25 January 2023).
                crate::store::kommune::set_deadlines(tx, k, DEMO_DEADLINE_MED, Some(DEMO_DEADLINE_UDEN)).await?;
                if tokens::lookup(tx, &hash).await?.is_none() {
                    tokens::insert(tx, k.get(), "demo-oekonomisystem", &hash).await?;
                }
                Ok::<_, AppError>(())
            })
        })
        .await?;
        tokens_out.push((k, token));
    }
    let mut logins = Vec::new();
    let mut conn = ctx.db.read.acquire().await.map_err(AppError::from)?;
    for account in demo_accounts() {
        let where_ = match (&account.kommune, &account.fagfaellesskab) {
            (Some(k), _) => format!("{} ({k})", k.navn()),
            (None, Some(ff)) => ff.clone(),
            _ => "–".into(),
        };
        let (username, role) = (account.username.clone(), account.role);
        if users::by_username(&mut conn, &username).await.map_err(AppError::from)?.is_none() {
            auth::create_user(&ctx.db, account).await?;
        }
        logins.push(DemoLogin { username, role, where_ });
    }
    drop(conn);
    // After the users: legacy requests belong to the kommune's support user; scores to the members.
    let aendringer = aendringer::load(ctx, work_dir).await?;
    Ok(DemoSummary { imports, logins, tokens: tokens_out, aendringer })
}
