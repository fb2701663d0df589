//! The live summary the slides show: kommuner, answers, per category, incorporated in total —
//! as a bar chart (an image with its sentence) and a table of the same numbers.

use super::percent;
use crate::domain::hoering::{Summary, Triage};
use crate::pages::fmt_count;
use leptos::prelude::*;

#[component]
pub fn SummaryView(summary: Summary) -> impl IntoView {
    let s = summary;
    let max = s.per_category.iter().copied().max().unwrap_or(0).max(s.untriaged).max(1) as f64;
    let mut rows: Vec<(String, usize)> =
        Triage::ALL.iter().map(|t| (t.full_label(), s.per_category[t.index()])).collect();
    if s.untriaged > 0 {
        rows.push(("Venter på behandling".into(), s.untriaged));
    }
    let (w, row_h) = (400.0, 40.0);
    let h = row_h * rows.len() as f64 + 4.0;
    let sentence = s.sentence();
    view! {
        <section class="panel hoering-summary" aria-labelledby="opsummering">
            <h2 id="opsummering">"Opsummering"</h2>
            <p class="lede" data-testid="hoering-saetning">{sentence.clone()}</p>
            <figure class="chart chart--bars">
                <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=sentence preserveAspectRatio="xMidYMin meet">
                    {rows.iter().enumerate().map(|(i, (label, n))| {
                        let y = i as f64 * row_h;
                        let bar = (*n as f64 / max) * (w - 60.0);
                        view! {
                            <g class="chart__labels">
                                <text x="0" y=y + 13.0 font-size="12">{label.clone()}</text>
                                <rect class="chart__bar" x="0" y=y + 18.0 width=bar.max(1.0) height="14" rx="2"></rect>
                                <text x=bar + 6.0 y=y + 30.0 font-size="12">{fmt_count(*n as i64)}</text>
                            </g>
                        }
                    }).collect_view()}
                </svg>
            </figure>
            <table class="table">
                <caption>"Tallene bag grafen"</caption>
                <thead><tr><th scope="col">"Kategori"</th><th scope="col" class="right">"Svar"</th><th scope="col" class="right">"Andel"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(label, n)| view! {
                        <tr><td>{label}</td><td class="right num">{fmt_count(n as i64)}</td><td class="right num">{percent(n, s.answers)}</td></tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr><th scope="row">"Kommuner"</th><td class="right num" data-testid="hoering-kommuner">{fmt_count(s.kommuner as i64)}</td><td></td></tr>
                    <tr><th scope="row">"Høringssvar i alt"</th><td class="right num" data-testid="hoering-svar">{fmt_count(s.answers as i64)}</td><td></td></tr>
                    <tr><th scope="row">"Indarbejdet i KY i alt"</th><td class="right num" data-testid="hoering-indarbejdet">{fmt_count(s.incorporated as i64)}</td><td class="right num">{percent(s.incorporated, s.answers)}</td></tr>
                </tfoot>
            </table>
        </section>
    }
}
