//! KOMBIT's catalogues: the KLIK tasks (dated relative to each kommune's go-live) and the KY
//! ydelsestyper a bevillingstype can be matched to. Everyone logged in reads them; KOMBIT adds
//! and changes entries (a task with an existing code is changed).

use crate::api::bevillingstyper::PutKyYdelsestype;
use crate::api::klik::{PutKlikOpgave, get_katalog};
use crate::components::{ActionError, Loaded, action_error};
use crate::model::klik::Katalog;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn KatalogPage() -> impl IntoView {
    let put_task = ServerAction::<PutKlikOpgave>::new();
    let put_type = ServerAction::<PutKyYdelsestype>::new();
    let katalog = Resource::new(move || (put_task.version().get(), put_type.version().get()), |_| get_katalog());
    view! {
        <Title text="KOMBITs kataloger"/>
        <h1>"KOMBITs kataloger"</h1>
        <p class="lede">"KLIK-opgaverne, som hver kommunes KLIK-plan dateres ud fra, og KY-ydelsestyperne, som bevillingstyper matches til under UI 04."</p>
        <Loaded resource=katalog view=move |k: Katalog| view! { <KatalogView k=k put_task=put_task put_type=put_type/> }/>
    }
}

#[component]
fn KatalogView(
    k: Katalog,
    put_task: ServerAction<PutKlikOpgave>,
    put_type: ServerAction<PutKyYdelsestype>,
) -> impl IntoView {
    let field = |name: &'static str, label: &'static str, hint: &'static str| {
        let id = format!("kk-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                {(!hint.is_empty()).then(|| view! { <p class="field__hint">{hint}</p> })}
                <input type="text" id=id name=format!("form[{name}]")/>
            </div>
        }
    };
    view! {
        <h2>"KLIK-opgaver"</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-label="KLIK-opgaver">
            <table class="table" data-testid="katalog-klik">
                <thead><tr>
                    <th scope="col">"Kode"</th><th scope="col">"Titel"</th><th scope="col">"Master-ID"</th>
                    <th scope="col" class="right">"Slut fra go-live (dage)"</th><th scope="col" class="right">"Start fra slut (dage)"</th>
                    <th scope="col">"Bølger"</th>
                </tr></thead>
                <tbody>
                    {k.klik.iter().map(|(_, t)| view! {
                        <tr>
                            <th scope="row">{t.kode.clone()}</th><td>{t.titel.clone()}</td>
                            <td class="num">{(t.master_id > 0).then(|| t.master_id.to_string())}</td>
                            <td class="right num">{t.slut_offset}</td><td class="right num">{t.start_offset}</td>
                            <td>{t.boelger.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {k.may_edit.then(|| view! {
            <details class="panel">
                <summary><strong>"Tilføj eller ret en KLIK-opgave"</strong></summary>
                <ActionForm action=put_task attr:class="panel--form">
                    {field("kode", "Kode", "Fx UI 04. Findes koden, rettes opgaven.")}
                    {field("titel", "Titel", "")}
                    {field("master_id", "Master-opgave ID", "")}
                    {field("fase", "Fase", "Fx Fase 1: Opstart.")}
                    {field("tema", "Tema", "")}
                    {field("prioritet", "Prioritet", "")}
                    {field("boelger", "Bølger", "Fx KY - Bølge 5.")}
                    {field("slut_offset", "Slutdato fra go-live (dage)", "Negativt før go-live, fx -49.")}
                    {field("start_offset", "Startdato fra slutdato (dage)", "0 eller negativt, fx -217.")}
                    {field("maal", "Mål", "")}
                    {field("resultat", "Resultat", "")}
                    {field("anbefalet_udfoerer", "Anbefalet udfører", "")}
                    <label class="choice"><input type="checkbox" name="form[sts]" value="ja"/><span>"STS/infrastruktur-opgave"</span></label>
                    <button type="submit" class="button">"Gem KLIK-opgave"</button>
                </ActionForm>
                <ActionError error=action_error(put_task)/>
            </details>
        })}
        <h2>"KY-ydelsestyper"</h2>
        {k.ky_ydelsestyper.iter().any(|(_, _, i)| *i).then(|| view! {
            <p class="notice">"Typer markeret \"illustrativ\" er demodata, ikke KOMBITs officielle katalog."</p>
        })}
        <ul class="plan-items" data-testid="katalog-ky">
            {k.ky_ydelsestyper.iter().map(|(kode, navn, illustrative)| view! {
                <li><strong>{kode.clone()}</strong>" – "{navn.clone()}{illustrative.then(|| view! { " " <span class="status status--flow">"illustrativ"</span> })}</li>
            }).collect_view()}
        </ul>
        {k.may_edit.then(|| view! {
            <ActionForm action=put_type attr:class="panel panel--form">
                <div class="field"><label for="ky-kode">"Kode"</label><input type="text" id="ky-kode" name="kode"/></div>
                <div class="field"><label for="ky-navn">"Navn"</label><input type="text" id="ky-navn" name="navn"/></div>
                <button type="submit" class="button">"Gem KY-ydelsestype"</button>
            </ActionForm>
            <ActionError error=action_error(put_type)/>
        })}
    }
}
