//! Notices: every status change tells each kommune that wants the ændringsønske — whoever answers
//! for it there now — in the in-app inbox and by e-mail (the outbox, sent by SMTP when
//! configured). A mail with nowhere to go is kept as undeliverable for KOMBIT to see and send
//! again (`/meddelelser`), never dropped.

use crate::clock;
use crate::error::AppError;
use crate::store::Conn;
use crate::store::aendring::aendringer::{self, AendringRow};
use crate::store::aendring::notices::{self, Mail};

/// Why a mail is kept as undeliverable when the kommune has neither a responsible person with an
/// address, nor a support address, nor support users with one.
pub const NO_ADDRESS: &str =
    "Ingen modtager: kommunen har ingen supportadresse, og ingen af dens supportberettigede har en e-mailadresse.";

/// Why a mail to a named group (e.g. the høringsansvarlige) is kept as undeliverable.
pub const NO_GROUP_ADDRESS: &str =
    "Ingen modtager: ingen af modtagerne har en e-mailadresse, og kommunen har ingen supportadresse.";

/// Tells one kommune: `responsible` (the requester, or the user who answers for the kommune's
/// interest) in the inbox, else every supportberettiget of the kommune. One e-mail: to the
/// responsible person's address, else the kommune's support address, else its supportberettigede.
pub async fn tell(
    conn: &mut Conn,
    kommune: u16,
    responsible: Option<i64>,
    aendring_id: Option<i64>,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    let support = crate::store::users::support_users(conn, kommune).await?;
    let readers: Vec<i64> = match responsible {
        Some(user) => vec![user],
        None => support.iter().map(|(id, ..)| *id).collect(),
    };
    let personal = match responsible {
        Some(user) => crate::store::users::email(conn, user).await?,
        None => None,
    };
    let addresses: Vec<String> = match (personal, crate::store::kommune::support_email(conn, kommune).await?) {
        (Some(own), _) => vec![own],
        (None, Some(kommune_address)) => vec![kommune_address],
        (None, None) => support.into_iter().filter_map(|(.., email)| email).collect(),
    };
    let to = Recipients { kommune, readers, addresses, undeliverable: NO_ADDRESS };
    deliver(conn, &to, aendring_id, subject, body).await
}

/// Tells a named group of a kommune's users (its høringsansvarlige, say): each in the inbox, and
/// by mail at the addresses they have, else at the kommune's support address; with neither, the
/// mail is kept as undeliverable for KOMBIT (`/meddelelser`).
pub async fn tell_group(
    conn: &mut Conn,
    kommune: u16,
    group: &[(i64, Option<String>)],
    aendring_id: Option<i64>,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    let readers = group.iter().map(|(id, _)| *id).collect();
    let mut addresses: Vec<String> = group.iter().filter_map(|(_, email)| email.clone()).collect();
    if addresses.is_empty() {
        addresses.extend(crate::store::kommune::support_email(conn, kommune).await?);
    }
    let to = Recipients { kommune, readers, addresses, undeliverable: NO_GROUP_ADDRESS };
    deliver(conn, &to, aendring_id, subject, body).await
}

/// Who is told, and why a mail with no address is kept.
struct Recipients {
    kommune: u16,
    readers: Vec<i64>,
    addresses: Vec<String>,
    undeliverable: &'static str,
}

/// The inbox notices and the mails (one per address, or one kept as undeliverable).
async fn deliver(
    conn: &mut Conn,
    to: &Recipients,
    aendring_id: Option<i64>,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    let at = clock::stamp(clock::now());
    for user in &to.readers {
        notices::insert(conn, *user, aendring_id, &at, subject, body).await?;
    }
    let mail = Mail { to: "", subject, body, at: &at, kommune: Some(to.kommune), aendring_id, error: None };
    if to.addresses.is_empty() {
        notices::queue(conn, &Mail { error: Some(to.undeliverable), ..mail }).await?;
    }
    for address in &to.addresses {
        notices::queue(conn, &Mail { to: address, ..mail }).await?;
    }
    Ok(())
}

/// Tells every kommune that wants the ændringsønske: the filing kommune's requester, and for
/// each kommune that joined it or whose duplicate was merged in, whoever answers for it there.
pub async fn tell_kommuner(conn: &mut Conn, row: &AendringRow, subject: &str, body: &str) -> Result<(), AppError> {
    for (kommune, responsible) in aendringer::responsible(conn, row.id).await? {
        tell(conn, kommune as u16, responsible, Some(row.id), subject, body).await?;
    }
    Ok(())
}
