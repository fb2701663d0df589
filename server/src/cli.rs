//! The commands of CONTRACT.md besides `serve`. Each opens (and migrates) the database first.

use crate::config::{AuditCommand, Command, KommuneAction, TokenAction, UserAction};
use anyhow::{Context, bail};
use app::domain::{Kommunenr, Opgavepakke, Role};
use app::service::accounts;
use app::service::aendring::pool_import;
use app::service::auth::{self, NewAccount};
use app::service::import::{
    ERROR_CAP, FollowOn, ImportError, ImportFailure, ImportOptions, ImportSummary, import_extract,
};
use app::state::{AppContext, Settings};
use app::store::Db;
use fixtures::demo::{self, DEMO_PASSWORD, DemoExtractOptions};
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

/// The actor the audit log names for an administrator's command: `cli:` and the OS user.
fn cli_actor() -> String {
    format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "ukendt".to_string()))
}

pub async fn run(database_url: &str, limits: app::state::Limits, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve(_) => unreachable!("serve is handled by startup"),
        Command::DemoData { out, seed, fordringer, kommune } => {
            let kommune = Kommunenr::parse(&kommune)?;
            let stats = demo::write_demo_extract(&out, &DemoExtractOptions { kommune, seed, fordringer })
                .with_context(|| format!("skriv demo-udtræk til {}", out.display()))?;
            println!(
                "Skrev demo-udtræk for {} ({kommune}) til {}: {} personer, {} bevillinger, {} fordringer, {} dækninger.",
                kommune.navn(),
                out.display(),
                stats.personer,
                stats.bevillinger,
                stats.fordringer,
                stats.daekninger
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { kommune, dry_run, dir } => {
            let k = Kommunenr::parse(&kommune)?;
            if !dir.is_dir() {
                bail!("{} er ikke en mappe", dir.display());
            }
            let db = Db::connect(database_url).await.with_context(|| format!("database {database_url}"))?;
            let opts = ImportOptions { dry_run, progress: std::io::stderr().is_terminal(), bulk_rows: None };
            match import_extract(&db, k, &dir, &opts).await {
                Ok(summary) => {
                    print_summary(&summary);
                    Ok(ExitCode::SUCCESS)
                }
                Err(ImportFailure::Invalid { errors, follow_ons, more }) => {
                    eprint!("{}", error_list(&dir, &errors, &follow_ons, more));
                    Ok(ExitCode::from(2))
                }
                Err(ImportFailure::Internal(e)) => bail!("indlæsningen fejlede: {e}"),
            }
        }
        Command::DemoLoad { work_dir } => {
            let db = Db::connect(database_url).await.with_context(|| format!("database {database_url}"))?;
            let ctx = AppContext::new(db, Settings::default());
            let summary = match demo::load_demo(&ctx, &work_dir).await {
                Ok(s) => s,
                Err(ImportFailure::Invalid { errors, .. }) => {
                    bail!(
                        "demo-udtrækket kunne ikke indlæses: {}",
                        errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ")
                    )
                }
                Err(ImportFailure::Internal(e)) => bail!("demo-load fejlede: {e}"),
            };
            for s in &summary.imports {
                print_summary(s);
            }
            println!("\nDemo-logins (adgangskode for alle: {DEMO_PASSWORD}):");
            for l in &summary.logins {
                println!("  {:<24} {:<18} {}", l.username, l.role.label(), l.where_);
            }
            println!("\nDemo-API-tokens (økonomisystem):");
            for (k, token) in &summary.tokens {
                println!("  {k} {:<12} {token}", k.navn());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::PoolImport { file } => {
            let data = std::fs::read(&file).with_context(|| format!("læs {}", file.display()))?;
            let db = Db::connect(database_url).await.with_context(|| format!("database {database_url}"))?;
            let ctx = AppContext::new(db, Settings::default());
            let name = file.display().to_string();
            let report = pool_import::import_pool_reported(&ctx, "cli", &name, &data).await?;
            if report.errors.is_empty() {
                println!("{name}: {} rækker læst, {} nye ændringsønsker indlæst.", report.rows, report.new);
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!("{name} blev ikke indlæst; intet er skrevet. Fejl:");
            for e in &report.errors {
                eprintln!("  {e}");
            }
            if report.more > 0 {
                eprintln!("  … og {} fejl mere.", report.more);
            }
            Ok(ExitCode::from(2))
        }
        Command::User { action: UserAction::Add { username, role, kommune, fagfaellesskab, name } } => {
            let role: Role = role.parse()?;
            let kommune = kommune.as_deref().map(Kommunenr::parse).transpose()?;
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password).context("læs adgangskoden fra stdin")?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            let db = Db::connect(database_url).await.with_context(|| format!("database {database_url}"))?;
            let account = NewAccount {
                username: username.clone(),
                display_name: name,
                password,
                role,
                kommune,
                fagfaellesskab,
                is_demo: false,
            };
            match auth::create_user(&db, account).await {
                Ok(id) => {
                    println!("Oprettede bruger {username} ({}) med id {id}.", role.label());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => bail!("{}", field_message(&e)),
            }
        }
        Command::User { action: UserAction::Remove { username } } => {
            let db = Db::connect(database_url).await.with_context(|| format!("database {database_url}"))?;
            match accounts::remove_user(&db, &cli_actor(), &username).await {
                Ok(ended) => {
                    println!("Fjernede bruger {username}; {ended} sessioner afsluttet.");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => bail!("{}", field_message(&e)),
            }
        }
        Command::User { action: UserAction::SetRole { username, role, kommune, fagfaellesskab } } => {
            let role: Role = role.parse()?;
            let kommune = kommune.as_deref().map(Kommunenr::parse).transpose()?;
            let db = Db::connect(database_url).await.with_context(|| format!("database {database_url}"))?;
            let change = accounts::RoleChange { role, kommune, fagfaellesskab };
            match accounts::set_role(&db, &cli_actor(), &username, change).await {
                Ok(ended) => {
                    println!("Bruger {username} har nu rollen {}; {ended} sessioner afsluttet.", role.label());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => bail!("{}", field_message(&e)),
            }
        }
        Command::User { action: UserAction::SetPassword { username } } => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password).context("læs adgangskoden fra stdin")?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            let db = Db::connect(database_url).await.with_context(|| format!("database {database_url}"))?;
            match accounts::set_password(&db, &cli_actor(), &username, password).await {
                Ok(ended) => {
                    println!("Ny adgangskode for {username}; {ended} sessioner afsluttet.");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => bail!("{}", field_message(&e)),
            }
        }
        Command::Audit { action: AuditCommand::Purge } => {
            let db = Db::connect(database_url).await.with_context(|| format!("database {database_url}"))?;
            let days = limits.audit_retention_days.max(1);
            match app::service::audit_log::purge(&db, &cli_actor(), days).await {
                Ok(p) => {
                    println!(
                        "Slettede {} rækker i revisionsloggen ældre end {} (opbevaringsfrist {days} dage).",
                        p.deleted,
                        p.before.format("%d.%m.%Y")
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => bail!("{}", field_message(&e)),
            }
        }
        Command::Kommune { action: KommuneAction::Set { kommune, go_live, frist_med, frist_uden, tilgang } } => {
            let k = Kommunenr::parse(&kommune).map_err(|e| anyhow::anyhow!("--kommune: {e}"))?;
            let db = Db::connect(database_url).await.with_context(|| format!("database {database_url}"))?;
            let ctx = AppContext::new(db, Settings::default());
            let actor = app::service::Actor::System;
            let mut plan = app::service::plan::get_plan(&ctx, &actor, k)
                .await
                .map_err(|e| anyhow::anyhow!("--kommune: {}", field_message(&e)))?
                .plan;
            if let Some(t) = tilgang {
                plan.tilgang = app::domain::plan::Tilgang::parse(&t).with_context(|| {
                    format!("--tilgang: ukendt tilgang {t:?} (sideloebende, fokuseret, rapportstyret, opgavepakkestyret, anden)")
                })?;
            }
            if let Some(d) = frist_med {
                plan.deadline_med = d;
            }
            if let Some(d) = frist_uden {
                plan.deadline_uden = Some(d).filter(|d| !d.is_empty());
            }
            if let Some(d) = go_live {
                plan.go_live = Some(d).filter(|d| !d.is_empty());
            }
            match app::service::plan::save_plan(&ctx, &actor, k, plan).await {
                Ok(p) => {
                    println!(
                        "{} ({k}): tilgang {}, frist med dækninger {}, frist uden dækninger {}, go-live {}.",
                        k.navn(),
                        p.tilgang.label(),
                        p.deadline_med,
                        p.deadline_uden.as_deref().unwrap_or("ikke sat"),
                        p.go_live.as_deref().unwrap_or("ikke sat"),
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    let flag = |field: &str| match field {
                        "deadline_med" => "--frist-med",
                        "deadline_uden" | "deadline_uden_endelig" => "--frist-uden",
                        "go_live" => "--go-live",
                        _ => "--kommune",
                    };
                    match e.field_errors() {
                        [] => eprintln!("{e}"),
                        errors => {
                            for f in errors {
                                eprintln!("{}: {}", flag(&f.field), f.message);
                            }
                        }
                    }
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::Automatisering { kommune, paragrafkontrol, kravtypekontrol } => {
            let k = Kommunenr::parse(&kommune).map_err(|e| anyhow::anyhow!("--kommune: {e}"))?;
            if !paragrafkontrol && !kravtypekontrol {
                bail!("angiv --paragrafkontrol, --kravtypekontrol eller begge");
            }
            let db = Db::connect(database_url).await.with_context(|| format!("database {database_url}"))?;
            let ctx = AppContext::new(db, Settings::default());
            let r = app::service::automation::switch_on(
                &ctx,
                &app::service::Actor::System,
                k,
                paragrafkontrol,
                kravtypekontrol,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", field_message(&e)))?;
            let line = |c: &app::domain::opgavepakke::OpgavepakkeCounts| {
                Opgavepakke::all().map(|p| format!("{}:{}", p.code(), c.get(p))).collect::<Vec<_>>().join(" ")
            };
            println!("{} ({k})", k.navn());
            println!("før:   {}", line(&r.before));
            println!("efter: {}", line(&r.after));
            if r.unchanged {
                println!("Ingen ændring: kontrollen var allerede automatiseret.");
            } else {
                println!(
                    "{} opgaver flyttet, {} lukket, {} dækninger i ventetrin behandlet.",
                    r.moved, r.closed, r.ventetrin_processed
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let db = Db::connect(database_url).await.with_context(|| format!("database {database_url}"))?;
            let version = db.schema_version().await?;
            println!("Databasen {database_url} er migreret (skemaversion {version}).");
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { out } => {
            let started = std::time::Instant::now();
            let b = app::store::backup::write(database_url, &out).await?;
            println!(
                "Sikkerhedskopi skrevet til {} ({} MB, {:.1} s); integritetskontrol: ok.",
                b.path.display(),
                app::domain::beloeb::decimal(b.bytes as f64 / 1_000_000.0, 1),
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Token { action: TokenAction::Add { kommune, name } } => {
            let k = Kommunenr::parse(&kommune)?;
            let db = Db::connect(database_url).await.with_context(|| format!("database {database_url}"))?;
            match auth::create_token(&db, k, &name).await {
                Ok(token) => {
                    println!("{token}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => bail!("{}", field_message(&e)),
            }
        }
    }
}

/// The errors of an import, then the rows that only follow from them, one per line; the last
/// line ends too, so the shell prompt starts on a line of its own.
fn error_list(dir: &std::path::Path, errors: &[ImportError], follow_ons: &[FollowOn], more: usize) -> String {
    let mut lines = vec![format!("Udtrækket i {} blev ikke indlæst; intet er skrevet. Fejl:", dir.display())];
    lines.extend(errors.iter().map(|e| format!("  {e}")));
    if more > 0 {
        lines.push(format!("  … og {more} fejl mere (kun de første {ERROR_CAP} vises)."));
    }
    lines.extend(follow_ons.iter().map(|f| format!("  {f}")));
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn field_message(e: &app::error::AppError) -> String {
    match e.field_errors() {
        [] => e.to_string(),
        errors => errors.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; "),
    }
}

fn print_summary(s: &ImportSummary) {
    let Some(k) = s.kommune else { return };
    let verb = if s.dry_run { "Kontrolleret (tør kørsel, intet skrevet)" } else { "Indlæst" };
    println!("{verb}: udtræk for {} ({k})", k.navn());
    for f in &s.files {
        println!("  {:<18} {:>9} rækker, {:>9} nye", f.file, f.rows, f.new_rows);
    }
    if s.moved > 0 {
        println!("  {} kendte opgaver flyttet til \"med dækninger\"", s.moved);
    }
    println!("  {:<78} {:>7} {:>7}", "Opgavepakke", "nye", "åbne");
    for p in Opgavepakke::all() {
        println!("  {:<78} {:>7} {:>7}", p.full_name(), s.created[usize::from(p.nr())], s.counts.get(p));
    }
    println!("  {:<78} {:>7} {:>7}", "I alt", s.created.iter().sum::<i64>(), s.counts.total());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_list_ends_with_a_newline_and_puts_follow_ons_after_the_errors() {
        let error = ImportError {
            file: "personer.csv".into(),
            line: 3,
            column: "-".into(),
            reason: "filen er ikke gemt som UTF-8".into(),
        };
        let follow_on = FollowOn { file: "fordringer.csv".into(), points_at: "personer".into(), rows: 213 };
        let text = error_list(std::path::Path::new("udtraek"), &[error], &[follow_on], 0);
        assert!(text.ends_with('\n'), "{text:?}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].starts_with("  personer.csv:3: kolonne -: filen er ikke gemt"), "{}", lines[1]);
        assert!(lines[2].starts_with("  … og 213 rækker i fordringer.csv henviser til personer"), "{}", lines[2]);
        assert!(error_list(std::path::Path::new("x"), &[], &[], 5).ends_with("vises).\n"));
    }
}
