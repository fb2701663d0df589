//! The board: the 17 opgavepakker of a kommune in three groups, counts pushed live.

use super::{kommune_param, with_kommune};
use crate::api::board::{get_board, list_kommuner};
use crate::app::use_user;
use crate::components::Loaded;
use crate::components::live::{LiveStatus, use_live_counts};
use crate::domain::Opgavepakke;
use crate::domain::Role;
use crate::domain::opgavepakke::{Gruppe, OpgavepakkeCounts};
use crate::model::Board;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BoardPage() -> impl IntoView {
    let kommune = kommune_param();
    let board = Resource::new(kommune, get_board);
    view! {
        <Title text="Opgavepakker"/>
        <KommunePicker/>
        <Loaded resource=board view=move |b: Board| view! { <BoardView board=b/> }/>
    }
}

/// KOMBIT sees every kommune: a small GET form to choose one.
#[component]
fn KommunePicker() -> impl IntoView {
    let user = use_user();
    let chosen = kommune_param();
    let kommuner = Resource::new(|| (), |_| list_kommuner());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let is_kombit = user.await.is_some_and(|u| u.role == Role::Kombit);
                if !is_kombit {
                    return None;
                }
                let kommuner = kommuner.await.unwrap_or_default();
                Some(view! {
                    <form method="get" action="/opgavepakker" class="picker">
                        <label for="kommune">"Kommune"</label>
                        <select id="kommune" name="kommune">
                            {kommuner.into_iter().map(|(nr, navn)| view! {
                                <option value=nr.to_string() selected=chosen() == Some(nr)>{format!("{navn} ({nr:03})")}</option>
                            }).collect_view()}
                        </select>
                        <button type="submit" class="button button--quiet">"Vis"</button>
                    </form>
                })
            })}
        </Suspense>
    }
}

#[component]
pub fn LiveBadge(status: ReadSignal<LiveStatus>) -> impl IntoView {
    view! {
        <span class="live" class:live--on=move || status.get() == LiveStatus::Live role="status">
            <span class="live__dot" aria-hidden="true"></span>
            {move || status.get().label()}
        </span>
    }
}

fn days_text(days: i64) -> String {
    match days {
        d if d < 0 => format!("overskredet med {} dage", -d),
        0 => "i dag".to_string(),
        1 => "1 dag tilbage".to_string(),
        d => format!("{d} dage tilbage"),
    }
}

/// Fetches the board again when the live counts carry a new plan version (the project lead
/// changed a deadline or the approach): the deadlines then change on every open board.
fn follow_plan(counts: ReadSignal<OpgavepakkeCounts>, board: RwSignal<Board>) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let plan = counts.with(|c| c.plan);
        let (shown, k) = board.with_untracked(|b| (b.counts.plan, b.kommune));
        if plan != 0 && plan != shown {
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = get_board(Some(k.get())).await {
                    board.set(fresh);
                }
            });
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (counts, board);
}

#[component]
fn BoardView(board: Board) -> impl IntoView {
    let k = board.kommune;
    let link_kommune = Some(k.get());
    let (counts, status) = use_live_counts(k, board.counts.clone());
    let current = RwSignal::new(board.clone());
    follow_plan(counts, current);
    let empty = leptos_router::hooks::use_query_map();
    let sum = move |g: Gruppe| counts.with(|c| c.sum(g));
    let group =
        move |gruppe: Gruppe, id: &'static str, title: &'static str, note: Box<dyn Fn() -> String + Send + Sync>| {
            view! {
                <section class="group" aria-labelledby=id>
                    <div class="group__head">
                        <h2 id=id>{title}</h2>
                        <p class="group__sum">
                            <span class="num">{move || fmt_count(sum(gruppe))}</span>" åbne opgaver"
                        </p>
                        <p class="group__note">{move || note()}</p>
                    </div>
                    <ul class="tiles">
                        {Opgavepakke::all()
                            .filter(|p| p.gruppe() == gruppe)
                            .map(|p| view! { <Tile opgavepakke=p counts link_kommune/> })
                            .collect_view()}
                    </ul>
                </section>
            }
        };
    let uden_note = move || {
        current.with(|b| {
            let own = match (&b.deadline_uden, b.days_to_deadline_uden) {
                (Some(d), Some(days)) => format!("Kommunens egen frist: {d} ({})", days_text(days)),
                _ => "Kommunen fastsætter selv fristen for fordringer uden dækninger.".to_string(),
            };
            match (&b.deadline_uden_endelig, b.days_to_deadline_uden_endelig) {
                (Some(d), Some(days)) => format!("{own}. Endelig frist: {d} ({})", days_text(days)),
                _ => own,
            }
        })
    };
    let med_note = move || {
        current.with(|b| {
            format!(
                "Skal løses før skatteårets frist {} ({}). Løs disse først.",
                b.deadline_med,
                days_text(b.days_to_deadline_med)
            )
        })
    };
    view! {
        <div class="page-head">
            <h1>"Opgavepakker – " {k.navn()} " Kommune (" {k.to_string()} ")"</h1>
            <LiveBadge status/>
        </div>
        <p class="lede">
            "Opret fordringssag-opgaver efter mangler. Tallene opdateres af sig selv, når en opgave løses, eller en dækning modtages."
        </p>
        <div class="toolbar">
            <p class="toolbar__count" data-testid="tilgang">
                <strong>{move || current.with(|b| b.tilgang.clone())}</strong>": "
                {move || current.with(|b| b.tilgang_text.clone())}
                " " <a href=with_kommune("/plan", link_kommune)>"Se planen"</a>
                " · " <a href=with_kommune("/fremdrift", link_kommune)>"Fremdrift mod fristerne"</a>
            </p>
            <form method="post" action="/sf/next_task" class="toolbar__next">
                <input type="hidden" name="kommune" value=k.get().to_string()/>
                <button type="submit" class="button">"Næste opgave"</button>
            </form>
        </div>
        {move || current.with(|b| b.ui04_progress.clone()).map(|p| view! {
            <p class="notice" data-testid="ui04-forside">"UI 04 bevillingstyper: "<strong>{p}</strong>" "
                <a href=with_kommune("/bevillingstyper", link_kommune)>"Gå til gennemgangen"</a>" · "
                <a href=with_kommune("/klik", link_kommune)>"KLIK-plan"</a></p>
        })}
        {move || (current.with(|b| b.had_tasks) && counts.with(|c| c.total()) == 0).then(|| view! {
            <div class="notice notice--ok" role="status" data-testid="mi38-faerdig">
                <p>
                    <strong>"MI 38 kan markeres fuldført i KLIK."</strong>
                    " Der er ingen Opret fordringssag-opgaver og ingen opgaver i ventetrin (09) tilbage. "
                    <a href=with_kommune("/fremdrift", link_kommune)>"Se, hvornår grupperne nåede nul"</a>
                </p>
            </div>
        })}
        {move || empty.read().get("tom").map(|_| view! {
            <div class="notice" role="status"><p>"Der er ingen ledige opgaver til dig lige nu efter kommunens plan."</p></div>
        })}
        {group(Gruppe::MedDaekninger, "med", "Med dækninger (01–08)", Box::new(med_note))}
        {group(
            Gruppe::Ventetrin,
            "ventetrin",
            "Ventetrin (09)",
            Box::new(|| "Dækninger og afskrivninger, der venter på fordringens Opret fordringssag-opgave. De behandles automatisk, når den er løst.".to_string()),
        )}
        {group(Gruppe::UdenDaekninger, "uden", "Uden dækninger (10–17)", Box::new(uden_note))}
        <aside class="advice" aria-labelledby="raad">
            <h2 id="raad">"Anbefalet rækkefølge"</h2>
            <ol>
                <li>"Sager, hvor der er foretaget tilbageførsler (KLIK-opgave UI 50)."</li>
                <li>"Pakkerne med dækninger (01–08) før skatteårets frist."</li>
                <li>"08 og 17 (Vælg KMD Aktiv bevilling) tidligt – de løser også den manglende sagstilknytning."</li>
            </ol>
        </aside>
    }
}

#[component]
fn Tile(opgavepakke: Opgavepakke, counts: ReadSignal<OpgavepakkeCounts>, link_kommune: Option<u16>) -> impl IntoView {
    let count = move || counts.with(|c| c.get(opgavepakke));
    let href = with_kommune(&format!("/opgavepakker/{}", opgavepakke.code()), link_kommune);
    view! {
        <li>
            <a class="tile" class:tile--empty=move || count() == 0 href=href>
                <span class="tile__code">{opgavepakke.code()}</span>
                <span class="tile__title">{opgavepakke.title()}</span>
                <span class="tile__count" data-opgavepakke=opgavepakke.code()>{move || fmt_count(count())}</span>
                <span class="visually-hidden">" åbne opgaver"</span>
            </a>
        </li>
    }
}

/// `12.345` — Danish thousands separator.
pub fn fmt_count(n: i64) -> String {
    crate::domain::beloeb::group_thousands(n)
}
