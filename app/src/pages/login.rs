//! Login: a plain form post, so it works before (and without) JavaScript.

use crate::api::auth::demo_logins;
use crate::domain::safe_next_path;
use crate::domain::throttle::{is_hh_mm, locked_message};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Login() -> impl IntoView {
    let query = use_query_map();
    // The message comes from the address (the form post redirects here), so only a number and
    // a time of day are taken from it, never text.
    let failure = move || {
        let q = query.read();
        match q.get("fejl").as_deref() {
            None => None,
            Some("spaerret") => {
                let wait = q.get("vent").and_then(|v| v.parse::<u64>().ok()).unwrap_or(60).min(24 * 3600);
                let until = q.get("kl").filter(|k| is_hh_mm(k));
                Some(match until {
                    Some(until) => locked_message(wait, &until),
                    None => "For mange forkerte forsøg. Vent lidt, og prøv igen.".to_string(),
                })
            }
            Some(_) => Some("Forkert brugernavn eller adgangskode. Prøv igen.".to_string()),
        }
    };
    // Only a path on this site is carried on to the login (the server checks it again).
    let next = move || query.read().get("next").and_then(|n| safe_next_path(&n)).unwrap_or_default();
    let demo = Resource::new(|| (), |_| demo_logins());
    view! {
        <Title text="Log ind"/>
        <div class="login">
            <h1>"Log ind på Arbejdsbord"</h1>
            <p class="lede">"Opgavepakker for KMD Aktiv-fordringer (MI 38) og ændringsønsker til KY."</p>
            {move || failure().map(|message| view! {
                <div class="notice notice--error" role="alert" id="login-fejl">
                    <p>{message}</p>
                </div>
            })}
            <form method="post" action="/sf/login" class="form">
                <input type="hidden" name="next" value=next/>
                <div class="field">
                    <label for="username">"Brugernavn"</label>
                    <input id="username" name="username" type="text" autocomplete="username" required autofocus/>
                </div>
                <div class="field">
                    <label for="password">"Adgangskode"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required/>
                </div>
                <button type="submit" class="button">"Log ind"</button>
            </form>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    // The password comes with the users, from the server: the one the demo users
                    // were created with (`model::user::DEMO_PASSWORD`), not a copy of it here.
                    let demo = demo.await.unwrap_or_default();
                    (!demo.users.is_empty()).then(|| view! {
                        <aside class="demo-logins" aria-labelledby="demo-overskrift">
                            <h2 id="demo-overskrift">"Demo-brugere"</h2>
                            <p>"Adgangskode for alle: " <code data-testid="demo-adgangskode">{demo.password}</code></p>
                            <ul>
                                {demo.users.into_iter().map(|(u, what)| view! { <li><code>{u}</code>" – "{what}</li> }).collect_view()}
                            </ul>
                        </aside>
                    })
                })}
            </Suspense>
        </div>
    }
}
