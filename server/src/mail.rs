//! Sends the e-mail outbox over SMTP when `--smtp-url` is configured. Notices are written to the
//! `outbox` table in the same transaction as the status change they report; this task delivers
//! them afterwards, so a slow or absent mail server never holds up a caseworker or KOMBIT.
//! Transient failures are retried with a growing pause; a permanent refusal (5xx, a malformed
//! address) or the last attempt leaves the reason on the row.

use app::clock;
use app::error::AppError;
use app::state::AppContext;
use app::store::aendring::notices::{self, OutboxMail};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

/// Attempts before a mail is given up.
pub const MAX_ATTEMPTS: i64 = 5;
/// How often the outbox is looked at.
const POLL: Duration = Duration::from_secs(5);
const BATCH: i64 = 50;
/// How long a claimed batch is this sender's (SMTP timeouts are far shorter).
const LEASE: chrono::Duration = chrono::Duration::minutes(10);

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

impl Mailer {
    /// `url`: `smtp://user:password@host:587?tls=required`, `smtps://host`, or `smtp://host:25`
    /// (no TLS, for a relay on the local network).
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("--smtp-url {}: {e}", redact(url)))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from.parse().map_err(|e| anyhow::anyhow!("--mail-from {from:?}: {e}"))?;
        Ok(Mailer { transport, from })
    }

    async fn send(&self, mail: &OutboxMail) -> Result<(), Failure> {
        let to: Mailbox = mail
            .to_address
            .parse()
            .map_err(|e| Failure::Permanent(format!("ugyldig modtageradresse {:?}: {e}", mail.to_address)))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| Failure::Permanent(e.to_string()))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(Failure::Permanent(e.to_string())),
            Err(e) => Err(Failure::Transient(e.to_string())),
        }
    }
}

enum Failure {
    Permanent(String),
    Transient(String),
}

/// The password in a URL is not for the log.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…@{}", &url[..scheme], &url[at + 1..]),
        _ => url.to_string(),
    }
}

pub fn spawn(ctx: AppContext, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(POLL);
        loop {
            tick.tick().await;
            if let Err(error) = deliver_due(&ctx, &mailer).await {
                tracing::warn!(%error, "e-mail outbox");
            }
        }
    })
}

/// Sends every mail that is due; returns how many went out.
pub async fn deliver_due(ctx: &AppContext, mailer: &Mailer) -> Result<usize, AppError> {
    let mut sent = 0;
    loop {
        // Claimed for the time a batch may take, so another instance on the same database
        // does not send them too; if this one dies first, they are due again after the lease.
        let now = clock::now();
        let (at, until) = (clock::stamp(now), clock::stamp(now + LEASE));
        let due = ctx
            .write(move |tx| Box::pin(async move { Ok(notices::claim_due_mail(tx, &at, &until, BATCH).await?) }))
            .await?;
        if due.is_empty() {
            return Ok(sent);
        }
        for mail in &due {
            let outcome = mailer.send(mail).await;
            let now = clock::now();
            let id = mail.id;
            // What to record: sent, failed with a retry time, or given up.
            let (error, retry_at) = match outcome {
                Ok(()) => {
                    sent += 1;
                    (None, None)
                }
                Err(Failure::Transient(error)) if mail.attempts + 1 < MAX_ATTEMPTS => {
                    let pause = chrono::Duration::minutes(1 << mail.attempts.min(10));
                    tracing::warn!(id, attempt = mail.attempts + 1, %error, "e-mail not sent; will retry");
                    (Some(error), Some(clock::stamp(now + pause)))
                }
                Err(Failure::Transient(error) | Failure::Permanent(error)) => {
                    tracing::error!(id, to = %mail.to_address, %error, "e-mail given up");
                    (Some(error), None)
                }
            };
            ctx.write(move |tx| {
                Box::pin(async move {
                    match error {
                        None => notices::mark_sent(tx, id, &clock::stamp(now)).await,
                        Some(error) => notices::mark_failed(tx, id, &error, retry_at.as_deref()).await,
                    }
                    .map_err(AppError::from)
                })
            })
            .await?;
        }
        if due.len() < BATCH as usize {
            return Ok(sent);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn the_password_is_not_logged() {
        assert_eq!(redact("smtp://ky:hemmeligt@mail.kommune.dk:587"), "smtp://…@mail.kommune.dk:587");
        assert_eq!(redact("smtp://localhost:25"), "smtp://localhost:25");
    }
}
