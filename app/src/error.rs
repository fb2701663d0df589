//! The one error type server functions and the REST API return.
//!
//! Use `AppError` everywhere a request can fail. User errors (`Invalid`, `AlreadyResolved`,
//! `Refused`, ...) carry Danish text meant for the user; internal errors (sqlx, io) are logged
//! with their context where they happen and reach the browser only as `Internal`.

use crate::domain::Kommunenr;
use crate::domain::resolve::FieldError;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Du skal logge ind.")]
    Unauthenticated,
    #[error("Forkert brugernavn eller adgangskode.")]
    BadCredentials,
    /// Too many wrong passwords: the login waits `wait_secs` seconds, until `until` (`10.42`).
    #[error("{}", crate::domain::throttle::locked_message(*wait_secs, until))]
    TooManyAttempts { wait_secs: u64, until: String },
    #[error("Du har ikke adgang til dette.")]
    Forbidden,
    /// A user (or integration) asked for another kommune's data. Named apart from `Forbidden`
    /// so the page can say whose data it refuses, not just that it refuses.
    #[error("Du har ikke adgang til opgaverne i {} ({}).", .0.navn(), .0)]
    OtherKommune(Kommunenr),
    #[error("{0} findes ikke.")]
    NotFound(String),
    #[error("Ret de markerede felter.")]
    Invalid(Vec<FieldError>),
    #[error("Opgaven er allerede løst af {by} ({at}).")]
    AlreadyResolved { by: String, at: String },
    /// A rule refuses the action; the text says which and why.
    #[error("{0}")]
    Refused(String),
    /// The request itself could not be read (a malformed or missing argument).
    #[error("Forespørgslen kunne ikke læses: {0}")]
    BadRequest(String),
    #[error("Der skete en fejl på serveren. Prøv igen om lidt.")]
    Internal,
    #[error("Forbindelsen til serveren fejlede: {0}")]
    Transport(String),
}

impl AppError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn status_code(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            AppError::Unauthenticated | AppError::BadCredentials => S::UNAUTHORIZED,
            AppError::Forbidden | AppError::OtherKommune(_) => S::FORBIDDEN,
            AppError::TooManyAttempts { .. } => S::TOO_MANY_REQUESTS,
            AppError::NotFound(_) => S::NOT_FOUND,
            AppError::Invalid(_) => S::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => S::BAD_REQUEST,
            AppError::AlreadyResolved { .. } | AppError::Refused(_) => S::CONFLICT,
            AppError::Internal => S::INTERNAL_SERVER_ERROR,
            AppError::Transport(_) => S::BAD_GATEWAY,
        }
    }

    /// The field errors, if this is a validation error.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Invalid(errors) => errors,
            _ => &[],
        }
    }

    /// The message of one field, for showing next to it.
    pub fn message_for(&self, field: &str) -> Option<String> {
        self.field_errors().iter().find(|e| e.field == field).map(|e| e.message.clone())
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Arguments the server cannot read are the caller's mistake (400); a failed connection or an
    /// unreadable answer is the browser's view of the network; anything else is ours (500).
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(e) => AppError::BadRequest(e),
            ServerFnErrorErr::MissingArg(name) => AppError::BadRequest(format!("{name} mangler")),
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::Transport(value.to_string())
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Internal
            }
        }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::Invalid(vec![error])
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;

    impl From<sqlx::Error> for AppError {
        #[track_caller]
        fn from(error: sqlx::Error) -> Self {
            let at = std::panic::Location::caller();
            tracing::error!(%error, %at, "database error");
            AppError::Internal
        }
    }

    impl From<std::io::Error> for AppError {
        #[track_caller]
        fn from(error: std::io::Error) -> Self {
            let at = std::panic::Location::caller();
            tracing::error!(%error, %at, "io error");
            AppError::Internal
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
