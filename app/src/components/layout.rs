//! The frame around every page: skip link, header with navigation and the user, main region.

use crate::domain::Role;
use crate::model::SessionUser;
use leptos::prelude::*;

#[component]
pub fn Layout(user: Option<SessionUser>, children: Children) -> impl IntoView {
    let works_tasks = user.as_ref().is_some_and(|u| u.role.works_tasks());
    let is_kombit = user.as_ref().is_some_and(|u| u.role == Role::Kombit);
    view! {
        <a class="skip-link" href="#indhold">"Spring til indhold"</a>
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand__mark" aria-hidden="true">"KY"</span>
                <span class="brand__name">"Arbejdsbord"</span>
            </a>
            <nav aria-label="Hovedmenu" class="topnav">
                <ul>
                    {works_tasks.then(|| view! { <li><a href="/opgavepakker">"Opgavepakker"</a></li> })}
                    {is_kombit.then(|| view! { <li><a href="/opgavepakker?kommune=751">"Alle kommuner"</a></li> })}
                    <li><a href="/backlog">"Prioriteret backlog"</a></li>
                </ul>
            </nav>
            {match user {
                Some(u) => view! {
                    <div class="whoami">
                        <span class="whoami__name">{u.display_name.clone()}</span>
                        <span class="whoami__role">{u.affiliation()}</span>
                        <form method="post" action="/sf/logout" class="whoami__logout">
                            <button type="submit" class="button button--quiet">"Log ud"</button>
                        </form>
                    </div>
                }
                .into_any(),
                None => view! { <a class="button button--quiet" href="/login">"Log ind"</a> }.into_any(),
            }}
        </header>
        <main id="indhold" tabindex="-1">{children()}</main>
    }
}
