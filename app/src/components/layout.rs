//! The header of every page: skip link, navigation for the user's role, who is logged in.

use crate::app::use_user;
use crate::domain::Role;
use crate::model::SessionUser;
use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    let user = use_user();
    view! {
        <a class="skip-link" href="#indhold">"Spring til indhold"</a>
        <Suspense fallback=|| view! { <header class="topbar"><span class="brand">"Arbejdsbord"</span></header> }>
            {move || Suspend::new(async move { view! { <TopBar user=user.await/> } })}
        </Suspense>
    }
}

#[component]
fn TopBar(user: Option<SessionUser>) -> impl IntoView {
    let role = user.as_ref().map(|u| u.role);
    let works_tasks = role.is_some_and(Role::works_tasks);
    let is = |r: Role| role == Some(r);
    let scores =
        role.is_some_and(|r| matches!(r, Role::Fagfaellesskab | Role::Leverandoer | Role::Kombit | Role::Styregruppe));
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand__mark" aria-hidden="true">"KY"</span>
                <span class="brand__name">"Arbejdsbord"</span>
            </a>
            <nav aria-label="Hovedmenu" class="topnav">
                <ul>
                    {works_tasks.then(|| view! { <li><a href="/opgavepakker">"Opgavepakker"</a></li> })}
                    {is(Role::Projektleder).then(|| view! { <li><a href="/plan">"Plan"</a></li> })}
                    {(is(Role::Projektleder) || is(Role::Supportberettiget) || is(Role::Kombit)).then(|| view! { <li><a href="/bevillingstyper">"Bevillingstyper"</a></li> })}
                    {(works_tasks || is(Role::Supportberettiget)).then(|| view! { <li><a href="/klik">"KLIK-plan"</a></li> })}
                    {is(Role::Projektleder).then(|| view! { <li><a href="/estimat">"Estimat"</a></li> })}
                    {(works_tasks || is(Role::Kombit)).then(|| view! { <li><a href="/fremdrift">"Fremdrift"</a></li> })}
                    {(is(Role::Supportberettiget) || is(Role::Leverandoer)).then(|| view! { <li><a href="/automatisering">"Automatisering"</a></li> })}
                    {(is(Role::Projektleder) || is(Role::Kombit)).then(|| view! { <li><a href="/rapport">"Rapport R2.1"</a></li> })}
                    {(is(Role::Projektleder) || is(Role::Sagsbehandler)).then(|| view! { <li><a href="/stikproeve">"Stikprøve"</a></li> })}
                    {(is(Role::Kombit) || is(Role::Leverandoer) || is(Role::Fagfaellesskab) || is(Role::Supportberettiget)).then(|| view! { <li><a href="/arbejdsliste">"Arbejdsliste"</a></li> })}
                    {user.is_some().then(|| view! { <li><a href="/aendringsoensker">"Ændringsønsker"</a></li> })}
                    {scores.then(|| view! { <li><a href="/scoring">"Scoring"</a></li> })}
                    {(is(Role::Styregruppe) || is(Role::Kombit)).then(|| view! { <li><a href="/vaegte">"Vægte"</a></li> })}
                    {is(Role::Kombit).then(|| view! { <li><a href="/klager">"Klager"</a></li> })}
                    {is(Role::Kombit).then(|| view! { <li><a href="/meddelelser">"Fejlede beskeder"</a></li> })}
                    {(is(Role::Supportberettiget) || is(Role::Projektleder)).then(|| view! { <li><a href="/aendringsoensker/ansvar">"Ansvar"</a></li> })}
                    {is(Role::Kombit).then(|| view! { <li><a href="/oprydning">"Oprydning"</a></li> })}
                    {is(Role::Kombit).then(|| view! { <li><a href="/katalog">"Kataloger"</a></li> })}
                    {(is(Role::Styregruppe) || is(Role::Kombit)).then(|| view! { <li><a href="/succeskriterier">"Succeskriterier"</a></li> })}
                    {(is(Role::Kombit) || is(Role::Hoeringsansvarlig)).then(|| view! { <li><a href="/hoeringer">"Høringer"</a></li> })}
                    {(is(Role::Projektleder) || is(Role::Databeskyttelse)).then(|| view! { <li><a href="/revisionslog">"Revisionslog"</a></li> })}
                    <li><a href="/backlog">"Backlog"</a></li>
                    {user.is_some().then(|| view! { <li><a href="/indbakke">"Indbakke"</a></li> })}
                </ul>
            </nav>
            {match user {
                Some(u) => view! {
                    <div class="whoami">
                        <span class="whoami__name">{u.display_name.clone()}</span>
                        <span class="whoami__role">{u.affiliation()}</span>
                        <a class="whoami__sessions" href="/sessioner">"Sessioner"</a>
                        <form method="post" action="/sf/logout" class="whoami__logout">
                            <button type="submit" class="button button--quiet">"Log ud"</button>
                        </form>
                    </div>
                }
                .into_any(),
                None => view! { <a class="button button--quiet" href="/login">"Log ind"</a> }.into_any(),
            }}
        </header>
    }
}
