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
    /// A kommune's person responsible for a hearing: submits its answers, reads KOMBIT's replies.
    /// Bound to a kommune, but sees none of its persons, fordringer or tasks.
    Hoeringsansvarlig,
    /// A kommune's data-protection officer: searches and exports the audit log of their kommune
    /// (who looked at whom), with its project lead. Sees no persons, fordringer or tasks
    /// otherwise.
    Databeskyttelse,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Sagsbehandler,
        Role::Projektleder,
        Role::Supportberettiget,
        Role::Fagfaellesskab,
        Role::Leverandoer,
        Role::Kombit,
        Role::Styregruppe,
        Role::Hoeringsansvarlig,
        Role::Databeskyttelse,
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
            Role::Hoeringsansvarlig => "hoeringsansvarlig",
            Role::Databeskyttelse => "databeskyttelse",
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
            Role::Hoeringsansvarlig => "Høringsansvarlig",
            Role::Databeskyttelse => "Databeskyttelse",
        }
    }

    /// Roles that belong to one kommune (a user of such a role has a kommune).
    pub fn is_kommune_bound(self) -> bool {
        self.sees_kommune_data() || matches!(self, Role::Hoeringsansvarlig | Role::Databeskyttelse)
    }

    /// Roles that search and export their kommune's audit log (who looked at whom).
    pub fn reads_audit_log(self) -> bool {
        matches!(self, Role::Projektleder | Role::Databeskyttelse)
    }

    /// Kommune-bound roles that see their kommune's persons, fordringer and tasks. The
    /// høringsansvarlig belongs to a kommune but sees none of them.
    pub fn sees_kommune_data(self) -> bool {
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
    "ukendt rolle {0:?}; gyldige: sagsbehandler, projektleder, supportberettiget, fagfaellesskab, leverandoer, kombit, styregruppe, hoeringsansvarlig, databeskyttelse"
)]
pub struct RoleError(pub String);

impl FromStr for Role {
    type Err = RoleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.key() == s.trim().to_lowercase()).ok_or_else(|| RoleError(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_from_its_key() {
        for role in Role::ALL {
            assert_eq!(role.key().parse::<Role>(), Ok(role));
        }
        assert!(RoleError("x".into()).to_string().contains("hoeringsansvarlig"));
    }

    #[test]
    fn the_hoeringsansvarlig_has_a_kommune_but_no_access_to_its_persons_or_tasks() {
        let r = Role::Hoeringsansvarlig;
        assert!(r.is_kommune_bound());
        assert!(!r.sees_kommune_data());
        assert!(!r.works_tasks());
    }
}
