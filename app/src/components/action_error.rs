//! The one way an `AppError` is shown: its Danish message, and for `AppError::Invalid` the field
//! messages — except those the form already shows next to their fields.
//!
//! `<ActionError/>` is for the result of an action (a form sent, a button pressed); resource
//! load errors go through `ErrorNotice`, which uses the same markup. `FieldMessages` gives a
//! form the message to show next to each field: the browser's own check first (the domain rule
//! the server runs too), else the server's answer.

use crate::domain::resolve::FieldError;
use crate::error::AppError;
use leptos::prelude::*;

/// The field message when a form's fields cannot be turned into a server function's arguments
/// (a page out of step with the server): the technical reason goes to the console, not the user.
pub const FORM_UNREADABLE: &str = "Formularen kunne ikke læses. Genindlæs siden, og prøv igen.";

/// The error of the last run of `action`, while that run is the latest; `None` after success.
pub fn action_error<I, T>(action: impl Into<Action<I, Result<T, AppError>>>) -> Signal<Option<AppError>>
where
    I: 'static,
    T: Send + Sync + 'static,
{
    let value = action.into().value();
    Signal::derive(move || value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())))
}

/// The error, in a region that is on the page from the start, so a screen reader announces
/// the message when it appears (an alert inserted together with its text may be missed).
#[component]
pub fn ActionError(
    /// The error to show, if any; usually `action_error(action)`.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    /// Fields whose messages the form shows next to the field itself; only the summary is
    /// repeated here for them. Every other field message is listed here.
    #[prop(optional)]
    beside_fields: &'static [&'static str],
) -> impl IntoView {
    view! {
        <div class="action-error" role="alert" aria-atomic="true">
            {move || error.get().map(|e| error_message(&e, beside_fields))}
        </div>
    }
}

/// The notice for one error: its message, then the field messages not shown elsewhere.
pub fn error_message(error: &AppError, beside_fields: &[&str]) -> impl IntoView + use<> {
    let listed: Vec<String> = error
        .field_errors()
        .iter()
        .filter(|e| !beside_fields.contains(&e.field.as_str()))
        .map(|e| e.message.clone())
        .collect();
    view! {
        <div class="notice notice--error">
            <p>{error.to_string()}</p>
            {(!listed.is_empty()).then(|| view! {
                <ul class="errors">{listed.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
            })}
        </div>
    }
}

/// A form's field messages: those the browser's check of the form found (with the domain rule
/// the server also runs) while it finds any, else those of the server's last answer.
#[derive(Clone, Copy)]
pub struct FieldMessages {
    checked: RwSignal<Vec<FieldError>>,
    answer: Signal<Option<AppError>>,
}

impl FieldMessages {
    /// `answer` is the server's error, usually `action_error(action)`.
    pub fn new(answer: Signal<Option<AppError>>) -> Self {
        FieldMessages { checked: RwSignal::new(Vec::new()), answer }
    }

    /// What the browser's check found; empty when the form may be sent.
    pub fn checked(&self, errors: Vec<FieldError>) {
        self.checked.set(errors);
    }

    /// The form's fields could not be read into the server function's arguments (a page out of
    /// step with the server): the reason goes to the console, the user gets a message.
    pub fn unreadable(&self, reason: impl std::fmt::Display) {
        leptos::logging::error!("form unreadable: {reason}");
        self.checked(vec![FieldError::new("form", FORM_UNREADABLE)]);
    }

    /// The message for `field`, if any (reactive).
    pub fn get(&self, field: &str) -> Option<String> {
        let checked = self.checked.with(|errors| {
            (!errors.is_empty()).then(|| errors.iter().find(|e| e.field == field).map(|e| e.message.clone()))
        });
        match checked {
            Some(message) => message,
            None => self.answer.with(|a| a.as_ref().and_then(|e| e.message_for(field))),
        }
    }

    /// `get` for one field, as a closure for a view.
    pub fn of(self, field: &'static str) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
        move || self.get(field)
    }

    /// The server's error for `<ActionError/>`, unless the browser's check has found something
    /// since (its messages stand next to the fields).
    pub fn error(self) -> Signal<Option<AppError>> {
        Signal::derive(move || if self.checked.with(Vec::is_empty) { self.answer.get() } else { None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(error: &AppError, beside: &[&str]) -> String {
        error_message(error, beside).to_html()
    }

    #[test]
    fn a_refusal_shows_its_message() {
        let k = crate::domain::Kommunenr::try_from(751).unwrap();
        assert!(html(&AppError::OtherKommune(k), &[]).contains("Du har ikke adgang til opgaverne i Aarhus (751)."));
    }

    #[test]
    fn field_messages_are_listed_unless_the_form_shows_them_beside_the_field() {
        let e =
            AppError::Invalid(vec![FieldError::new("note", "Skriv en begrundelse."), FieldError::new("x", "Andet.")]);
        let all = html(&e, &[]);
        assert!(
            all.contains("Ret de markerede felter.") && all.contains("Skriv en begrundelse.") && all.contains("Andet.")
        );
        let beside = html(&e, &["note"]);
        assert!(beside.contains("Ret de markerede felter.") && beside.contains("Andet."));
        assert!(!beside.contains("Skriv en begrundelse."));
        assert!(!html(&e, &["note", "x"]).contains("<ul"), "only the summary when every field shows its own");
    }

    #[test]
    fn the_browsers_check_comes_before_the_servers_answer() {
        let owner = Owner::new();
        owner.with(|| {
            let answer = RwSignal::new(Some(AppError::field("hours", "Fra serveren.")));
            let messages = FieldMessages::new(answer.into());
            assert_eq!(messages.get("hours").as_deref(), Some("Fra serveren."));
            messages.checked(vec![FieldError::new("note", "Fra browseren.")]);
            assert_eq!(messages.get("note").as_deref(), Some("Fra browseren."));
            assert_eq!(messages.get("hours"), None, "an old answer is not mixed with a new check");
            assert_eq!(messages.error().get(), None);
            messages.checked(Vec::new());
            assert_eq!(messages.get("hours").as_deref(), Some("Fra serveren."));
        });
    }
}
