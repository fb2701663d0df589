//! A criterion's measurements over time in a small SVG (scales with its column) with the target
//! as a dashed line, a sentence for screen readers, and the numbers behind it in a table.

use super::super::bevillingstyper::dk_date;
use crate::domain::succeskriterium::format_tal;
use crate::model::succeskriterium::KriteriumView;
use chrono::NaiveDate;
use leptos::prelude::*;

fn iso(d: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()
}

/// The top of the y axis: a round number (1, 2 or 5 × a power of ten) at or above the values and
/// the target, at most 100 for a percentage (a 6 pct. target is not drawn flat on 0–100).
fn y_top(k: &KriteriumView) -> f64 {
    let max = k.maalinger.iter().map(|m| m.vaerdi).fold(k.maal.vaerdi, f64::max).max(1.0);
    let step = 10f64.powf(max.log10().floor());
    let top = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * step).find(|t| *t >= max).unwrap_or(max);
    if k.maal.is_percent() { top.min(100.0) } else { top }
}

/// "A4: 3 målinger fra 01.02.2027 til 25.01.2028. Seneste: 83,3 pct. (ikke opfyldt; mål ≥ 95 pct.)"
pub fn summary(k: &KriteriumView) -> String {
    let Some(last) = k.latest() else { return format!("{}: ingen målinger endnu.", k.nummer) };
    let first = &k.maalinger[0];
    let span = if k.maalinger.len() == 1 {
        format!("1 måling {}", dk_date(&first.maalt))
    } else {
        format!("{} målinger fra {} til {}", k.maalinger.len(), dk_date(&first.maalt), dk_date(&last.maalt))
    };
    format!(
        "{}: {span}. Seneste: {} {} ({}; mål {})",
        k.nummer,
        format_tal(last.vaerdi),
        k.maal.enhed,
        k.opfyldelse.label().to_lowercase(),
        k.maal.text()
    )
}

#[component]
pub fn MaalingChart(k: KriteriumView) -> impl IntoView {
    let dates: Vec<NaiveDate> = k.maalinger.iter().filter_map(|m| iso(&m.maalt)).collect();
    let (Some(&x0), Some(&x1)) = (dates.first(), dates.last()) else {
        return view! { <p class="progress__none">"Ingen målinger endnu."</p> }.into_any();
    };
    let (w, h, left, right, top, bottom) = (300.0, 120.0, 34.0, 12.0, 10.0, 20.0);
    let span = (x1 - x0).num_days().max(1) as f64;
    let x = move |d: NaiveDate| {
        if x0 == x1 {
            left + (w - left - right) / 2.0
        } else {
            left + (d - x0).num_days() as f64 / span * (w - left - right)
        }
    };
    let ymax = y_top(&k);
    let y = move |v: f64| top + (1.0 - v.clamp(0.0, ymax) / ymax) * (h - top - bottom);
    let points: Vec<(f64, f64)> = dates.iter().zip(&k.maalinger).map(|(d, m)| (x(*d), y(m.vaerdi))).collect();
    let line = points.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect::<Vec<_>>().join(" ");
    let target = y(k.maal.vaerdi);
    let label = |d: NaiveDate| d.format("%m.%Y").to_string();
    view! {
        <figure class="chart chart--small succes__chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=summary(&k) preserveAspectRatio="xMidYMid meet">
                <g class="chart__grid">
                    <line x1=left x2=w - right y1=y(0.0) y2=y(0.0)></line>
                    <line x1=left x2=w - right y1=y(ymax) y2=y(ymax)></line>
                </g>
                <g class="chart__labels" font-size="10">
                    <text x=left - 4.0 y=y(0.0) text-anchor="end" dominant-baseline="middle">"0"</text>
                    <text x=left - 4.0 y=y(ymax) text-anchor="end" dominant-baseline="middle">{format_tal(ymax)}</text>
                    <text x=left y=h - 5.0>{label(x0)}</text>
                    {(x0 != x1).then(|| view! { <text x=w - right y=h - 5.0 text-anchor="end">{label(x1)}</text> })}
                    <text x=w - right y=target - 3.0 text-anchor="end">{format!("Mål {}", format_tal(k.maal.vaerdi))}</text>
                </g>
                <line class="chart__ideal" x1=left x2=w - right y1=target y2=target></line>
                <polyline class="chart__actual" points=line></polyline>
                {points.iter().map(|(a, b)| view! { <circle class="chart__today" cx=*a cy=*b r="3"></circle> }).collect_view()}
            </svg>
            <figcaption class="chart__legend">
                <span class="chart__key chart__key--actual">"Målt"</span>
                <span class="chart__key chart__key--ideal">"Mål"</span>
            </figcaption>
        </figure>
    }
    .into_any()
}

/// The numbers behind the chart.
#[component]
pub fn MaalingTable(k: KriteriumView) -> impl IntoView {
    (!k.maalinger.is_empty()).then(|| {
        view! {
            <details class="succes__numbers">
                <summary>"Tallene bag grafen"</summary>
                <div class="table-scroll" tabindex="0" role="region" aria-label=format!("Målinger af {}", k.nummer)>
                    <table class="table" data-testid=format!("maalinger-{}", k.nummer)>
                        <thead><tr>
                            <th scope="col">"Måletidspunkt"</th><th scope="col">"Dato"</th>
                            <th scope="col" class="right">{format!("Værdi ({})", k.maal.enhed)}</th>
                            <th scope="col" class="right">"Stikprøve"</th><th scope="col">"Kilde"</th>
                        </tr></thead>
                        <tbody>
                            {k.maalinger.iter().map(|m| view! {
                                <tr>
                                    <td>{m.maalepunkt_navn.clone()}</td><td class="num">{dk_date(&m.maalt)}</td>
                                    <td class="right num">{format_tal(m.vaerdi)}</td>
                                    <td class="right num">{m.stikproeve.map_or_else(|| "–".to_string(), |n| n.to_string())}</td>
                                    <td>{m.kilde.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::succeskriterium::{Maal, Opfyldelse, Sammenligning};
    use crate::model::succeskriterium::MaalingView;

    fn k(values: &[(&str, f64)]) -> KriteriumView {
        KriteriumView {
            id: 1,
            nummer: "A4".into(),
            tekst: String::new(),
            maal: Maal { sammenligning: Sammenligning::Mindst, vaerdi: 95.0, enhed: "pct.".into() },
            kilde: String::new(),
            version: 1,
            maalepunkter: vec![3, 4],
            maalinger: values
                .iter()
                .map(|(d, v)| MaalingView {
                    maalepunkt: 3,
                    maalepunkt_navn: "Før".into(),
                    vaerdi: *v,
                    stikproeve: None,
                    maalt: (*d).into(),
                    kilde: String::new(),
                    recorded_by: String::new(),
                })
                .collect(),
            opfyldelse: Opfyldelse::IkkeOpfyldt,
            naeste: None,
        }
    }

    #[test]
    fn the_y_axis_ends_at_a_round_number_above_values_and_target() {
        assert_eq!(y_top(&k(&[("2027-02-01", 70.0)])), 100.0);
        let mut small = k(&[("2027-02-01", 6.3)]);
        small.maal.vaerdi = 6.0;
        assert_eq!(y_top(&small), 10.0);
        small.maal.enhed = "timer".into();
        small.maalinger[0].vaerdi = 130.0;
        assert_eq!(y_top(&small), 200.0);
    }

    #[test]
    fn the_chart_is_told_in_a_sentence() {
        assert_eq!(summary(&k(&[])), "A4: ingen målinger endnu.");
        assert_eq!(
            summary(&k(&[("2027-02-01", 70.0), ("2028-01-25", 83.25)])),
            "A4: 2 målinger fra 01.02.2027 til 25.01.2028. Seneste: 83,3 pct. (ikke opfyldt; mål ≥ 95 pct.)"
        );
    }
}
