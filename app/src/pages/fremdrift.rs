//! "Fremdrift mod fristerne": per group (med / uden) a burn-down chart — open tasks per day
//! since the import, the line to the deadline, the projection at the recent pace — with the
//! projected finish, the hours left from the measured time per task and the caseworkers it takes;
//! then a small chart per opgavepakke and the numbers behind every chart in tables. The page
//! follows the kommune's live counts and fetches the figures again when they change.

use super::{LiveBadge, fmt_count, kommune_param, with_kommune};
use crate::api::fremdrift::get_fremdrift;
use crate::components::Loaded;
use crate::components::live::{refetch_on_change, use_live_counts};
use crate::domain::beloeb::decimal;
use crate::domain::fremdrift::{ASSUMED_MINUTES, EffortBasis, PACE_DAYS};
use crate::domain::opgavepakke::OpgavepakkeCounts;
use crate::model::fremdrift::{Burn, Fremdrift, GroupProgress, PackageProgress};
use chrono::{Days, NaiveDate};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn FremdriftPage() -> impl IntoView {
    let kommune = kommune_param();
    let data = Resource::new(kommune, get_fremdrift);
    view! {
        <Title text="Fremdrift mod fristerne"/>
        <Loaded resource=data view=move |f: Fremdrift| view! { <FremdriftView first=f/> }/>
    }
}

#[component]
fn FremdriftView(first: Fremdrift) -> impl IntoView {
    let k = first.kommune;
    let mut initial = OpgavepakkeCounts { version: first.version, ..Default::default() };
    for p in &first.packages {
        initial.counts[usize::from(p.opgavepakke.nr())] = p.burn.open_now();
    }
    let (counts, status) = use_live_counts(k, initial);
    let current = RwSignal::new(first);
    // Every change of the counts moves today's point: fetch the figures again, at most every
    // few seconds while caseworkers work.
    refetch_on_change(counts, 3_000, move || {
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = get_fremdrift(Some(k.get())).await {
                current.set(fresh);
            }
        });
    });
    let link_kommune = Some(k.get());
    view! {
        <div class="page-head">
            <h1>"Fremdrift mod fristerne – " {k.navn()} " Kommune"</h1>
            <LiveBadge status/>
        </div>
        <p class="lede">
            "Åbne opgaver pr. dag siden indlæsningen, linjen til fristen og hvor det nuværende tempo fører hen. "
            "Tiden pr. opgave er målt fra sagsbehandleren åbner opgaven, til den gemmes."
        </p>
        {move || current.with(|f| f.done.then(|| view! {
            <div class="notice notice--ok" role="status" data-testid="mi38-faerdig">
                <p><strong>"MI 38 kan markeres fuldført i KLIK."</strong>" Der er ingen Opret fordringssag-opgaver og ingen opgaver i ventetrin (09) tilbage."</p>
            </div>
        }))}
        {move || current.with(|f| {
            let staff = format!(
                "Planen: {} – {} á {} timer om ugen.",
                f.ressourcer,
                if f.planned == 1 { "1 sagsbehandler".to_string() } else { format!("{} sagsbehandlere", f.planned) },
                decimal(f.hours_per_week, 1)
            );
            view! {
                <p class="toolbar__count">{staff}" " <a href=with_kommune("/plan", link_kommune)>"Se eller ret planen"</a></p>
                {f.groups.iter().cloned().map(|g| view! { <GroupView group=g today=f.today.clone()/> }).collect_view()}
                <PackagesView packages=f.packages.clone() today=f.today.clone()/>
            }
        })}
    }
}

fn date(iso: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()
}

fn dk(iso: &str) -> String {
    date(iso).map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_else(|| iso.to_string())
}

/// "5 dage før fristen" / "12 dage efter fristen" / "på fristen".
fn against_deadline(day: &str, deadline: Option<&str>) -> Option<String> {
    let (d, f) = (date(day)?, date(deadline?)?);
    Some(match (f - d).num_days() {
        0 => "på fristen".to_string(),
        1 => "1 dag før fristen".to_string(),
        -1 => "1 dag efter fristen".to_string(),
        n if n > 0 => format!("{n} dage før fristen"),
        n => format!("{} dage efter fristen", -n),
    })
}

fn pace_text(burn: &Burn) -> String {
    match burn.pace {
        Some(p) if p > 0.0 => format!("{} opgaver om dagen (seneste {PACE_DAYS} dage)", decimal(p, 1)),
        Some(_) => format!("ingen nedgang de seneste {PACE_DAYS} dage"),
        None => "endnu ikke målt (under to dage med tal)".to_string(),
    }
}

fn finish_text(burn: &Burn) -> String {
    if burn.open_now() == 0 {
        return "færdig".to_string();
    }
    match &burn.finish {
        Some(f) => match against_deadline(f, burn.deadline.as_deref()) {
            Some(rel) => format!("{} – {rel}", dk(f)),
            None => dk(f),
        },
        None => "ikke i sigte i det nuværende tempo".to_string(),
    }
}

/// The one-line text of a chart, read by screen readers in place of the picture.
fn chart_summary(title: &str, burn: &Burn) -> String {
    let deadline = burn.deadline.as_deref().map(|d| format!(" Fristen er {}.", dk(d))).unwrap_or_default();
    format!(
        "{title}: {} åbne opgaver; tempo {}; forventet færdig {}.{deadline}",
        fmt_count(burn.open_now()),
        pace_text(burn),
        finish_text(burn)
    )
}

#[component]
fn GroupView(group: GroupProgress, today: String) -> impl IntoView {
    let id = format!("gruppe-{}", group.key);
    let late = group.staffing.as_ref().and_then(|s| s.shortfall()).is_some_and(|s| s >= 0.05)
        || group.staffing.as_ref().is_some_and(|s| s.needed.is_none() && group.burn.open_now() > 0);
    let zero = group.zero_reached.as_deref().map(|z| {
        let rel = against_deadline(z, group.burn.deadline.as_deref()).unwrap_or_default();
        format!("Nåede nul åbne opgaver {} – {rel}.", dk(z))
    });
    let summary = chart_summary(&group.title, &group.burn);
    view! {
        <section class="group progress" aria-labelledby=id.clone() data-gruppe=group.key.clone()>
            <div class="group__head">
                <h2 id=id.clone()>{group.title.clone()}</h2>
                <p class="group__sum"><span class="num">{fmt_count(group.burn.open_now())}</span>" åbne opgaver"</p>
            </div>
            <p class="progress__verdict" class:progress__verdict--late=late data-testid=format!("behov-{}", group.key)>
                {group.sentence.clone()}
            </p>
            {zero.map(|z| view! { <p class="progress__zero" data-testid=format!("nul-{}", group.key)>{z}</p> })}
            <div class="progress__body">
                <BurnChart burn=group.burn.clone() today=today.clone() summary=summary.clone() small=false/>
                <dl class="progress__facts">
                    <dt>"Tempo"</dt><dd>{pace_text(&group.burn)}</dd>
                    <dt>"Forventet færdig"</dt><dd data-testid=format!("faerdig-{}", group.key)>{finish_text(&group.burn)}</dd>
                    <dt>"Frist"</dt><dd>{group.burn.deadline.as_deref().map(dk).unwrap_or_else(|| "ikke sat".into())}</dd>
                    <dt>"Timer tilbage"</dt><dd>{format!("{} timer", decimal(group.hours_left, 0))}
                        {(group.key == "uden").then_some(" (inkl. med dækninger, som skal nås først)")}</dd>
                </dl>
            </div>
            <DaysTable title=group.title.clone() burn=group.burn.clone()/>
        </section>
    }
}

/// The numbers behind a chart: one row per day.
#[component]
fn DaysTable(title: String, burn: Burn) -> impl IntoView {
    view! {
        <details class="progress__data">
            <summary>"Tallene bag grafen"</summary>
            <div class="table-scroll" tabindex="0">
                <table>
                    <caption class="visually-hidden">{format!("{title}: åbne opgaver pr. dag")}</caption>
                    <thead><tr><th scope="col">"Dag"</th><th scope="col" class="right">"Åbne opgaver"</th></tr></thead>
                    <tbody>
                        {burn.days.iter().zip(burn.open.iter()).rev().map(|(d, n)| view! {
                            <tr><td>{dk(d)}</td><td class="right num">{fmt_count(*n)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

#[component]
fn PackagesView(packages: Vec<PackageProgress>, today: String) -> impl IntoView {
    let basis = |p: &PackageProgress| match p.basis {
        EffortBasis::Measured(n) => format!("målt, median af {n}"),
        EffortBasis::Group(n) => format!("for få målinger – gruppens median af {n}"),
        EffortBasis::Assumed => format!("ingen målinger endnu – regnet med {} min.", decimal(ASSUMED_MINUTES, 0)),
    };
    let work: Vec<PackageProgress> = packages.iter().filter(|p| p.opgavepakke.nr() != 9).cloned().collect();
    view! {
        <section class="group" aria-labelledby="pakker">
            <h2 id="pakker">"Pr. opgavepakke"</h2>
            <ul class="progress__grid">
                {packages.into_iter().map(|p| {
                    let title = format!("{} {}", p.opgavepakke.code(), p.opgavepakke.title());
                    let summary = chart_summary(&title, &p.burn);
                    view! {
                        <li class="progress__cell">
                            <h3>{title}</h3>
                            <p class="progress__cellsum">
                                <span class="num">{fmt_count(p.burn.open_now())}</span>" åbne · "
                                {match &p.zero_reached {
                                    Some(day) => format!("tømt {}", dk(day)),
                                    None => format!("færdig: {}", finish_text(&p.burn)),
                                }}
                            </p>
                            <BurnChart burn=p.burn today=today.clone() summary small=true/>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="table-scroll" tabindex="0">
                <table data-testid="pakke-tabel">
                    <caption>"Tid og timer pr. opgavepakke"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Pakke"</th>
                            <th scope="col" class="right">"Åbne"</th>
                            <th scope="col">"Tempo"</th>
                            <th scope="col">"Forventet færdig"</th>
                            <th scope="col" class="right">"Min. pr. opgave"</th>
                            <th scope="col">"Grundlag"</th>
                            <th scope="col" class="right">"Timer tilbage"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {work.into_iter().map(|p| view! {
                            <tr data-opgavepakke=p.opgavepakke.code()>
                                <th scope="row">{format!("{} {}", p.opgavepakke.code(), p.opgavepakke.title())}</th>
                                <td class="right num">{fmt_count(p.burn.open_now())}</td>
                                <td>{pace_text(&p.burn)}</td>
                                <td>{finish_text(&p.burn)}</td>
                                <td class="right num">{decimal(p.minutes_per_task, 1)}</td>
                                <td>{basis(&p)}</td>
                                <td class="right num">{decimal(p.hours_left, 1)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// A burn-down chart in SVG: the open tasks (solid), the line from the first day to zero at the
/// deadline (dashed), the projection at the recent pace (dotted), the deadline and today.
#[component]
fn BurnChart(burn: Burn, today: String, summary: String, small: bool) -> impl IntoView {
    let (w, h) = if small { (300.0, 130.0) } else { (640.0, 240.0) };
    // The big chart's labels are drawn larger on a phone (style/main.scss): room for "2.000".
    let (left, right, top, bottom) = (if small { 36.0 } else { 76.0 }, 10.0, 10.0, 22.0);
    let days: Vec<NaiveDate> = burn.days.iter().filter_map(|d| date(d)).collect();
    let today = date(&today).or(days.last().copied());
    let (Some(&x0), Some(today)) = (days.first(), today) else {
        return view! { <p class="progress__none">"Ingen tal endnu."</p> }.into_any();
    };
    let deadline = burn.deadline.as_deref().and_then(date);
    let finish = burn.finish.as_deref().and_then(date);
    let mut x1 = (today + Days::new(7)).max(deadline.unwrap_or(today));
    if let Some(f) = finish {
        // A finish far beyond the deadline stretches the chart once more at most.
        let span = (x1 - x0).num_days().max(1) as u64;
        x1 = x1.max(f.min(x1 + Days::new(span)));
    }
    let span = (x1 - x0).num_days().max(1) as f64;
    let ymax = nice_max(burn.open.iter().copied().max().unwrap_or(0));
    let x = move |d: NaiveDate| left + (d - x0).num_days() as f64 / span * (w - left - right);
    let y = move |n: f64| top + (1.0 - n / ymax as f64) * (h - top - bottom);
    let actual: String = days
        .iter()
        .zip(&burn.open)
        .map(|(d, n)| format!("{:.1},{:.1}", x(*d), y(*n as f64)))
        .collect::<Vec<_>>()
        .join(" ");
    let first_open = burn.open.first().copied().unwrap_or(0) as f64;
    let ideal = deadline.map(|d| (x(x0), y(first_open), x(d), y(0.0)));
    let open_now = burn.open_now() as f64;
    let projection = match (burn.pace, finish) {
        _ if open_now == 0.0 => None,
        (_, Some(f)) if f <= x1 => Some((x(today), y(open_now), x(f), y(0.0))),
        (Some(p), _) if p > 0.0 => {
            let left_at_end = (open_now - p * (x1 - today).num_days() as f64).max(0.0);
            Some((x(today), y(open_now), x(x1), y(left_at_end)))
        }
        _ => None,
    };
    let label = |d: NaiveDate| d.format("%d.%m.").to_string();
    let font = if small { "10" } else { "12" };
    view! {
        <figure class="chart" class:chart--small=small>
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=summary.clone() preserveAspectRatio="xMidYMid meet">
                <g class="chart__grid">
                    <line x1=left x2=w - right y1=y(0.0) y2=y(0.0)></line>
                    <line x1=left x2=w - right y1=y(ymax as f64) y2=y(ymax as f64)></line>
                    <line x1=left x2=w - right y1=y(ymax as f64 / 2.0) y2=y(ymax as f64 / 2.0)></line>
                </g>
                <g class="chart__labels" font-size=font>
                    <text x=left - 4.0 y=y(0.0) text-anchor="end" dominant-baseline="middle">"0"</text>
                    <text x=left - 4.0 y=y(ymax as f64) text-anchor="end" dominant-baseline="middle">{fmt_count(ymax)}</text>
                    <text x=left y=h - 6.0>{label(x0)}</text>
                    <text x=w - right y=h - 6.0 text-anchor="end">{label(x1)}</text>
                </g>
                {deadline.filter(|d| *d <= x1).map(|d| view! {
                    <g class="chart__deadline">
                        <line x1=x(d) x2=x(d) y1=top y2=h - bottom></line>
                        <text x=x(d) - 3.0 y=top + 10.0 text-anchor="end" font-size=font>{format!("Frist {}", label(d))}</text>
                    </g>
                })}
                {ideal.map(|(ax, ay, bx, by)| view! { <line class="chart__ideal" x1=ax y1=ay x2=bx y2=by></line> })}
                {projection.map(|(ax, ay, bx, by)| view! { <line class="chart__projection" x1=ax y1=ay x2=bx y2=by></line> })}
                <polyline class="chart__actual" points=actual></polyline>
                <circle class="chart__today" cx=x(today) cy=y(open_now) r=if small { 3 } else { 4 }></circle>
            </svg>
            {(!small).then(|| view! {
                <figcaption class="chart__legend">
                    <span class="chart__key chart__key--actual">"Åbne opgaver"</span>
                    <span class="chart__key chart__key--ideal">"Linjen til fristen"</span>
                    <span class="chart__key chart__key--projection">"Fremskrivning i nuværende tempo"</span>
                </figcaption>
            })}
        </figure>
    }
    .into_any()
}

/// A round top for the y axis: 1, 2 or 5 × a power of ten, at least the largest value.
fn nice_max(max: i64) -> i64 {
    if max <= 5 {
        return 5;
    }
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= max {
                return m * step;
            }
        }
        step *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_top_is_round() {
        assert_eq!(nice_max(0), 5);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(1_234), 2_000);
        assert_eq!(nice_max(5_000), 5_000);
    }

    #[test]
    fn finish_is_told_against_the_deadline() {
        assert_eq!(against_deadline("2027-01-20", Some("2027-01-25")).unwrap(), "5 dage før fristen");
        assert_eq!(against_deadline("2027-01-26", Some("2027-01-25")).unwrap(), "1 dag efter fristen");
        assert_eq!(against_deadline("2027-01-25", None), None);
    }
}
