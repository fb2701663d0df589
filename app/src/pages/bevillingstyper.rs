//! UI 04 "Tag stilling til bevillingstyper i KMD Aktiv": the project lead sees every
//! bevillingstype of the kommune's extract with its figures, decides each one (with the seed's
//! warnings where they apply), plans and follows up the work, and exports the review for the
//! steering group. Superbrugere (supportberettigede) and KOMBIT read.

use super::{kommune_param, with_kommune};
use crate::api::bevillingstyper::{
    AddPlanpunkt, DecideBevillingstype, RefreshBevillingstyper, SetPlanpunktStatus, get_bevillingstype,
    get_bevillingstyper,
};
use crate::components::{ActionError, Loaded, action_error};
use crate::domain::beloeb::Beloeb;
use crate::domain::bevillingstype::Valg;
use crate::domain::klik::KlikStatus;
use crate::model::bevillingstyper::{DRILL_LIMIT, Inventory, InventoryRow, TypeDetail};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

pub(crate) fn dk_date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso.get(..10).unwrap_or(iso), "%Y-%m-%d")
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

fn count(n: i64) -> String {
    crate::domain::beloeb::group_thousands(n)
}

/// A bevillingstype as one URL path segment (codes are letters and digits; anything else is
/// percent-encoded).
fn path_segment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[component]
pub fn BevillingstyperPage() -> impl IntoView {
    let kommune = kommune_param();
    let decide = ServerAction::<DecideBevillingstype>::new();
    let add = ServerAction::<AddPlanpunkt>::new();
    let status = ServerAction::<SetPlanpunktStatus>::new();
    let refresh = ServerAction::<RefreshBevillingstyper>::new();
    provide_context(refresh);
    // The types the user has opened stay open when the list is drawn again after a save.
    provide_context(Opened(RwSignal::new(Vec::new())));
    let inventory = Resource::new(
        move || {
            (kommune(), decide.version().get(), add.version().get(), status.version().get(), refresh.version().get())
        },
        move |(k, ..)| get_bevillingstyper(k),
    );
    view! {
        <Title text="Bevillingstyper (UI 04)"/>
        <Loaded resource=inventory view=move |inv: Inventory| view! {
            <InventoryView inv=inv decide=decide add=add status=status link_kommune=kommune()/>
        }/>
    }
}

#[component]
fn InventoryView(
    inv: Inventory,
    decide: ServerAction<DecideBevillingstype>,
    add: ServerAction<AddPlanpunkt>,
    status: ServerAction<SetPlanpunktStatus>,
    link_kommune: Option<u16>,
) -> impl IntoView {
    let k = inv.kommune;
    let xlsx = format!("/api/v1/kommuner/{}/bevillingstyper?format=xlsx", k.get());
    let since = inv.udbetalinger_til.as_deref().map(dk_date);
    let illustrative = inv.katalog_illustrativt;
    let rows = inv.rows.clone();
    let shared = StoredValue::new(inv);
    view! {
        <h1>"Bevillingstyper i KMD Aktiv – " {k.navn()} " Kommune"</h1>
        <p class="lede">
            "KLIK-opgave UI 04: tag stilling til hver bevillingstype – match til en KY-ydelsestype, opret som \"anden ydelse\", nedlæg eller flyt til et andet system – og læg en plan for det, der kræver arbejde."
        </p>
        <p class="notice" role="status" data-testid="ui04-progress"><strong>{shared.with_value(|i| i.progress.clone())}</strong>
            {shared.with_value(|i| i.ui04_slut.clone()).map(|d| format!(" · UI 04 slutter {}", dk_date(&d)))}
            " · " <a href=with_kommune("/klik", link_kommune)>"KLIK-plan"</a>
            " · " <a href=xlsx download>"Hent gennemgangen som Excel"</a>
        </p>
        <div class="muted" data-testid="opgjort">
            {shared.with_value(|i| i.opgjort_at.clone()).map(|at| format!("Tallene er opgjort {at} (ved importen eller på projektlederens bud); åbne opgaver ændrer sig, mens der arbejdes. "))}
            {shared.with_value(|i| i.may_edit).then(|| {
                let refresh = expect_context::<ServerAction<RefreshBevillingstyper>>();
                view! {
                    <ActionForm action=refresh attr:class="inline-form">
                        <input type="hidden" name="kommune" value=k.get().to_string()/>
                        <button type="submit" class="button button--quiet" disabled=move || refresh.pending().get()>"Opgør tallene igen"</button>
                    </ActionForm>
                }
            })}
        </div>
        {illustrative.then(|| view! {
            <p class="notice">"Kataloget over KY-ydelsestyper er illustrativt (demodata) – det er ikke KOMBITs officielle katalog."</p>
        })}
        {(!shared.with_value(|i| i.may_edit)).then(|| view! {
            <p class="notice" role="status">"Du kan se gennemgangen. Kun kommunens projektleder kan beslutte og planlægge."</p>
        })}
        {rows.is_empty().then(|| view! { <p class="notice">"Kommunens udtræk indeholder ingen bevillinger endnu."</p> })}
        <div class="table-scroll" tabindex="0" role="region" aria-label="Bevillingstyper">
            <table class="table" data-testid="bevillingstyper">
                <caption class="visually-hidden">"Bevillingstyper sorteret efter aktive personer og udbetalt beløb"</caption>
                <thead><tr>
                    <th scope="col">"Type"</th>
                    <th scope="col" class="right">"Bevillinger (aktive)"</th>
                    <th scope="col" class="right">"Personer (aktive)"</th>
                    <th scope="col">"Ydelsesarter"</th>
                    <th scope="col" class="right">"Udbetalt seneste 12 mdr."</th>
                    <th scope="col" class="right">"Åbne MI 38-opgaver"</th>
                    <th scope="col">"Beslutning"</th>
                </tr></thead>
                <tbody>
                    {rows.iter().map(|r| {
                        let href = with_kommune(&format!("/bevillingstyper/{}", path_segment(&r.bevillingstype)), link_kommune);
                        view! {
                            <tr>
                                <th scope="row"><a href=href>{r.bevillingstype.clone()}</a>
                                    {r.kommune_made.then(|| view! { " " <span class="status status--flow">"kommuneoprettet"</span> })}</th>
                                <td class="right num">{count(r.bevillinger)}" ("{count(r.aktive)}")"</td>
                                <td class="right num">{count(r.personer)}" ("{count(r.aktive_personer)}")"</td>
                                <td>{r.ydelsesarter.join(", ")}</td>
                                <td class="right num">{Beloeb(r.udbetalt_oere).to_string()}<br/><span class="muted">{count(r.udbetalinger)}" udbetalinger"</span></td>
                                <td class="right num">{count(r.open_tasks)}</td>
                                <td>{match &r.beslutning {
                                    Some(b) => view! { <span class="status status--ok">{b.valg.label()}</span> }.into_any(),
                                    None => view! { <span class="status status--stop">"Ikke besluttet"</span> }.into_any(),
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {since.map(|d| view! { <p class="muted">{format!("Udbetalinger i de 12 måneder til udtrækkets seneste udbetaling {d}.")}</p> })}
        <h2>"Beslut og planlæg"</h2>
        <p class="muted">"Åbn en type for at beslutte eller tilføje planpunkter. Typer med planpunkter, der ikke er færdige, står åbne."</p>
        {rows.into_iter().map(|r| view! { <TypeCard row=r inv=shared decide=decide add=add status=status/> }).collect_view()}
    }
}

#[derive(Clone, Copy)]
struct Opened(RwSignal<Vec<String>>);

#[component]
fn TypeCard(
    row: InventoryRow,
    inv: StoredValue<Inventory>,
    decide: ServerAction<DecideBevillingstype>,
    add: ServerAction<AddPlanpunkt>,
    status: ServerAction<SetPlanpunktStatus>,
) -> impl IntoView {
    let k = inv.with_value(|i| i.kommune);
    let may_edit = inv.with_value(|i| i.may_edit);
    let name = StoredValue::new(row.bevillingstype.clone());
    let t = move || name.get_value();
    let chosen = RwSignal::new(row.beslutning.as_ref().map(|b| b.valg));
    let id = move |what: &str| {
        format!("bt-{}-{what}", name.with_value(|t| t.replace(|c: char| !c.is_ascii_alphanumeric(), "_")))
    };
    let b = row.beslutning.clone();
    let version = b.as_ref().map_or(0, |b| b.version);
    let catalogue = inv.with_value(|i| i.ky_ydelsestyper.clone());
    let default_due = inv.with_value(|i| i.ui04_slut.clone());
    // Open while its plan has work left (or the user opened it); the others closed, so the list
    // of types stays short to scan.
    let Opened(opened) = expect_context::<Opened>();
    let open = row.planpunkter.iter().any(|p| p.status != KlikStatus::Faerdig)
        || opened.with_untracked(|o| o.contains(&row.bevillingstype));
    let toggle = move |_| {
        let t = name.get_value();
        opened.update(|o| {
            if let Some(i) = o.iter().position(|x| *x == t) {
                o.remove(i);
            } else {
                o.push(t);
            }
        });
    };
    view! {
        <details class="panel" open=open data-testid=format!("type-{}", t())>
            <summary on:click=toggle><strong>{t()}</strong>" – "
                {match &b {
                    Some(b) => format!("{}{} (afdeling {})", b.valg.label(),
                        b.ky_ydelsestype.as_deref().or(b.system.as_deref()).map(|x| format!(": {x}")).unwrap_or_default(), b.afdeling),
                    None => "ikke besluttet".to_string(),
                }}
            </summary>
            {b.clone().map(|b| view! {
                <p class="muted">"Besluttet af "{b.decided_by}" "{dk_date(&b.decided_at)}" (version "{b.version}"). "{b.begrundelse}</p>
            })}
            {may_edit.then(|| view! {
                <ActionForm action=decide attr:class="panel--form">
                    <input type="hidden" name="kommune" value=k.get().to_string()/>
                    <input type="hidden" name="form[bevillingstype]" value=t()/>
                    <input type="hidden" name="form[version]" value=version.to_string()/>
                    <fieldset class="field">
                        <legend>"Hvad skal der ske med "{t()}"?"</legend>
                        {Valg::ALL.into_iter().map(|v| view! {
                            <label class="choice">
                                <input type="radio" name="form[valg]" value=v.key() checked=chosen.get_untracked() == Some(v)
                                    on:change=move |_| chosen.set(Some(v))/>
                                <span>{v.label()}</span>
                            </label>
                        }).collect_view()}
                    </fieldset>
                    {move || chosen.get().filter(|v| !v.warnings().is_empty()).map(|v| view! {
                        <ul class="notice notice--warn warnings" data-testid="advarsler">
                            {v.warnings().iter().map(|w| view! { <li>{*w}</li> }).collect_view()}
                        </ul>
                    })}
                    <div class="field">
                        <label for=id("ky")>"KY-ydelsestype (ved match)"</label>
                        <select id=id("ky") name="form[ky_ydelsestype]">
                            <option value="">"–"</option>
                            {catalogue.iter().map(|(kode, navn)| {
                                let selected = b.as_ref().and_then(|b| b.ky_ydelsestype.as_deref()) == Some(kode.as_str());
                                view! { <option value=kode.clone() selected=selected>{format!("{kode} – {navn}")}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for=id("system")>"Flyttes til (ved flyt)"</label>
                        <input type="text" id=id("system") name="form[system]" placeholder="Fx økonomisystemet"
                            value=b.as_ref().and_then(|b| b.system.clone()).unwrap_or_default()/>
                    </div>
                    <div class="field">
                        <label for=id("afdeling")>"Ejende afdeling"</label>
                        <input type="text" id=id("afdeling") name="form[afdeling]" value=b.as_ref().map(|b| b.afdeling.clone()).unwrap_or_default()/>
                    </div>
                    <div class="field">
                        <label for=id("begrundelse")>"Begrundelse"</label>
                        <textarea id=id("begrundelse") name="form[begrundelse]" rows="2">{b.as_ref().map(|b| b.begrundelse.clone()).unwrap_or_default()}</textarea>
                    </div>
                    <button type="submit" class="button">"Gem beslutning"</button>
                </ActionForm>
            })}
            <h3>"Planpunkter"</h3>
            {row.planpunkter.is_empty().then(|| view! { <p class="muted">"Ingen planpunkter."</p> })}
            <ul class="plan-items">
                {row.planpunkter.clone().into_iter().map(|p| {
                    let current = p.status;
                    view! {
                        <li class:overdue=p.overdue>
                            <strong>{p.hvad}</strong>" – "{p.hvem}", senest "{dk_date(&p.forfald)}
                            {p.overdue.then(|| view! { " " <span class="status status--stop">"Forsinket"</span> })}
                            {if may_edit {
                                view! {
                                    <ActionForm action=status attr:class="inline-form">
                                        <input type="hidden" name="kommune" value=k.get().to_string()/>
                                        <input type="hidden" name="id" value=p.id.to_string()/>
                                        <label class="visually-hidden" for=format!("pp-{}", p.id)>"Status"</label>
                                        <select id=format!("pp-{}", p.id) name="status">
                                            {KlikStatus::ALL.into_iter().map(|s| view! {
                                                <option value=s.key() selected=s == current>{s.label()}</option>
                                            }).collect_view()}
                                        </select>
                                        <button type="submit" class="button button--quiet">"Gem status"</button>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! { " · "{current.label()} }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {may_edit.then(|| view! {
                <ActionForm action=add attr:class="panel--form">
                    <input type="hidden" name="kommune" value=k.get().to_string()/>
                    <input type="hidden" name="form[bevillingstype]" value=t()/>
                    <div class="field"><label for=id("hvad")>"Hvad skal gøres"</label>
                        <input type="text" id=id("hvad") name="form[hvad]"/></div>
                    <div class="field"><label for=id("hvem")>"Hvem"</label>
                        <input type="text" id=id("hvem") name="form[hvem]"/></div>
                    <div class="field"><label for=id("forfald")>"Senest"</label>
                        <p class="field__hint">{default_due.map(|d| format!("Tom: UI 04's slutdato {}.", dk_date(&d))).unwrap_or_else(|| "Fx 01.03.2027.".into())}</p>
                        <input type="text" id=id("forfald") name="form[forfald]" inputmode="numeric"/></div>
                    <button type="submit" class="button button--quiet">"Tilføj planpunkt"</button>
                </ActionForm>
            })}
        </details>
        <ActionError error=action_error(decide)/>
    }
}

/// One type's bevillinger and persons, and its decision history.
#[component]
pub fn BevillingstypePage() -> impl IntoView {
    let params = use_params_map();
    let kommune = kommune_param();
    let detail = Resource::new(
        move || (kommune(), params.get().get("type").unwrap_or_default()),
        |(k, t)| get_bevillingstype(k, t),
    );
    view! {
        <Title text="Bevillingstype"/>
        <Loaded resource=detail view=move |d: TypeDetail| view! { <TypeDetailView d=d link_kommune=kommune()/> }/>
    }
}

#[component]
fn TypeDetailView(d: TypeDetail, link_kommune: Option<u16>) -> impl IntoView {
    let shown = d.bevillinger.len() as i64;
    view! {
        <p><a href=with_kommune("/bevillingstyper", link_kommune)>"← Alle bevillingstyper"</a></p>
        <h1>"Bevillingstype " {d.bevillingstype.clone()} " – " {d.kommune.navn()}</h1>
        <p class="muted">{format!("{} bevillinger", count(d.total))}
            {(d.total > shown).then(|| format!(" – de første {} vises (aktive først)", count(DRILL_LIMIT)))}
            ". Visningen af personerne logges."</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Bevillinger">
            <table class="table">
                <thead><tr>
                    <th scope="col">"Bevilling"</th><th scope="col">"Status"</th><th scope="col">"Fra"</th>
                    <th scope="col">"Til"</th><th scope="col">"CPR"</th><th scope="col">"Navn"</th><th scope="col">"Ydelsesarter"</th>
                </tr></thead>
                <tbody>
                    {d.bevillinger.into_iter().map(|b| view! {
                        <tr>
                            <td>{b.bevilling_id}</td><td>{b.status}</td><td>{dk_date(&b.fra)}</td>
                            <td>{b.til.as_deref().map(dk_date).unwrap_or_default()}</td>
                            <td class="num">{crate::domain::cpr::display(&b.cpr)}</td><td>{b.navn}</td><td>{b.ydelsesarter}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <h2>"Beslutningens historik"</h2>
        {d.history.is_empty().then(|| view! { <p class="muted">"Ingen beslutning endnu."</p> })}
        <ol class="versions">
            {d.history.into_iter().map(|h| view! {
                <li>"Version "{h.version}": "<strong>{h.valg.label()}</strong>
                    {h.ky_ydelsestype.or(h.system).map(|x| format!(" ({x})"))}
                    " – afdeling "{h.afdeling}", "{h.begrundelse}" · "{h.decided_by}" "{dk_date(&h.decided_at)}</li>
            }).collect_view()}
        </ol>
    }
}
