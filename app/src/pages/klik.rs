//! The kommune's KLIK plan: KOMBIT's tasks dated from the kommune's go-live on a timeline with
//! today's line, each task's status (UI 04 and MI 38 follow the work in Arbejdsbord; the project
//! lead sets the others), and overdue tasks marked. Go-live is set on the plan page.

use super::bevillingstyper::dk_date;
use super::{kommune_param, with_kommune};
use crate::api::klik::{SetKlikStatus, get_klik};
use crate::components::{ActionError, Loaded, action_error};
use crate::domain::klik::KlikStatus;
use crate::model::klik::{KlikPlan, KlikRow};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn KlikPage() -> impl IntoView {
    let kommune = kommune_param();
    let status = ServerAction::<SetKlikStatus>::new();
    let plan = Resource::new(move || (kommune(), status.version().get()), |(k, _)| get_klik(k));
    view! {
        <Title text="KLIK-plan"/>
        <Loaded resource=plan view=move |p: KlikPlan| view! { <PlanView p=p status=status link_kommune=kommune()/> }/>
    }
}

fn iso(d: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()
}

#[component]
fn PlanView(p: KlikPlan, status: ServerAction<SetKlikStatus>, link_kommune: Option<u16>) -> impl IntoView {
    let k = p.kommune;
    let overdue = p.opgaver.iter().filter(|o| o.overdue).count();
    view! {
        <h1>"KLIK-plan – " {k.navn()} " Kommune"</h1>
        {match p.go_live.as_deref() {
            Some(g) => view! {
                <p class="lede" data-testid="go-live">"Go-live i KY: "<strong>{dk_date(g)}</strong>". Alle datoer regnes ud fra den. "
                    <a href=with_kommune("/plan", link_kommune)>"Ret go-live i planen"</a></p>
            }.into_any(),
            None => view! {
                <p class="notice" data-testid="go-live">"Kommunen har ingen go-live-dato endnu, så opgavernes datoer kan ikke beregnes. "
                    <a href=with_kommune("/plan", link_kommune)>"Sæt go-live i planen"</a></p>
            }.into_any(),
        }}
        {(overdue > 0).then(|| view! {
            <p class="notice notice--warn" role="status">{format!("{overdue} {} over slutdatoen uden at være færdig.", if overdue == 1 { "opgave er" } else { "opgaver er" })}</p>
        })}
        {p.may_edit_catalogue.then(|| view! { <p><a href="/katalog">"Ret KOMBITs katalog over KLIK-opgaver"</a></p> })}
        <Timeline p=p.clone()/>
        <div class="table-scroll" tabindex="0" role="region" aria-label="KLIK-opgaver">
            <table class="table" data-testid="klik-opgaver">
                <thead><tr>
                    <th scope="col">"Opgave"</th><th scope="col">"Fase / tema"</th><th scope="col">"Start"</th>
                    <th scope="col">"Slut"</th><th scope="col">"Status"</th>
                </tr></thead>
                <tbody>
                    {p.opgaver.iter().cloned().map(|o| view! { <TaskRow o=o k=k.get() may_edit=p.may_edit status=status/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <ActionError error=action_error(status)/>
        <h2>"Opgavernes indhold"</h2>
        {p.opgaver.into_iter().map(|o| view! {
            <details class="panel">
                <summary><strong>{o.opgave.titel.clone()}</strong></summary>
                <dl class="facts">
                    {(o.opgave.master_id > 0).then(|| view! { <dt>"Master-opgave ID"</dt><dd>{o.opgave.master_id}</dd> })}
                    <dt>"Prioritet"</dt><dd>{o.opgave.prioritet.clone()}</dd>
                    <dt>"Bølger"</dt><dd>{o.opgave.boelger.clone()}</dd>
                    <dt>"STS/infrastruktur"</dt><dd>{if o.opgave.sts { "Ja" } else { "Nej" }}</dd>
                    <dt>"Slutdato"</dt><dd>{slut_rule(&o)}</dd>
                    <dt>"Mål"</dt><dd>{o.opgave.maal.clone()}</dd>
                    <dt>"Resultat"</dt><dd>{o.opgave.resultat.clone()}</dd>
                    <dt>"Anbefalet udfører"</dt><dd>{o.opgave.anbefalet_udfoerer.clone()}</dd>
                </dl>
            </details>
        }).collect_view()}
    }
}

fn slut_rule(o: &KlikRow) -> String {
    let t = &o.opgave;
    if t.kode == crate::domain::klik::MI38 {
        format!("fristen for fordringer med dækninger; start {} dage før", -t.start_offset)
    } else {
        format!(
            "{} dage {} go-live; start {} dage før slut",
            t.slut_offset.abs(),
            if t.slut_offset < 0 { "før" } else { "efter" },
            -t.start_offset
        )
    }
}

#[component]
fn TaskRow(o: KlikRow, k: u16, may_edit: bool, status: ServerAction<SetKlikStatus>) -> impl IntoView {
    let current = o.status;
    view! {
        <tr class:overdue=o.overdue data-testid=format!("klik-{}", o.opgave.kode)>
            <th scope="row">{o.opgave.titel.clone()}</th>
            <td>{o.opgave.fase.clone()}<br/><span class="muted">{o.opgave.tema.clone()}</span></td>
            <td class="num">{o.start.as_deref().map(dk_date).unwrap_or_else(|| "–".into())}</td>
            <td class="num">{o.slut.as_deref().map(dk_date).unwrap_or_else(|| "–".into())}
                {o.overdue.then(|| view! { " " <span class="status status--stop">"Forsinket"</span> })}</td>
            <td>{if may_edit && !o.follows_app {
                view! {
                    <ActionForm action=status attr:class="inline-form">
                        <input type="hidden" name="kommune" value=k.to_string()/>
                        <input type="hidden" name="opgave_id" value=o.id.to_string()/>
                        <label class="visually-hidden" for=format!("ks-{}", o.id)>"Status"</label>
                        <select id=format!("ks-{}", o.id) name="status">
                            {KlikStatus::ALL.into_iter().map(|s| view! { <option value=s.key() selected=s == current>{s.label()}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="button button--quiet">"Gem"</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <span class="status status--flow">{current.label()}</span>
                    {o.follows_app.then(|| view! { <br/><span class="muted">"Følger arbejdet i Arbejdsbord"</span> })}
                }.into_any()
            }}</td>
        </tr>
    }
}

/// The tasks as bars on a calendar, with today's line and go-live; a sentence for screen readers
/// (the table above holds the same dates).
#[component]
fn Timeline(p: KlikPlan) -> impl IntoView {
    let bars: Vec<(String, NaiveDate, NaiveDate, bool, KlikStatus)> = p
        .opgaver
        .iter()
        .filter_map(|o| {
            Some((o.opgave.kode.clone(), iso(o.start.as_deref()?)?, iso(o.slut.as_deref()?)?, o.overdue, o.status))
        })
        .collect();
    let today = iso(&p.today);
    let go_live = p.go_live.as_deref().and_then(iso);
    let (Some(first), Some(last)) =
        (bars.iter().map(|b| b.1).chain(today).min(), bars.iter().map(|b| b.2).chain(go_live).chain(today).max())
    else {
        return ().into_any();
    };
    if bars.is_empty() {
        return ().into_any();
    }
    let span = ((last - first).num_days().max(1)) as f64;
    let (left, width, row_h) = (90.0, 600.0, 28.0);
    let x = move |d: NaiveDate| left + (d - first).num_days() as f64 / span * width;
    // a label near either edge grows inwards so it is not cut off
    let anchor = move |at: f64| match at {
        at if at < left + 80.0 => "start",
        at if at > left + width - 80.0 => "end",
        _ => "middle",
    };
    // two label lines under the bars: today's and go-live's (they may fall close together)
    let height = bars.len() as f64 * row_h + 54.0;
    let lines_end = height - 36.0;
    let summary = format!(
        "Tidslinje fra {} til {}: {}.",
        first.format("%d.%m.%Y"),
        last.format("%d.%m.%Y"),
        bars.iter()
            .map(|(k, s, e, _, st)| format!(
                "{k} {} – {} ({})",
                s.format("%d.%m.%Y"),
                e.format("%d.%m.%Y"),
                st.label().to_lowercase()
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    view! {
        <figure class="chart chart--scroll" data-testid="klik-tidslinje" tabindex="0">
            <svg viewBox=format!("0 0 {} {height}", left + width + 10.0) role="img" aria-label=summary class="timeline">
                {bars.iter().enumerate().map(|(i, (kode, s, e, overdue, st))| {
                    let y = 10.0 + i as f64 * row_h;
                    let class = match (overdue, st) {
                        (true, _) => "timeline__bar timeline__bar--late",
                        (_, KlikStatus::Faerdig) => "timeline__bar timeline__bar--done",
                        _ => "timeline__bar",
                    };
                    view! {
                        <text x="0" y=format!("{}", y + 15.0) class="timeline__label">{kode.clone()}</text>
                        <rect x=format!("{:.1}", x(*s)) y=format!("{y}") width=format!("{:.1}", (x(*e) - x(*s)).max(2.0)) height="18" class=class></rect>
                    }
                }).collect_view()}
                {today.map(|t| view! {
                    <line x1=format!("{:.1}", x(t)) x2=format!("{:.1}", x(t)) y1="0" y2=format!("{lines_end}") class="timeline__today"></line>
                    <text x=format!("{:.1}", x(t)) y=format!("{}", height - 22.0) text-anchor=anchor(x(t)) class="timeline__label">{format!("I dag {}", t.format("%d.%m.%Y"))}</text>
                })}
                {go_live.map(|g| view! {
                    <line x1=format!("{:.1}", x(g)) x2=format!("{:.1}", x(g)) y1="0" y2=format!("{}", height - 18.0) class="timeline__golive"></line>
                    <text x=format!("{:.1}", x(g)) y=format!("{}", height - 4.0) text-anchor=anchor(x(g)) class="timeline__label">{format!("Go-live {}", g.format("%d.%m.%Y"))}</text>
                })}
            </svg>
        </figure>
    }
    .into_any()
}
