//! The in-app inbox: every status change of the user's ændringsønsker.

use crate::api::aendring::{MarkNoticesRead, NoticeView, get_notices};
use crate::components::Loaded;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn InboxPage() -> impl IntoView {
    let notices = Resource::new(|| (), |_| get_notices());
    let mark = ServerAction::<MarkNoticesRead>::new();
    Effect::new(move |_| {
        if mark.value().with(|v| matches!(v, Some(Ok(_)))) {
            notices.refetch();
        }
    });
    view! {
        <Title text="Indbakke"/>
        <div class="page-head">
            <h1>"Indbakke"</h1>
            <button type="button" class="button button--quiet" on:click=move |_| { mark.dispatch(MarkNoticesRead {}); }>"Markér alle som læst"</button>
        </div>
        <Loaded resource=notices view={move |list: Vec<NoticeView>| view! {
            {list.is_empty().then(|| view! { <p>"Ingen beskeder endnu."</p> })}
            <ul class="inbox">
                {list.into_iter().map(|n| view! {
                    <li class:unread=n.unread>
                        <div class="inbox__head">
                            <strong>{n.subject.clone()}</strong>
                            <span class="muted">{n.at.clone()}</span>
                        </div>
                        <p class="prose">{n.body.clone()}</p>
                        {n.aendring_id.map(|id| view! { <a href=format!("/aendringsoensker/{id}")>"Se ændringsønsket"</a> })}
                    </li>
                }).collect_view()}
            </ul>
        }}/>
    }
}
