//! The command line and its settings, read from flags or the environment and checked at start.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "arbejdsbord", version, about = "KY Arbejdsbord: MI 38-opgavepakker og ændringsønsker")]
pub struct Cli {
    /// Where the database lives (created and migrated if missing).
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/arbejdsbord.db", global = true)]
    pub database_url: String,

    #[command(flatten)]
    pub limits: LimitOptions,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Limits of issue 12, global so that `serve` and the CLI (`audit purge`) read the same. Not in
/// `ServeOptions`, whose literals the tests and benches build.
#[derive(Debug, Clone, Copy, Args)]
pub struct LimitOptions {
    /// Minutes a session may go unused before it ends (the idle timeout; the absolute lifetime
    /// is `ARBEJDSBORD_SESSION_HOURS`).
    #[arg(long, env = "ARBEJDSBORD_SESSION_IDLE_MINUTES", default_value_t = 60, global = true)]
    pub session_idle_minutes: i64,
    /// Days an audit row is kept; older ones are purged once a day (and by `audit purge`).
    #[arg(long, env = "ARBEJDSBORD_AUDIT_RETENTION_DAYS", default_value_t = 183, global = true)]
    pub audit_retention_days: i64,
}

impl LimitOptions {
    /// The limits from the environment and defaults alone.
    pub fn from_env() -> Self {
        LimitsOnly::parse_from(["arbejdsbord"]).limits
    }

    pub fn limits(&self) -> app::state::Limits {
        app::state::Limits {
            session_idle_minutes: self.session_idle_minutes,
            audit_retention_days: self.audit_retention_days,
        }
    }
}

#[derive(Debug, Parser)]
struct LimitsOnly {
    #[command(flatten)]
    limits: LimitOptions,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app and the API (the default).
    Serve(ServeOptions),
    /// Import a KMD Aktiv extract (a folder of CSV files) for one kommune.
    Import {
        #[arg(long)]
        kommune: String,
        /// Validate only; write nothing.
        #[arg(long)]
        dry_run: bool,
        dir: PathBuf,
    },
    /// Write a synthetic extract (fictitious CPR numbers only).
    DemoData {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 5_000)]
        fordringer: usize,
        #[arg(long, default_value = "751")]
        kommune: String,
    },
    /// Load the whole demo: three kommuner, demo users of every role.
    DemoLoad {
        /// Where the generated demo extracts are written.
        #[arg(long, default_value = "data/demo")]
        work_dir: PathBuf,
    },
    /// Import the legacy pool of ændringsønsker (CSV, `;`-separated; see the clean-up page for
    /// the columns). All or nothing; known keys are skipped.
    PoolImport { file: PathBuf },
    /// Manage users.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// The supplier switches on automatic paragraf- and/or kravtypekontrol for a kommune: the P
    /// and/or K defect counts as met for every open and every later task. Prints the counts
    /// before and after; running it again changes nothing.
    Automatisering {
        #[arg(long)]
        kommune: String,
        #[arg(long)]
        paragrafkontrol: bool,
        #[arg(long)]
        kravtypekontrol: bool,
    },
    /// Migrate the database and stop (for deployment pipelines; every other command migrates
    /// first too).
    Migrate,
    /// Write a consistent copy of the database to a new file while the server runs; the copy
    /// is checked before this says it is written. Restore: stop the server, put the file where
    /// DATABASE_URL points (without the old -wal and -shm files), start it.
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// The kommune's plan for MI 38.
    Kommune {
        #[command(subcommand)]
        action: KommuneAction,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        action: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Delete the audit rows older than the retention period (ARBEJDSBORD_AUDIT_RETENTION_DAYS)
    /// now, as the server does every night; writes one audit row saying how many.
    Purge,
}

#[derive(Debug, Subcommand)]
pub enum KommuneAction {
    /// Set the kommune's plan (what its project lead also sets in the browser); flags left out
    /// keep their value. Dates as 2027-01-25 or 25.01.2027.
    Set {
        #[arg(long)]
        kommune: String,
        #[arg(long)]
        go_live: Option<String>,
        #[arg(long)]
        frist_med: Option<String>,
        #[arg(long)]
        frist_uden: Option<String>,
        /// sideloebende, fokuseret, rapportstyret, opgavepakkestyret or anden
        #[arg(long)]
        tilgang: Option<String>,
    },
}

impl Default for Command {
    fn default() -> Self {
        Command::Serve(ServeOptions::from_env())
    }
}

pub trait IsServe {
    fn is_serve(&self) -> bool;
}

impl IsServe for Option<Command> {
    fn is_serve(&self) -> bool {
        matches!(self, None | Some(Command::Serve(_)))
    }
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create a user; the password is read from stdin.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        kommune: Option<String>,
        #[arg(long)]
        fagfaellesskab: Option<String>,
        /// The name shown in the app (defaults to the username).
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Remove a user: they cannot log in any more and every session of theirs ends at once
    /// (the account stays, so history and audit still name them).
    Remove {
        #[arg(long)]
        username: String,
    },
    /// Give a user another role; every session of theirs ends.
    SetRole {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        kommune: Option<String>,
        #[arg(long)]
        fagfaellesskab: Option<String>,
    },
    /// Set a user's password (read from stdin); every session of theirs ends.
    SetPassword {
        #[arg(long)]
        username: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Print a new API token for a kommune's integration.
    Add {
        #[arg(long)]
        kommune: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ServeOptions {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Folder holding the built site (`pkg/` with the wasm, js and css).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    /// A production start: refuses to run while demo users exist.
    #[arg(long, env = "ARBEJDSBORD_PRODUCTION")]
    pub production: bool,
    /// Mark cookies Secure (set when the server sits behind TLS). Also tells the origin check
    /// that the site's own pages are `https://`.
    #[arg(long, env = "ARBEJDSBORD_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For`, `-Proto` and `-Host` from the reverse proxy in front (one hop): the
    /// client address for the login throttle, the scheme and host for the origin check. Leave off
    /// when clients reach the server directly, or anyone can claim any address.
    #[arg(long, env = "ARBEJDSBORD_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// Hours a login lasts at most, however much it is used (the absolute lifetime).
    #[arg(long, env = "ARBEJDSBORD_SESSION_HOURS", default_value_t = 10)]
    pub session_hours: i64,

    /// Send the e-mail notices through this SMTP server, e.g.
    /// `smtp://user:password@mail.example.dk:587?tls=required` or `smtps://mail.example.dk`.
    /// Without it, mail stays in the database's outbox table.
    #[arg(long, env = "ARBEJDSBORD_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of the e-mail notices.
    #[arg(long, env = "ARBEJDSBORD_MAIL_FROM", default_value = "KY Arbejdsbord <noreply@arbejdsbord.invalid>")]
    pub mail_from: String,
}

/// Only the serve options, so a bare `arbejdsbord` reads them from the environment too.
#[derive(Debug, Parser)]
struct ServeOnly {
    #[command(flatten)]
    opts: ServeOptions,
}

impl ServeOptions {
    /// The serve options from the environment and defaults alone.
    pub fn from_env() -> Self {
        ServeOnly::parse_from(["arbejdsbord"]).opts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent_and_the_limits_apply_to_every_command() {
        Cli::command().debug_assert();
        let cli = Cli::parse_from([
            "arbejdsbord",
            "user",
            "set-role",
            "--username",
            "mette",
            "--role",
            "projektleder",
            "--kommune",
            "751",
            "--session-idle-minutes",
            "15",
        ]);
        assert_eq!(cli.limits.session_idle_minutes, 15);
        assert!(matches!(cli.command, Some(Command::User { action: UserAction::SetRole { .. } })));
        let cli = Cli::parse_from(["arbejdsbord", "user", "remove", "--username", "mette"]);
        assert!(matches!(cli.command, Some(Command::User { action: UserAction::Remove { .. } })));
        let cli = Cli::parse_from(["arbejdsbord", "audit", "purge", "--audit-retention-days", "30"]);
        assert_eq!(cli.limits.audit_retention_days, 30);
        assert!(matches!(cli.command, Some(Command::Audit { action: AuditCommand::Purge })));
    }
}
