//! The roles of DOMAIN.md, and what each may see.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Sagsbehandler,
    Projektleder,
    Supportberettiget,
    Fagfaellesskab,
    Leverandoer,
    Kombit,
    Styregruppe,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Sagsbehandler,
        Role::Projektleder,
        Role::Supportberettiget,
        Role::Fagfaellesskab,
        Role::Leverandoer,
        Role::Kombit,
        Role::Styregruppe,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Role::Sagsbehandler => "sagsbehandler",
            Role::Projektleder => "projektleder",
            Role::Supportberettiget => "supportberettiget",
            Role::Fagfaellesskab => "fagfaellesskab",
            Role::Leverandoer => "leverandoer",
            Role::Kombit => "kombit",
            Role::Styregruppe => "styregruppe",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Sagsbehandler => "Sagsbehandler",
            Role::Projektleder => "Projektleder",
            Role::Supportberettiget => "Supportberettiget",
            Role::Fagfaellesskab => "Fagfællesskab",
            Role::Leverandoer => "Leverandør",
            Role::Kombit => "KOMBIT",
            Role::Styregruppe => "Styregruppe",
        }
    }

    /// Roles that belong to one kommune and see only its persons, fordringer and tasks.
    pub fn is_kommune_bound(self) -> bool {
        matches!(self, Role::Sagsbehandler | Role::Projektleder | Role::Supportberettiget)
    }

    /// Roles that work the MI 38 opgavepakker.
    pub fn works_tasks(self) -> bool {
        matches!(self, Role::Sagsbehandler | Role::Projektleder | Role::Kombit)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "ukendt rolle {0:?}; gyldige: sagsbehandler, projektleder, supportberettiget, fagfaellesskab, leverandoer, kombit, styregruppe"
)]
pub struct RoleError(pub String);

impl FromStr for Role {
    type Err = RoleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.key() == s.trim().to_lowercase()).ok_or_else(|| RoleError(s.to_string()))
    }
}
