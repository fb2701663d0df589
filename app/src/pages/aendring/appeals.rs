//! `/klager`: KOMBIT's appeal queue. Each appeal shows the kommune's reason and MinSupport
//! SagsID beside the original ændringsønske and its rejection; KOMBIT upholds the rejection with
//! a reply or reopens the ændringsønske into visitering. Decided appeals stay listed for 30 days.

use super::StatusBadge;
use crate::api::aendring::{DecideAppeal, get_appeals};
use crate::components::{ActionError, FieldMessages, Loaded, action_error};
use crate::domain::aendring::AppealDecision;
use crate::domain::aendring::decision::check_appeal_reply;
use crate::model::aendring::AppealQueueItem;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AppealsPage() -> impl IntoView {
    let queue = Resource::new(|| (), |_| get_appeals());
    view! {
        <Title text="Klager"/>
        <h1>"Klager over afviste ændringsønsker"</h1>
        <p class="lede">"En kommune kan klage én gang pr. ændringsønske over en afvisning, den finder kritisk. Fasthold afvisningen med et svar, eller genoptag ønsket til visitering. Kommunen og den, der meldte ønsket ind, får svaret i indbakken."</p>
        <Loaded resource=queue view={move |items: Vec<AppealQueueItem>| {
            let open = items.iter().filter(|a| a.decision.is_none()).count();
            view! {
                <p data-testid="klager-antal">{format!("{open} klager venter på afgørelse.")}</p>
                {items.is_empty().then(|| view! { <p>"Ingen klager."</p> })}
                {items.into_iter().map(|a| view! { <AppealCard a queue/> }).collect_view()}
            }
        }}/>
    }
}

#[component]
fn AppealCard(
    a: AppealQueueItem,
    queue: Resource<Result<Vec<AppealQueueItem>, crate::error::AppError>>,
) -> impl IntoView {
    let decide = ServerAction::<DecideAppeal>::new();
    Effect::new(move |_| {
        if decide.value().with(|v| matches!(v, Some(Ok(_)))) {
            queue.refetch();
        }
    });
    let messages = FieldMessages::new(action_error(decide));
    let reply = RwSignal::new(String::new());
    let id = a.id;
    let send = move |decision: AppealDecision| {
        let text = reply.get_untracked();
        let missing = check_appeal_reply(&text);
        let ok = missing.is_empty();
        messages.checked(missing);
        if ok {
            decide.dispatch(DecideAppeal { appeal_id: id, decision: decision.key().into(), reply: text });
        }
    };
    let field = format!("svar-{id}");
    view! {
        <section class="panel" data-testid=format!("klage-{}", a.key)>
            <h2><a href=format!("/aendringsoensker/{}", a.aendring_id)>{format!("{}: {}", a.key, a.titel)}</a></h2>
            <p><StatusBadge status=a.status/></p>
            <dl class="facts facts--wide">
                <dt>"Afvist"</dt><dd>{a.rejected_at.clone().unwrap_or_else(|| "–".into())}</dd>
                <dt>"Begrundelse for afvisningen"</dt><dd class="prose">{a.rejection.clone()}</dd>
                <dt>"Klage fra"</dt><dd>{format!("{} – {}", a.kommune, a.at)}</dd>
                <dt>"MinSupport SagsID"</dt><dd>{a.sagsid.clone()}</dd>
                <dt>"Hvorfor kritisk"</dt><dd class="prose">{a.reason.clone()}</dd>
            </dl>
            {match a.decision {
                Some(d) => view! {
                    <p class="notice notice--ok">{format!("{} af {} {}: {}", d.label(), a.decided_by.clone().unwrap_or_default(), a.decided_at.clone().unwrap_or_default(), a.reply.clone().unwrap_or_default())}</p>
                }.into_any(),
                None => view! {
                    <div class="field">
                        <label for=field.clone()>"Svar til kommunen"</label>
                        <textarea id=field.clone() rows="3" bind:value=reply aria-describedby=format!("{field}-err")
                            aria-invalid=move || messages.get("reply").is_some().to_string()></textarea>
                        <p class="field__error" id=format!("{field}-err") role="alert">{messages.of("reply")}</p>
                    </div>
                    <div class="actions">
                        <button type="button" class="button button--quiet" disabled=move || decide.pending().get()
                            on:click=move |_| send(AppealDecision::Fasthold)>"Fasthold afvisningen"</button>
                        <button type="button" class="button" disabled=move || decide.pending().get()
                            on:click=move |_| send(AppealDecision::Genoptag)>"Genoptag til visitering"</button>
                    </div>
                    <ActionError error=messages.error() beside_fields=&["reply"]/>
                }.into_any(),
            }}
        </section>
    }
}
