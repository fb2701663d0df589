//! `/aendringsoensker/ansvar`: a kommune's support address and who answers for its ændringsønsker,
//! with the hand-over of one support user's ændringsønsker to a colleague (confirmed with the
//! number it moves). `/meddelelser`: KOMBIT's list of notices that could not be delivered.

use crate::api::aendring::{HandOverAendringer, ResendMail, SetSupportEmail, failed_mail, get_responsibility};
use crate::components::{ActionError, FieldMessages, Loaded, action_error};
use crate::domain::aendring::recipients::{check_hand_over, check_support_email};
use crate::model::aendring::{FailedMailView, ResponsibilityView};
use crate::pages::fmt_count;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ResponsibilityPage() -> impl IntoView {
    let q = use_query_map();
    let kommune = move || q.read().get("kommune").and_then(|k| k.parse::<u16>().ok());
    let view_ = Resource::new(kommune, get_responsibility);
    view! {
        <Title text="Ansvar for ændringsønsker"/>
        <h1>"Ansvar for kommunens ændringsønsker"</h1>
        <p class="lede">"Hvert ændringsønske har en ansvarlig supportberettiget, som får besked, når det skifter status. Holder en kollega op, overdrages ønskerne. Uden ansvarlig går besked til kommunens supportadresse."</p>
        <Loaded resource=view_ view=move |v: ResponsibilityView| view! { <Responsibility v refresh=view_/> }/>
    }
}

type Refresh = Resource<Result<ResponsibilityView, crate::error::AppError>>;

#[component]
fn Responsibility(v: ResponsibilityView, refresh: Refresh) -> impl IntoView {
    let kommune = Some(v.kommune);
    let save = ServerAction::<SetSupportEmail>::new();
    let address_messages = FieldMessages::new(action_error(save));
    let saved = v.support_email.clone().unwrap_or_default();
    let address = RwSignal::new(saved.clone());
    Effect::new(move |_| {
        if save.value().with(|r| matches!(r, Some(Ok(_)))) {
            refresh.refetch();
        }
    });
    let send_address = move |_| {
        let text = address.get_untracked();
        match check_support_email(&text) {
            Ok(_) => {
                address_messages.checked(Vec::new());
                save.dispatch(SetSupportEmail { kommune, support_email: text });
            }
            Err(e) => address_messages.checked(vec![e]),
        }
    };
    let users = v.users.clone();
    view! {
        <section class="panel panel--form" aria-labelledby="adresse">
            <h2 id="adresse">{format!("Supportadresse for {}", v.kommune_navn)}</h2>
            <p class="muted">"Bruges, når ingen person er ansvarlig for et ønske (fx ønsker fra den gamle pulje), eller den ansvarlige ikke har en e-mailadresse."</p>
            <div class="field">
                <label for="support-email">"E-mailadresse"</label>
                <input id="support-email" type="email" value=saved bind:value=address aria-describedby="support-email-err"
                    aria-invalid=move || address_messages.get("support_email").is_some().to_string()/>
                <p class="field__error" id="support-email-err" role="alert">{address_messages.of("support_email")}</p>
            </div>
            <button type="button" class="button" disabled=move || save.pending().get() on:click=send_address>"Gem adressen"</button>
            <ActionError error=address_messages.error() beside_fields=&["support_email"]/>
            {move || save.value().get().and_then(Result::ok).map(|_| view! { <p class="notice notice--ok" role="status">"Adressen er gemt."</p> })}
        </section>
        <section class="panel" aria-labelledby="ansvarlige">
            <h2 id="ansvarlige">"Supportberettigede"</h2>
            <div class="table-scroll" role="region" aria-labelledby="ansvarlige" tabindex="0">
            <table class="table" data-testid="ansvarlige">
                <thead><tr><th scope="col">"Navn"</th><th scope="col">"Brugernavn"</th><th scope="col">"E-mail"</th><th scope="col" class="right">"Ændringsønsker"</th></tr></thead>
                <tbody>
                    {v.users.iter().map(|u| view! {
                        <tr>
                            <td>{u.name.clone()}</td><td>{u.username.clone()}</td>
                            <td>{u.email.clone().unwrap_or_else(|| "–".into())}</td>
                            <td class="right num">{fmt_count(u.aendringer)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            {(v.unowned > 0).then(|| view! {
                <p class="muted">{format!("{} ønsker uden ansvarlig person: besked går til alle supportberettigede og supportadressen.", fmt_count(v.unowned))}</p>
            })}
        </section>
        <HandOver kommune users refresh/>
    }
}

/// Moves every ændringsønske one support user answers for to another, after a confirmation
/// that names the number.
#[component]
fn HandOver(
    kommune: Option<u16>,
    users: Vec<crate::model::aendring::SupportUserView>,
    refresh: Refresh,
) -> impl IntoView {
    let hand = ServerAction::<HandOverAendringer>::new();
    Effect::new(move |_| {
        if hand.value().with(|r| matches!(r, Some(Ok(_)))) {
            refresh.refetch();
        }
    });
    let messages = FieldMessages::new(action_error(hand));
    let from = RwSignal::new(0i64);
    let to = RwSignal::new(0i64);
    let confirming = RwSignal::new(false);
    let counts: Vec<(i64, i64, String)> = users.iter().map(|u| (u.id, u.aendringer, u.name.clone())).collect();
    let count_of = {
        let counts = counts.clone();
        move |id: i64| counts.iter().find(|(u, ..)| *u == id).map_or(0, |(_, n, _)| *n)
    };
    let name_of = move |id: i64| counts.iter().find(|(u, ..)| *u == id).map(|(.., n)| n.clone()).unwrap_or_default();
    let ask = move |_| {
        let missing = check_hand_over(from.get_untracked(), to.get_untracked());
        let ok = missing.is_empty();
        messages.checked(missing);
        confirming.set(ok);
    };
    let count_for_send = count_of.clone();
    let send = move |_| {
        let (f, t) = (from.get_untracked(), to.get_untracked());
        hand.dispatch(HandOverAendringer { kommune, from: f, to: t, expected: count_for_send(f) });
        confirming.set(false);
    };
    let options = move || {
        users
            .iter()
            .map(|u| view! { <option value=u.id.to_string()>{format!("{} ({})", u.name, u.username)}</option> })
            .collect_view()
    };
    let options_to = options.clone();
    view! {
        <section class="panel panel--form" aria-labelledby="overdrag">
            <h2 id="overdrag">"Overdrag ændringsønsker"</h2>
            <div class="field">
                <label for="o-fra">"Fra"</label>
                <select id="o-fra" on:change=move |ev| { from.set(event_target_value(&ev).parse().unwrap_or(0)); confirming.set(false); }>
                    <option value="0">"Vælg …"</option>{options()}
                </select>
                <p class="field__error" role="alert">{messages.of("from")}</p>
            </div>
            <div class="field">
                <label for="o-til">"Til"</label>
                <select id="o-til" on:change=move |ev| { to.set(event_target_value(&ev).parse().unwrap_or(0)); confirming.set(false); }>
                    <option value="0">"Vælg …"</option>{options_to()}
                </select>
                <p class="field__error" role="alert">{messages.of("to")}</p>
            </div>
            <button type="button" class="button button--quiet" on:click=ask>"Overdrag …"</button>
            {move || confirming.get().then(|| {
                let (f, t) = (from.get(), to.get());
                view! {
                    <div class="notice" role="alert" data-testid="bekraeft-overdragelse">
                        <p>{format!("{} ændringsønsker overdrages fra {} til {}. {} får fremover besked om dem.",
                            fmt_count(count_of(f)), name_of(f), name_of(t), name_of(t))}</p>
                        <button type="button" class="button" disabled=move || hand.pending().get() on:click=send.clone()>
                            {format!("Overdrag {} ændringsønsker", fmt_count(count_of(f)))}
                        </button>
                        " "
                        <button type="button" class="button button--quiet" on:click=move |_| confirming.set(false)>"Fortryd"</button>
                    </div>
                }
            })}
            <ActionError error=messages.error() beside_fields=&["from", "to"]/>
            {move || hand.value().get().and_then(Result::ok).map(|n| view! {
                <p class="notice notice--ok" role="status">{format!("{} ændringsønsker er overdraget.", fmt_count(n as i64))}</p>
            })}
        </section>
    }
}

#[component]
pub fn FailedMailPage() -> impl IntoView {
    let mails = Resource::new(|| (), |_| failed_mail());
    view! {
        <Title text="Meddelelser, der ikke kunne leveres"/>
        <h1>"Meddelelser, der ikke kunne leveres"</h1>
        <p class="lede">"Beskeder til kommunerne, som mailserveren afviste, eller som ingen modtager havde. De står her, til de er sendt igen til en rigtig adresse."</p>
        <Loaded resource=mails view={move |items: Vec<FailedMailView>| view! {
            {items.is_empty().then(|| view! { <p>"Ingen – alle beskeder er leveret eller på vej."</p> })}
            <ul class="plain-list" data-testid="fejlede-meddelelser">
                {items.into_iter().map(|m| view! { <FailedMail m refresh=mails/> }).collect_view()}
            </ul>
        }}/>
    }
}

#[component]
fn FailedMail(
    m: FailedMailView,
    refresh: Resource<Result<Vec<FailedMailView>, crate::error::AppError>>,
) -> impl IntoView {
    let resend = ServerAction::<ResendMail>::new();
    Effect::new(move |_| {
        if resend.value().with(|r| matches!(r, Some(Ok(_)))) {
            refresh.refetch();
        }
    });
    let messages = FieldMessages::new(action_error(resend));
    let to = RwSignal::new(m.to.clone());
    let id = m.id;
    let send = move |_| {
        let address = to.get_untracked();
        match check_support_email(&address) {
            Ok(Some(_)) => {
                messages.checked(Vec::new());
                resend.dispatch(ResendMail { id, to: address });
            }
            _ => {
                messages.checked(vec![crate::domain::resolve::FieldError::new("to", "Skriv en gyldig e-mailadresse.")])
            }
        }
    };
    let field = format!("til-{id}");
    view! {
        <li class="panel">
            <h2 class="h3">{m.subject.clone()}</h2>
            <dl class="facts facts--wide">
                <dt>"Oprettet"</dt><dd>{m.at.clone()}</dd>
                <dt>"Kommune"</dt><dd>{m.kommune.clone().unwrap_or_else(|| "–".into())}</dd>
                {m.aendring.clone().map(|(aid, key)| view! { <dt>"Ændringsønske"</dt><dd><a href=format!("/aendringsoensker/{aid}")>{key}</a></dd> })}
                <dt>"Til"</dt><dd>{if m.to.is_empty() { "(ingen adresse)".to_string() } else { m.to.clone() }}</dd>
                <dt>"Fejl"</dt><dd>{m.error.clone()}</dd>
            </dl>
            <details><summary>"Beskeden"</summary><p class="prose">{m.body.clone()}</p></details>
            <div class="field">
                <label for=field.clone()>"Send igen til"</label>
                <input id=field type="email" value=m.to.clone() bind:value=to aria-invalid=move || messages.get("to").is_some().to_string()/>
                <p class="field__error" role="alert">{messages.of("to")}</p>
            </div>
            <button type="button" class="button" disabled=move || resend.pending().get() on:click=send>"Send igen"</button>
            <ActionError error=messages.error() beside_fields=&["to"]/>
        </li>
    }
}
