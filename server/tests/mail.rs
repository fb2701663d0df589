//! The SMTP sender against a real SMTP conversation on a local socket: a small sink that speaks
//! the protocol (EHLO, MAIL, RCPT, DATA, QUIT) and records what it received.

use app::clock;
use app::store::aendring::notices;
use fixtures::testing::TestDb;
use server::mail::{MAX_ATTEMPTS, Mailer, deliver_due};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Default)]
struct Sink {
    messages: Mutex<Vec<String>>,
    /// Answer RCPT with this instead of 250 (e.g. "451 try later", "550 no such user").
    refuse_rcpt: Mutex<Option<&'static str>>,
}

async fn start_sink() -> (u16, Arc<Sink>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sink = Arc::new(Sink::default());
    let shared = sink.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let sink = shared.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                    let reply = match verb.as_str() {
                        "EHLO" | "HELO" => "250 sink".to_string(),
                        "RCPT" => sink.refuse_rcpt.lock().unwrap().unwrap_or("250 ok").to_string(),
                        "DATA" => {
                            write.write_all(b"354 go ahead\r\n").await.unwrap();
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(&l);
                                data.push('\n');
                            }
                            sink.messages.lock().unwrap().push(data);
                            "250 queued".to_string()
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            return;
                        }
                        _ => "250 ok".to_string(),
                    };
                    write.write_all(format!("{reply}\r\n").as_bytes()).await.unwrap();
                }
            });
        }
    });
    (port, sink)
}

async fn queue(db: &TestDb, to: &str, subject: &str, body: &str) {
    let (to, subject, body) = (to.to_string(), subject.to_string(), body.to_string());
    db.ctx
        .write(move |tx| {
            Box::pin(async move {
                Ok::<_, app::error::AppError>(
                    notices::queue_mail(tx, &to, &subject, &body, &clock::stamp(clock::now())).await?,
                )
            })
        })
        .await
        .unwrap();
}

async fn state(db: &TestDb) -> (i64, i64, i64) {
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    notices::outbox_state(&mut conn).await.unwrap()
}

#[tokio::test]
async fn queued_mail_is_sent_once_and_a_bad_address_is_given_up() {
    let db = TestDb::new().await;
    let (port, sink) = start_sink().await;
    let mailer = Mailer::new(&format!("smtp://127.0.0.1:{port}"), "KY Arbejdsbord <noreply@arbejdsbord.dk>").unwrap();
    queue(&db, "mette@aarhus.dk", "AE-12 status", "Dit onske er sendt videre.").await;
    queue(&db, "ikke en adresse", "AE-13 status", "x").await;

    assert_eq!(deliver_due(&db.ctx, &mailer).await.unwrap(), 1);
    assert_eq!(state(&db).await, (1, 0, 1), "one sent, none waiting, one failed for good");
    let messages = sink.messages.lock().unwrap().clone();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("To: mette@aarhus.dk"), "{}", messages[0]);
    assert!(messages[0].contains("Subject: AE-12 status"), "{}", messages[0]);
    assert!(messages[0].contains("Dit onske er sendt videre."), "{}", messages[0]);

    // Nothing is sent twice.
    assert_eq!(deliver_due(&db.ctx, &mailer).await.unwrap(), 0);
    assert_eq!(sink.messages.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_temporary_refusal_is_retried_later_and_a_permanent_one_is_not() {
    let db = TestDb::new().await;
    let (port, sink) = start_sink().await;
    let mailer = Mailer::new(&format!("smtp://127.0.0.1:{port}"), "noreply@arbejdsbord.dk").unwrap();
    queue(&db, "support@odense.dk", "AE-1", "a").await;

    *sink.refuse_rcpt.lock().unwrap() = Some("451 mailbox busy");
    assert_eq!(deliver_due(&db.ctx, &mailer).await.unwrap(), 0);
    assert_eq!(state(&db).await, (0, 1, 0), "still waiting, for a later attempt");
    // Not due again right away: the next attempt is minutes away.
    assert_eq!(deliver_due(&db.ctx, &mailer).await.unwrap(), 0);
    // Due an hour later: claimed then (for a minute), and not again while the claim holds.
    let later = clock::stamp(clock::now() + chrono::Duration::hours(1));
    let lease = clock::stamp(clock::now() + chrono::Duration::hours(1) + chrono::Duration::minutes(1));
    let claim = |at: String, until: String| {
        let db = db.ctx.clone();
        async move {
            db.write(move |tx| Box::pin(async move { Ok(notices::claim_due_mail(tx, &at, &until, 10).await?) }))
                .await
                .unwrap()
        }
    };
    let due = claim(later.clone(), lease.clone()).await;
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].attempts, 1);
    assert!(due[0].attempts < MAX_ATTEMPTS);
    assert!(claim(later.clone(), lease.clone()).await.is_empty(), "claimed once");

    queue(&db, "ukendt@odense.dk", "AE-2", "b").await;
    *sink.refuse_rcpt.lock().unwrap() = Some("550 no such user");
    assert_eq!(deliver_due(&db.ctx, &mailer).await.unwrap(), 0);
    assert_eq!(state(&db).await, (0, 1, 1), "the 550 is given up at once; the 451 still waits");
    assert!(sink.messages.lock().unwrap().is_empty());
}

#[test]
fn a_malformed_smtp_url_is_refused_at_start() {
    let err = Mailer::new("ftp://nowhere", "noreply@arbejdsbord.dk").unwrap_err().to_string();
    assert!(err.contains("--smtp-url"), "{err}");
    let err = Mailer::new("smtp://localhost:25", "not an address").unwrap_err().to_string();
    assert!(err.contains("--mail-from"), "{err}");
}
