//! Notices: every status change tells the requester in the in-app inbox, and by e-mail (the
//! outbox, sent by SMTP when configured).

use crate::clock;
use crate::error::AppError;
use crate::store::Conn;
use crate::store::aendring::notices;

/// Tells the requester (a user, or the kommune's support address for legacy ændringsønsker).
pub async fn tell_requester(
    conn: &mut Conn,
    requester_id: Option<i64>,
    kommune: u16,
    aendring_id: Option<i64>,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    let at = clock::stamp(clock::now());
    let mut address = kommune_address(kommune);
    if let Some(user) = requester_id {
        notices::insert(conn, user, aendring_id, &at, subject, body).await?;
        if let Some(email) = crate::store::users::email(conn, user).await? {
            address = email;
        }
    }
    notices::queue_mail(conn, &address, subject, body, &at).await?;
    Ok(())
}

/// Where a kommune's support user gets mail when no personal address is known.
pub fn kommune_address(kommune: u16) -> String {
    format!("ky-support@kommune-{kommune:03}.dk")
}
