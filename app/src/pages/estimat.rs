//! The effort estimate (seed 003): the manual-entry calculator — case types with counts,
//! minutes per case as a range, a caution factor, caseworkers — with low / middle / high hours
//! and hours per caseworker, computed in the browser as the numbers are typed; the same minutes
//! on the kommune's own active bevillinger (counted into the case types by a mapping from
//! ydelsesart the project lead adjusts); and MI 38's hours left beside it, so all migration work
//! stands in hours against the caseworkers the kommune has.

use super::{kommune_param, with_kommune};
use crate::api::klik::{SaveEstimat, get_estimat};
use crate::components::{ActionError, Loaded, action_error};
use crate::domain::beloeb::decimal;
use crate::domain::estimat::{Estimat, Resultat, Sagstype, Timer, beregn, landstal, validate};
use crate::model::klik::EstimatView;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EstimatPage() -> impl IntoView {
    let kommune = kommune_param();
    let view_data = Resource::new(kommune, get_estimat);
    let query = leptos_router::hooks::use_query_map();
    view! {
        <Title text="Estimat for manuel indtastning"/>
        <Loaded resource=view_data view=move |v: EstimatView| {
            let sent = query.with_untracked(Sent::from_query);
            view! { <Calculator v=v link_kommune=kommune() sent=sent/> }
        }/>
    }
}

/// The calculator's fields as a browser without JavaScript sends them ("Beregn" submits the
/// form as a GET to the page itself, which computes the same tables on the server).
#[derive(Clone, Debug, Default, PartialEq)]
struct Sent {
    rows: Vec<Row>,
    caution: String,
    caseworkers: String,
    mapping: Vec<(String, usize)>,
}

impl Sent {
    fn from_query(q: &leptos_router::params::ParamsMap) -> Option<Sent> {
        let all = |key: &str| q.get_all(key).unwrap_or_default();
        let (navne, antal, min, max) = (all("navn"), all("antal"), all("min"), all("max"));
        if antal.is_empty() || [navne.len(), min.len(), max.len()].iter().any(|n| *n != antal.len()) {
            return None;
        }
        let rows = (0..antal.len())
            .map(|i| Row { navn: navne[i].clone(), antal: antal[i].clone(), min: min[i].clone(), max: max[i].clone() })
            .collect();
        let mapping = all("art")
            .into_iter()
            .zip(all("som"))
            .filter_map(|(art, som)| som.parse().ok().map(|t| (art, t)))
            .collect();
        Some(Sent {
            rows,
            caution: q.get("forsigtighed").unwrap_or_default(),
            caseworkers: q.get("sagsbehandlere").unwrap_or_default(),
            mapping,
        })
    }
}

/// A case type as typed.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    navn: String,
    antal: String,
    min: String,
    max: String,
}

fn typed(e: &Estimat) -> Vec<Row> {
    e.sagstyper
        .iter()
        .map(|s| Row {
            navn: s.navn.clone(),
            antal: crate::domain::beloeb::group_thousands(s.antal),
            min: decimal(s.minutter_min, if s.minutter_min.fract() == 0.0 { 0 } else { 1 }),
            max: decimal(s.minutter_max, if s.minutter_max.fract() == 0.0 { 0 } else { 1 }),
        })
        .collect()
}

/// A number typed the Danish way: `230.000`, `4,5`.
fn number(text: &str) -> Option<f64> {
    let t: String = text.trim().chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
    t.replace(',', ".").parse().ok().filter(|x: &f64| x.is_finite())
}

fn read(rows: &[Row], caution: &str, caseworkers: &str) -> Result<Estimat, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let mut sagstyper = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let mut field = |name: &str, text: &str| {
            let v = number(text);
            if v.is_none() {
                errors.push((format!("sagstyper.{i}.{name}"), format!("Skriv et tal i række {} ({name}).", i + 1)));
            }
            v.unwrap_or(0.0)
        };
        let antal = field("antal", &r.antal);
        let min = field("minutter_min", &r.min);
        let max = field("minutter_max", &r.max);
        sagstyper.push(Sagstype {
            navn: r.navn.clone(),
            antal: antal.round() as i64,
            minutter_min: min,
            minutter_max: max,
        });
    }
    let forsigtighed_pct = number(caution).unwrap_or_else(|| {
        errors.push(("forsigtighed_pct".into(), "Skriv forsigtigheden i procent, fx 15.".into()));
        0.0
    });
    let sagsbehandlere = number(caseworkers).unwrap_or_else(|| {
        errors.push(("sagsbehandlere".into(), "Skriv antallet af sagsbehandlere.".into()));
        0.0
    });
    let e = Estimat { sagstyper, forsigtighed_pct, sagsbehandlere: sagsbehandlere.round() as i64 };
    errors.extend(validate(&e));
    if errors.is_empty() { Ok(e) } else { Err(errors) }
}

fn hours(h: f64) -> String {
    decimal(h.round(), 0)
}

#[component]
fn Calculator(v: EstimatView, link_kommune: Option<u16>, sent: Option<Sent>) -> impl IntoView {
    let k = v.kommune;
    let saved_mapping = v.ydelsesarter.iter().map(|(art, _, t)| (art.clone(), *t)).collect::<Vec<_>>();
    let sent = sent.unwrap_or_else(|| Sent {
        rows: typed(&v.input),
        caution: decimal(v.input.forsigtighed_pct, if v.input.forsigtighed_pct.fract() == 0.0 { 0 } else { 1 }),
        caseworkers: crate::domain::beloeb::group_thousands(v.input.sagsbehandlere),
        mapping: saved_mapping.clone(),
    });
    // `value=` as well as `prop:value=`: the server renders only attributes, and without
    // JavaScript the form sends what the attributes hold.
    let rows = RwSignal::new(sent.rows);
    let caution = RwSignal::new(sent.caution);
    let caseworkers = RwSignal::new(sent.caseworkers);
    let mapping = RwSignal::new(
        saved_mapping
            .into_iter()
            .map(|(art, t)| {
                let t = sent.mapping.iter().find(|(a, _)| *a == art).map_or(t, |(_, sent)| *sent);
                (art, t)
            })
            .collect::<Vec<_>>(),
    );
    let arter = StoredValue::new(v.ydelsesarter.clone());
    let parsed = Memo::new(move |_| rows.with(|r| read(r, &caution.get(), &caseworkers.get())));
    let result = move || parsed.get().ok().map(|e| beregn(&e));
    let own_caseworkers = v.caseworkers;
    let own = Memo::new(move |_| {
        let e = parsed.get().ok()?;
        let mut own = e.clone();
        let map = mapping.get();
        for (i, s) in own.sagstyper.iter_mut().enumerate() {
            s.antal = arter.with_value(|a| {
                a.iter()
                    .filter(|(art, _, _)| map.iter().find(|(m, _)| m == art).map_or(0, |(_, t)| *t) == i)
                    .map(|(_, n, _)| *n)
                    .sum()
            });
        }
        own.sagsbehandlere = own_caseworkers;
        Some(beregn(&own))
    });
    let save = ServerAction::<SaveEstimat>::new();
    let on_save = move |_| {
        if let Ok(input) = parsed.get_untracked() {
            save.dispatch(SaveEstimat { kommune: k.get(), input, mapping: mapping.get_untracked() });
        }
    };
    let mi38 = v.mi38_hours;
    let hours_per_week = v.hours_per_week;
    let may_edit = v.may_edit;
    let type_names = move || rows.with(|r| r.iter().map(|r| r.navn.clone()).collect::<Vec<_>>());
    view! {
        <h1>"Estimat for manuel indtastning – " {k.navn()} " Kommune"</h1>
        <p class="lede">"Sager, der skal tastes manuelt i KY: antal pr. sagstype, minutter pr. sag som spænd og en forsigtighed oveni. Tallene regnes, mens du skriver. "
            {(!v.saved).then_some("Udgangspunktet er landstallene fra netværksmødet (seed 003).")}</p>
        <form id="estimat" class="panel panel--form" method="get" on:submit=|ev| ev.prevent_default()>
            {link_kommune.map(|k| view! { <input type="hidden" name="kommune" value=k.to_string()/> })}
            <div class="table-scroll" tabindex="0" role="region" aria-label="Sagstyper">
                <table class="table" data-testid="sagstyper">
                    <thead><tr><th scope="col">"Sagstype"</th><th scope="col">"Antal sager"</th><th scope="col">"Minutter pr. sag (fra)"</th><th scope="col">"(til)"</th><th scope="col" class="right">"Timer (midt)"</th></tr></thead>
                    <tbody>
                        {move || rows.get().into_iter().enumerate().map(|(i, r)| {
                            let set = move |f: fn(&mut Row, String)| move |ev| {
                                let value = event_target_value(&ev);
                                rows.update(|rs| if let Some(row) = rs.get_mut(i) { f(row, value) });
                            };
                            let mid = move || result().and_then(|res| res.pr_sagstype.get(i).map(|t| hours(t.midt))).unwrap_or_else(|| "–".into());
                            view! {
                                <tr>
                                    <td><input type="text" aria-label=format!("Sagstype {}", i + 1) name="navn" value=r.navn.clone() prop:value=r.navn.clone() on:change=set(|r, v| r.navn = v)/></td>
                                    <td><input type="text" inputmode="numeric" aria-label=format!("Antal sager, række {}", i + 1) name="antal" value=r.antal.clone() prop:value=r.antal.clone() on:input=set(|r, v| r.antal = v)/></td>
                                    <td><input type="text" inputmode="decimal" aria-label=format!("Minutter fra, række {}", i + 1) name="min" value=r.min.clone() prop:value=r.min.clone() on:input=set(|r, v| r.min = v)/></td>
                                    <td><input type="text" inputmode="decimal" aria-label=format!("Minutter til, række {}", i + 1) name="max" value=r.max.clone() prop:value=r.max.clone() on:input=set(|r, v| r.max = v)/></td>
                                    <td class="right num">{mid}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="field"><label for="e-forsigtighed">"Forsigtighed (%)"</label>
                <input id="e-forsigtighed" name="forsigtighed" type="text" inputmode="decimal" value=caution.get_untracked() prop:value=move || caution.get() on:input=move |ev| caution.set(event_target_value(&ev))/></div>
            <div class="field"><label for="e-sagsbehandlere">"Sagsbehandlere"</label>
                <input id="e-sagsbehandlere" name="sagsbehandlere" type="text" inputmode="numeric" value=caseworkers.get_untracked() prop:value=move || caseworkers.get() on:input=move |ev| caseworkers.set(event_target_value(&ev))/></div>
            <p class="toolbar">
                <button type="button" class="button button--quiet" on:click=move |_| rows.update(|r| r.push(Row { navn: format!("Sagstype {}", r.len() + 1), antal: "0".into(), min: "5".into(), max: "10".into() }))>"Tilføj sagstype"</button>
                <button type="button" class="button button--quiet" on:click=move |_| {
                    let l = landstal();
                    rows.set(typed(&l));
                    caution.set(decimal(l.forsigtighed_pct, 0));
                    caseworkers.set(crate::domain::beloeb::group_thousands(l.sagsbehandlere));
                }>"Brug landstallene"</button>
                // Without JavaScript the form is sent to the page itself, which computes the tables.
                <button type="submit" class="button button--quiet">"Beregn"</button>
                {may_edit.then(|| view! { <button type="button" class="button" on:click=on_save disabled=move || parsed.get().is_err()>"Gem estimatet"</button> })}
            </p>
            <ul class="errors" role="alert">{move || parsed.get().err().unwrap_or_default().into_iter().map(|(_, m)| view! { <li>{m}</li> }).collect_view()}</ul>
            <ActionError error=action_error(save)/>
            <div role="status" aria-live="polite">{move || matches!(save.value().get(), Some(Ok(()))).then(|| view! { <p class="notice notice--ok">"Estimatet er gemt."</p> })}</div>
        </form>
        <div role="status" aria-live="polite" data-testid="estimat-resultat">
            {move || result().map(|r| view! { <ResultTable r=r title="Landstal / beregneren"/> })}
        </div>
        <h2>"Kommunens egne tal"</h2>
        <p>"Kommunens aktive bevillinger i udtrækket, talt i sagstyperne efter ydelsesart. Samme minutter og forsigtighed som ovenfor; sagsbehandlerne er dem, planen for MI 38 nævner (ellers kommunens sagsbehandlere)."</p>
        {arter.with_value(|a| a.is_empty()).then(|| view! { <p class="notice">"Udtrækket har ingen aktive bevillinger."</p> })}
        <div class="table-scroll" tabindex="0" role="region" aria-label="Ydelsesarter">
            <table class="table">
                <thead><tr><th scope="col">"Ydelsesart"</th><th scope="col" class="right">"Aktive bevillinger"</th><th scope="col">"Tælles som"</th></tr></thead>
                <tbody>
                    {arter.get_value().into_iter().map(|(art, n, _)| {
                        let a = art.clone();
                        let current = move || mapping.with(|m| m.iter().find(|(x, _)| *x == a).map_or(0, |(_, t)| *t));
                        let a2 = art.clone();
                        view! {
                            <tr>
                                <th scope="row">{art.clone()}</th>
                                <td class="right num">{crate::domain::beloeb::group_thousands(n)}</td>
                                <td><input type="hidden" form="estimat" name="art" value=art.clone()/>
                                <select form="estimat" name="som" aria-label=format!("Sagstype for {art}") on:change=move |ev| {
                                    let t: usize = event_target_value(&ev).parse().unwrap_or(0);
                                    mapping.update(|m| {
                                        m.retain(|(x, _)| *x != a2);
                                        m.push((a2.clone(), t));
                                    });
                                }>
                                    {move || type_names().into_iter().enumerate().map(|(i, name)| view! {
                                        <option value=i.to_string() selected=current() == i>{name}</option>
                                    }).collect_view()}
                                </select></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {move || own.get().map(|r| {
            let total = r.i_alt.midt + mi38;
            let people = own_caseworkers.max(1) as f64;
            let weeks = total / people / hours_per_week.max(0.1);
            view! {
                <ResultTable r=r.clone() title="Kommunens manuelle indtastning"/>
                <p class="notice" data-testid="samlet-arbejde">
                    {format!("Manuel indtastning {} timer (midt) + MI 38 {} timer tilbage = {} timer i alt: {} timer pr. sagsbehandler for {} sagsbehandlere, ca. {} uger à {} timer.",
                        hours(r.i_alt.midt), hours(mi38), hours(total), decimal(total / people, 1), own_caseworkers, decimal(weeks, 1), decimal(hours_per_week, 1))}
                    " " <a href=with_kommune("/fremdrift", link_kommune)>"MI 38 i Fremdrift"</a>
                </p>
            }
        })}
    }
}

#[component]
fn ResultTable(r: Resultat, title: &'static str) -> impl IntoView {
    let row = |label: &'static str, t: Timer| {
        view! {
            <tr><th scope="row">{label}</th><td class="right num">{hours(t.lav)}</td><td class="right num">{hours(t.midt)}</td><td class="right num">{hours(t.hoej)}</td></tr>
        }
    };
    view! {
        <table class="table">
            <caption>{title}</caption>
            <thead><tr><th scope="col">"Timer"</th><th scope="col" class="right">"Lav"</th><th scope="col" class="right">"Midt"</th><th scope="col" class="right">"Høj"</th></tr></thead>
            <tbody>
                {row("Før forsigtighed", r.foer_forsigtighed)}
                {row("I alt med forsigtighed", r.i_alt)}
                {r.pr_sagsbehandler.map(|p| view! {
                    <tr><th scope="row">"Pr. sagsbehandler"</th><td class="right num">{decimal(p.lav, 1)}</td><td class="right num">{decimal(p.midt, 1)}</td><td class="right num">{decimal(p.hoej, 1)}</td></tr>
                })}
            </tbody>
        </table>
    }
}
