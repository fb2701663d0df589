//! The user's own sessions (`/sessioner`): where and when each was opened and last used, when
//! it ends; end one, or all the others; change the password (which ends the others too).

use crate::api::sessions::{ChangePassword, EndOtherSessions, EndSession, get_my_sessions};
use crate::components::{ActionError, Loaded, action_error};
use crate::model::session::{MySessions, SessionInfo};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SessionerPage() -> impl IntoView {
    let end_one = ServerAction::<EndSession>::new();
    let end_others = ServerAction::<EndOtherSessions>::new();
    let password = ServerAction::<ChangePassword>::new();
    let sessions = Resource::new(
        move || (end_one.version().get(), end_others.version().get(), password.version().get()),
        |_| get_my_sessions(),
    );
    view! {
        <Title text="Dine sessioner"/>
        <h1>"Dine sessioner"</h1>
        <Loaded resource=sessions view=move |s: MySessions| view! { <SessionList s=s end_one=end_one end_others=end_others/> }/>
        <ActionError error=action_error(end_one)/>
        <ActionError error=action_error(end_others)/>
        <h2>"Skift adgangskode"</h2>
        <p>"Når du skifter adgangskode, bliver du logget ud alle andre steder."</p>
        <ActionForm action=password attr:class="form">
            <label for="pw-old">"Nuværende adgangskode"</label>
            <input id="pw-old" name="old" type="password" autocomplete="current-password" required/>
            <label for="pw-new">"Ny adgangskode (mindst 8 tegn)"</label>
            <input id="pw-new" name="new" type="password" autocomplete="new-password" minlength="8" required/>
            <button type="submit" class="button">"Skift adgangskode"</button>
        </ActionForm>
        <ActionError error=action_error(password)/>
        {move || password.value().get().and_then(Result::ok).map(|n| view! {
            <p class="notice" role="status">{format!("Adgangskoden er skiftet; {n} andre sessioner er afsluttet.")}</p>
        })}
    }
}

#[component]
fn SessionList(
    s: MySessions,
    end_one: ServerAction<EndSession>,
    end_others: ServerAction<EndOtherSessions>,
) -> impl IntoView {
    let others = s.sessions.iter().filter(|x| !x.current).count();
    view! {
        <p class="lede">{format!(
            "En session slutter efter {} minutter uden brug og senest {} timer efter, du loggede ind.",
            s.idle_minutes, s.max_hours
        )}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Sessioner">
            <table class="table" data-testid="sessioner">
                <thead><tr>
                    <th scope="col">"Browser"</th><th scope="col">"Adresse"</th><th scope="col">"Logget ind"</th>
                    <th scope="col">"Sidst brugt"</th><th scope="col">"Slutter senest"</th><th scope="col"><span class="visually-hidden">"Handling"</span></th>
                </tr></thead>
                <tbody>
                    {s.sessions.into_iter().map(|x| view! { <Row x=x end_one=end_one/> }).collect_view()}
                </tbody>
            </table>
        </div>
        {(others > 0).then(|| view! {
            <ActionForm action=end_others attr:class="inline-form">
                <button type="submit" class="button">{format!("Log ud alle andre steder ({others})")}</button>
            </ActionForm>
        })}
    }
}

#[component]
fn Row(x: SessionInfo, end_one: ServerAction<EndSession>) -> impl IntoView {
    view! {
        <tr class:current=x.current>
            <th scope="row">{x.browser.clone()}{x.current.then(|| view! { " " <span class="status status--flow">"Denne"</span> })}</th>
            <td>{if x.client.is_empty() { "–".to_string() } else { x.client.clone() }}</td>
            <td class="num">{x.opened.clone()}</td>
            <td class="num">{x.last_used.clone()}</td>
            <td class="num">{x.ends.clone()}</td>
            <td>{(!x.current).then(|| view! {
                <ActionForm action=end_one attr:class="inline-form">
                    <input type="hidden" name="id" value=x.id.clone()/>
                    <button type="submit" class="button button--quiet">"Log ud"</button>
                </ActionForm>
            })}</td>
        </tr>
    }
}
