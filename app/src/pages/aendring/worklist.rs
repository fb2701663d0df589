//! `/arbejdsliste`: where KOMBIT, the leverandør, fagfællesskab members and support users start —
//! what waits for them, counted, each count a link to exactly what it counts.

use crate::api::aendring::aendring_worklists;
use crate::app::use_user;
use crate::components::Loaded;
use crate::model::aendring::WorklistCount;
use crate::pages::fmt_count;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn WorklistPage() -> impl IntoView {
    let lists = Resource::new(|| (), |_| aendring_worklists());
    let user = use_user();
    view! {
        <Title text="Min arbejdsliste"/>
        <h1>"Min arbejdsliste"</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                user.await.map(|u| view! { <p class="lede">{format!("Det venter på dig som {}.", u.role.label().to_lowercase())}</p> })
            })}
        </Suspense>
        <Loaded resource=lists view={move |items: Vec<WorklistCount>| view! {
            <ul class="worklist" data-testid="arbejdsliste">
                {items.into_iter().map(|w| view! {
                    <li>
                        <a href=w.href.clone() data-count=w.count.to_string()>
                            <span>{w.label.clone()}</span>
                            <span class="count">{fmt_count(w.count)}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
            <p><a href="/aendringsoensker">"Alle ændringsønsker"</a>" · "<a href="/backlog">"Den prioriterede backlog"</a></p>
        }}/>
    }
}
