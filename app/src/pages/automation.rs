//! "Automatisering": a kommune's supportberettiget user asks the supplier to automate paragraf-
//! and/or kravtypekontrol (the MinSupport request of Tabel 2 is filled in and recorded); the
//! supplier sees the requests and switches the controls on, after a confirmation that says what
//! will happen. Open boards show the moves live.

use super::kommune_param;
use crate::api::automation::{RequestAutomation, SwitchAutomation, list_automation};
use crate::app::use_user;
use crate::components::{ActionError, action_error};
use crate::domain::Role;
use crate::model::automation::{AutomationRequest, controls};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AutomationPage() -> impl IntoView {
    let user = use_user();
    let kommune = kommune_param();
    let requests = Resource::new(kommune, list_automation);
    let ask = ServerAction::<RequestAutomation>::new();
    let switch = ServerAction::<SwitchAutomation>::new();
    Effect::new(move |_| {
        if ask.version().get() > 0 || switch.version().get() > 0 {
            requests.refetch();
        }
    });
    view! {
        <Title text="Automatisering af paragraf- og kravtypekontrol"/>
        <h1>"Automatisering af paragraf- og kravtypekontrol"</h1>
        <p class="lede">
            "Når en stikprøve viser, at paragraffer og kravtyper på kilden er rigtige, kan kommunen bede leverandøren om at automatisere kontrollen. Så tæller manglen som opfyldt for alle åbne og senere opgaver: de flytter til pakken for det, der stadig mangler, eller lukkes."
        </p>
        <p data-testid="stikproeve-link">
            <a href="/stikproeve">"Se stikprøvens resultater"</a>
            " – fejlraten for paragraf- og kravtypekontrol, som kommunen beslutter automatiseringen ud fra."
        </p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let u = user.await?;
                Some(match (u.role, u.kommune) {
                    (Role::Supportberettiget, Some(k)) => view! { <AskForm kommune=k.get() ask/> }.into_any(),
                    (Role::Leverandoer, _) => view! {
                        <p class="notice" role="note">"Som leverandør slår du automatiseringen til for en kommune ud fra dens anmodning nedenfor."</p>
                    }.into_any(),
                    _ => view! { <p class="muted">"Kommunens supportberettigede bruger anmoder; leverandøren slår til."</p> }.into_any(),
                })
            })}
        </Suspense>
        <Transition fallback=|| view! { <p class="loading">"Henter anmodninger …"</p> }>
            {move || Suspend::new(async move {
                let is_supplier = user.await.is_some_and(|u| u.role == Role::Leverandoer);
                match requests.await {
                    Ok(list) => view! { <Requests list is_supplier switch/> }.into_any(),
                    Err(error) => view! { <crate::components::ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AskForm(kommune: u16, ask: ServerAction<RequestAutomation>) -> impl IntoView {
    let paragraf = RwSignal::new(true);
    let kravtype = RwSignal::new(false);
    view! {
        <section class="panel" aria-labelledby="anmod">
            <h2 id="anmod">"Anmod om automatisering"</h2>
            <label class="choice"><input type="checkbox" prop:checked=paragraf on:change=move |ev| paragraf.set(event_target_checked(&ev))/>" Paragrafkontrol"</label>
            <label class="choice"><input type="checkbox" prop:checked=kravtype on:change=move |ev| kravtype.set(event_target_checked(&ev))/>" Kravtypekontrol"</label>
            <ActionError error=action_error(ask)/>
            <button type="button" class="button" disabled=move || ask.pending().get()
                on:click=move |_| { ask.dispatch(RequestAutomation { kommune, paragrafkontrol: paragraf.get(), kravtypekontrol: kravtype.get() }); }>
                "Anmod om automatisering"
            </button>
            <div role="status" aria-live="polite">
                {move || ask.value().get().and_then(Result::ok).map(|r| view! {
                    <div class="notice notice--ok" data-testid="minsupport">
                        <p>"Anmodningen er registreret. Opret sagen i MinSupport med denne tekst:"</p>
                        <p><strong>"Titel: "</strong>{r.titel}</p>
                        <p>{r.beskrivelse}</p>
                    </div>
                })}
            </div>
        </section>
    }
}

#[component]
fn Requests(list: Vec<AutomationRequest>, is_supplier: bool, switch: ServerAction<SwitchAutomation>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"Ingen anmodninger endnu."</p> }.into_any();
    }
    let confirming = RwSignal::new(None::<i64>);
    view! {
        <section class="section" aria-labelledby="anmodninger">
            <h2 id="anmodninger">"Anmodninger"</h2>
            <ActionError error=action_error(switch)/>
            <div role="status" aria-live="polite">
                {move || switch.value().get().and_then(Result::ok).map(|r| view! {
                    <p class="notice notice--ok" data-testid="automatiseret">{if r.unchanged {
                        "Ingen ændring: kontrollen var allerede automatiseret.".to_string()
                    } else {
                        format!("Slået til for {}: {} opgaver flyttet, {} lukket, {} dækninger i ventetrin behandlet.",
                            r.kommune.navn(), r.moved, r.closed, r.ventetrin_processed)
                    }}</p>
                })}
            </div>
            <ul class="cards">
                {list.into_iter().map(|r| {
                    let (id, k, p, kk) = (r.id, r.kommune, r.paragrafkontrol, r.kravtypekontrol);
                    let pending = r.done.is_none();
                    view! {
                        <li class="panel" data-testid="anmodning">
                            <p><strong>{format!("{} Kommune ({})", k.navn(), k)}</strong>" · "{r.titel}</p>
                            <p>{r.beskrivelse}</p>
                            <p class="muted">{format!("Anmodet af {} {}", r.requested_by, r.requested_at)}</p>
                            {match r.done {
                                Some(done) => view! { <p class="badge">{format!("Slået til {done}")}</p> }.into_any(),
                                None => view! { <p class="badge">"Afventer leverandøren"</p> }.into_any(),
                            }}
                            {(is_supplier && pending).then(|| view! {
                                <Show when=move || confirming.get() == Some(id) fallback=move || view! {
                                    <button type="button" class="button" on:click=move |_| confirming.set(Some(id))>"Slå automatisering til …"</button>
                                }>
                                    <div class="notice" role="alertdialog" aria-label="Bekræft automatisering">
                                        <p>{format!(
                                            "Det kan ikke fortrydes: {} tæller fra nu som opfyldt for alle åbne og senere opgaver i {} Kommune. Opgaverne flytter til pakken for det, der stadig mangler, eller lukkes, og ventende dækninger behandles.",
                                            controls(p, kk),
                                            k.navn())}</p>
                                        <button type="button" class="button" disabled=move || switch.pending().get()
                                            on:click=move |_| { switch.dispatch(SwitchAutomation { kommune: k.get(), paragrafkontrol: p, kravtypekontrol: kk }); confirming.set(None); }>
                                            "Ja, slå til"
                                        </button>
                                        " " <button type="button" class="button button--quiet" on:click=move |_| confirming.set(None)>"Fortryd"</button>
                                    </div>
                                </Show>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
