//! A user's own sessions, as their page lists them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MySessions {
    /// Most recently used first; the one making the request is `current`.
    pub sessions: Vec<SessionInfo>,
    /// A session unused this long ends.
    pub idle_minutes: i64,
    /// A session ends this long after the login at the latest.
    pub max_hours: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// What to name when ending it (the stored hash of its token: not the token).
    pub id: String,
    /// "Firefox på Windows" (from the browser's User-Agent at login).
    pub browser: String,
    /// The client address at login, or "".
    pub client: String,
    /// Danish local time: "07.12.2026 09:14".
    pub opened: String,
    pub last_used: String,
    /// When it ends unless used again (the idle timeout or the absolute lifetime, the earlier).
    pub ends: String,
    pub current: bool,
}
