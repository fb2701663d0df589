//! KOMBIT's success criteria for KY (seed 003): per objective, per criterion the target, the
//! latest measurement with met / not met (in words, not only colour), the measurements over
//! time as a small chart with the target line and the numbers behind it, and the measuring
//! point due next (overdue marked). The styregruppe reads it; KOMBIT also records measurements
//! and edits criteria, objectives and measuring points.

mod chart;
mod forms;

use super::bevillingstyper::dk_date;
use crate::api::succeskriterium::{
    PutMaalepunkt, PutMaalsaetning, PutSucceskriterium, RecordMaaling, get_succeskriterier,
};
use crate::components::Loaded;
use crate::components::live::use_aendring_events;
use crate::domain::succeskriterium::{Opfyldelse, format_tal};
use crate::error::AppError;
use crate::model::succeskriterium::{KriteriumView, MaalsaetningView, Succeskriterier};
use crate::pages::LiveBadge;
use chart::{MaalingChart, MaalingTable};
use forms::{CatalogueForms, Forms, KriteriumPanel, MaalingPanel};
use leptos::prelude::*;
use leptos_meta::Title;

fn dk(iso: &str) -> String {
    dk_date(iso)
}

/// Counts the action's successful answers: the page reloads after a save, not after a refusal
/// (a refused form stays as typed, with its messages).
fn saves<I: 'static, T: Send + Sync + 'static>(action: impl Into<Action<I, Result<T, AppError>>>) -> Memo<usize> {
    let action = action.into();
    let (version, value) = (action.version(), action.value());
    Memo::new(move |prev: Option<&usize>| {
        let version = version.get();
        if value.with(|v| matches!(v, Some(Ok(_)))) { version } else { prev.copied().unwrap_or(0) }
    })
}

#[component]
pub fn SucceskriterierPage() -> impl IntoView {
    let forms = Forms {
        record: ServerAction::<RecordMaaling>::new(),
        put_kriterium: ServerAction::<PutSucceskriterium>::new(),
        put_maalsaetning: ServerAction::<PutMaalsaetning>::new(),
        put_maalepunkt: ServerAction::<PutMaalepunkt>::new(),
        sent_from: RwSignal::new(None),
    };
    let saved =
        [saves(forms.record), saves(forms.put_kriterium), saves(forms.put_maalsaetning), saves(forms.put_maalepunkt)];
    // Live: another user's change reloads a read-only dashboard at once; KOMBIT, who may be
    // typing in a form, gets a button instead (a reload would empty the form).
    let tick = RwSignal::new(0u32);
    let changed_elsewhere = RwSignal::new(false);
    let data = Resource::new(move || (saved.map(|s| s.get()), tick.get()), |_| get_succeskriterier());
    let may_edit = RwSignal::new(false);
    let reload = crate::pages::aendring::debounced(move || tick.update(|t| *t += 1));
    // KOMBIT's own save reloads the page (`saved`); the event of that save is not news.
    let own_event_due = RwSignal::new(false);
    Effect::new(move |first: Option<()>| {
        saved.iter().for_each(|s| s.track());
        if first.is_some() {
            changed_elsewhere.set(false);
            own_event_due.set(true);
        }
    });
    let status = use_aendring_events(false, move |ev| {
        if ev.is_none_or(|ev| ev.succes) {
            if !may_edit.get_untracked() {
                reload();
            } else if own_event_due.get_untracked() {
                own_event_due.set(false);
            } else {
                changed_elsewhere.set(true);
            }
        }
    });
    view! {
        <Title text="Succeskriterier"/>
        <h1>"Succeskriterier for KY"</h1>
        <p class="lede">"Programmets målsætninger og succeskriterier med mål, kilde og måletidspunkter, og hvad målingerne viser indtil nu."</p>
        <div role="status" aria-live="polite">
            {move || matches!(forms.record.value().get(), Some(Ok(_))).then(|| view! {
                <p class="notice notice--ok">"Målingen er gemt."</p>
            })}
        </div>
        <p><LiveBadge status/></p>
        {move || changed_elsewhere.get().then(|| view! {
            <div class="notice" role="status">
                <p>"Der er nye målinger eller ændringer siden du åbnede siden."</p>
                <button type="button" class="button button--quiet" on:click=move |_| {
                    changed_elsewhere.set(false);
                    tick.update(|t| *t += 1);
                }>"Vis de nye tal"</button>
            </div>
        })}
        <Loaded resource=data view=move |s: Succeskriterier| {
            may_edit.set(s.may_edit);
            view! { <Dashboard s forms/> }
        }/>
    }
}

#[component]
fn Dashboard(s: Succeskriterier, forms: Forms) -> impl IntoView {
    let all: Vec<&KriteriumView> = s.maalsaetninger.iter().flat_map(|m| &m.kriterier).collect();
    let count = |o: Opfyldelse| all.iter().filter(|k| k.opfyldelse == o).count();
    let overdue = all.iter().filter(|k| k.naeste.as_ref().is_some_and(|n| n.overdue)).count();
    let summary = format!(
        "{} succeskriterier: {} opfyldt, {} ikke opfyldt, {} ikke målt endnu.",
        all.len(),
        count(Opfyldelse::Opfyldt),
        count(Opfyldelse::IkkeOpfyldt),
        count(Opfyldelse::IkkeMaalt)
    );
    let points = s.maalepunkter.clone();
    view! {
        <p data-testid="succes-summary">{summary}</p>
        {(overdue > 0).then(|| view! {
            <p class="notice notice--warn" role="status">{format!("{overdue} {} en måling, hvis tidspunkt er passeret.", if overdue == 1 { "succeskriterium mangler" } else { "succeskriterier mangler" })}</p>
        })}
        <section class="panel" aria-labelledby="maaletidspunkter">
            <h2 id="maaletidspunkter">"Måletidspunkter"</h2>
            <ol class="plan-items" data-testid="maaletidspunkter">
                {s.maalepunkter.iter().map(|p| view! {
                    <li value=p.nr.to_string()>{p.navn.clone()}" – "
                        {p.planlagt.map_or_else(|| "ingen dato endnu".to_string(), |d| d.format("%d.%m.%Y").to_string())}</li>
                }).collect_view()}
            </ol>
        </section>
        {s.maalsaetninger.into_iter().map(|m| view! {
            <Objective m points=points.clone() today=s.today.clone() may_edit=s.may_edit forms/>
        }).collect_view()}
        {s.may_edit.then(|| view! {
            <section aria-labelledby="ret-katalog">
                <h2 id="ret-katalog">"Ret målsætninger og måletidspunkter"</h2>
                <KriteriumPanel k=None bogstav=String::new() forms/>
                <CatalogueForms forms/>
            </section>
        })}
    }
}

#[component]
fn Objective(
    m: MaalsaetningView,
    points: Vec<crate::domain::succeskriterium::Maalepunkt>,
    today: String,
    may_edit: bool,
    forms: Forms,
) -> impl IntoView {
    let (heading, labelled_by) = (format!("maal-{}", m.bogstav), format!("maal-{}", m.bogstav));
    view! {
        <section class="succes__objective" aria-labelledby=labelled_by>
            <h2 id=heading>{format!("{}. {}", m.bogstav, m.titel)}</h2>
            {m.kriterier.is_empty().then(|| view! { <p>"Ingen succeskriterier endnu."</p> })}
            <div class="succes__grid">
                {m.kriterier.into_iter().map(|k| view! {
                    <Criterion k bogstav=m.bogstav.clone() points=points.clone() today=today.clone() may_edit forms/>
                }).collect_view()}
            </div>
        </section>
    }
}

fn badge(o: Opfyldelse) -> &'static str {
    match o {
        Opfyldelse::Opfyldt => "status status--ok",
        Opfyldelse::IkkeOpfyldt => "status status--stop",
        Opfyldelse::IkkeMaalt => "status status--wait",
    }
}

#[component]
fn Criterion(
    k: KriteriumView,
    bogstav: String,
    points: Vec<crate::domain::succeskriterium::Maalepunkt>,
    today: String,
    may_edit: bool,
    forms: Forms,
) -> impl IntoView {
    let (heading, labelled_by) = (format!("kriterium-{}", k.id), format!("kriterium-{}", k.id));
    let testid = format!("kriterium-{}", k.nummer);
    let latest = k.latest().map(|l| {
        let n = l.stikproeve.map(|n| format!(", n = {n}")).unwrap_or_default();
        format!("{} {} ({}{n})", format_tal(l.vaerdi), k.maal.enhed, dk(&l.maalt))
    });
    let next = match &k.naeste {
        Some(n) => {
            let when = n.maalepunkt.planlagt.map(|d| format!(" ({})", d.format("%d.%m.%Y"))).unwrap_or_default();
            view! {
                <p class="succes__next" data-testid="naeste-maaling">"Næste måling: "{n.maalepunkt.navn.clone()}{when}
                    {n.overdue.then(|| view! { " " <span class="status status--stop">"Overskredet"</span> })}</p>
            }
            .into_any()
        }
        None => view! { <p class="succes__next" data-testid="naeste-maaling">"Alle måletidspunkter er målt."</p> }
            .into_any(),
    };
    view! {
        <article class="panel succes__card" aria-labelledby=labelled_by data-testid=testid>
            <h3 id=heading>{k.nummer.clone()}" "<span class=badge(k.opfyldelse)>{k.opfyldelse.label()}</span></h3>
            <p>{k.tekst.clone()}</p>
            <dl class="facts">
                <dt>"Mål"</dt><dd>{k.maal.text()}</dd>
                <dt>"Kilde"</dt><dd>{k.kilde.clone()}</dd>
                <dt>"Seneste måling"</dt><dd data-testid="seneste">{latest.unwrap_or_else(|| "–".into())}</dd>
            </dl>
            {next}
            <MaalingChart k=k.clone()/>
            <MaalingTable k=k.clone()/>
            {may_edit.then(|| view! {
                <MaalingPanel k=k.clone() points today forms/>
                <KriteriumPanel k=Some(k.clone()) bogstav forms/>
            })}
        </article>
    }
}
