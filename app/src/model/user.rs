//! The logged-in user as the browser sees it (no hash, no secrets).

use crate::domain::{Kommunenr, Role};
use serde::{Deserialize, Serialize};

/// The password of every demo user. Kept here, not in `fixtures`, because the login page (in
/// `app`) shows it and `app` cannot depend on `fixtures`; `fixtures` creates the users with it.
pub const DEMO_PASSWORD: &str = "demo1234";

/// The login page's help for the demo: one user per role and place, and their password.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoUsers {
    /// (username, "Rolle, sted")
    pub users: Vec<(String, String)>,
    pub password: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub kommune: Option<Kommunenr>,
    pub fagfaellesskab: Option<String>,
}

impl SessionUser {
    /// Whether this user may see the data of `kommune`: their own kommune (roles that see a
    /// kommune's persons), or any for KOMBIT.
    pub fn may_see_kommune(&self, kommune: Kommunenr) -> bool {
        self.role == Role::Kombit || (self.role.sees_kommune_data() && self.kommune == Some(kommune))
    }

    /// The line under the name in the header: "Sagsbehandler · Aarhus (751)".
    pub fn affiliation(&self) -> String {
        match (&self.kommune, &self.fagfaellesskab) {
            (Some(k), _) => format!("{} · {} ({k})", self.role.label(), k.navn()),
            (None, Some(f)) => format!("{} · {f}", self.role.label()),
            _ => self.role.label().to_string(),
        }
    }
}

/// Where a role's work starts.
pub fn home_of(role: Role) -> &'static str {
    match role {
        // The ændringsønske roles start on what waits for them (`/arbejdsliste`).
        Role::Kombit => "/arbejdsliste",
        r if r.works_tasks() => "/opgavepakker",
        Role::Styregruppe => "/vaegte",
        Role::Hoeringsansvarlig => "/hoeringer",
        Role::Databeskyttelse => "/revisionslog",
        _ => "/arbejdsliste",
    }
}
