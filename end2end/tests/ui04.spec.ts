// UI 04, the KLIK plan and the estimate as the project lead uses them: go-live set on the plan
// page puts UI 04's window on the timeline; a bevillingstype gets a plan item and a decision;
// the calculator shows the seed's ≈ 53.000 hours and follows what is typed; the review
// downloads as a workbook.
import { test, expect, login, hydrated, cli, demoLogin, PASSWORD } from './fixtures';
import type { Page } from '@playwright/test';

async function asLead(page: Page, nr: number) {
  const lead = `e2e${nr}.leder`;
  cli(['user', 'add', '--username', lead, '--role', 'projektleder', '--kommune', String(nr), '--name', 'Lise Leder'], PASSWORD);
  await login(page, lead);
}

test('the project lead sets go-live and sees UI 04\'s window on the KLIK timeline', async ({ page, kommune }) => {
  await asLead(page, kommune.nr);
  await page.goto('/klik');
  await hydrated(page);
  await expect(page.getByTestId('go-live')).toContainText('ingen go-live');
  await page.goto('/plan');
  await hydrated(page);
  await page.getByLabel('Go-live i KY').fill('01.09.2027');
  await page.getByRole('button', { name: 'Gem planen' }).click();
  await expect(page.getByText('Planen er gemt')).toBeVisible();
  await page.getByRole('link', { name: 'KLIK-plan' }).first().click();
  await expect(page.getByTestId('go-live')).toContainText('01.09.2027');
  const ui04 = page.getByTestId('klik-UI 04');
  await expect(ui04).toContainText('09.12.2026');
  await expect(ui04).toContainText('14.07.2027');
  await expect(page.getByTestId('klik-tidslinje').locator('svg')).toHaveAttribute('aria-label', /UI 04 09\.12\.2026 – 14\.07\.2027/);
  // the API says the same
  const res = await page.request.get(`/api/v1/kommuner/${kommune.nr}/klik`);
  expect(res.status()).toBe(200);
  const plan = await res.json();
  expect(plan.go_live).toBe('2027-09-01');
  expect(plan.opgaver.find((o: { kode: string }) => o.kode === 'UI 04')).toMatchObject({ start: '2026-12-09', slut: '2027-07-14' });
});

test('the project lead plans and decides a bevillingstype, and exports the review', async ({ page, kommune }) => {
  await asLead(page, kommune.nr);
  await page.goto('/bevillingstyper');
  await hydrated(page);
  await expect(page.getByTestId('ui04-progress')).toContainText(/0 af \d+ bevillingstyper besluttet/);
  const card = page.getByTestId('type-KTH');
  await card.locator('summary').click();
  await card.getByLabel('Hvad skal gøres').fill('Gennemgå aktive sager med Jobcenteret');
  await card.getByLabel('Hvem').fill('Teamleder');
  await card.getByLabel('Senest').fill('01.03.2027');
  await card.getByRole('button', { name: 'Tilføj planpunkt' }).click();
  await expect(card.locator('.plan-items')).toContainText('Gennemgå aktive sager med Jobcenteret – Teamleder, senest 01.03.2027');

  await card.getByRole('radio', { name: 'Flyt til andet system' }).check();
  await expect(card.getByTestId('advarsler')).toContainText('god tid før go-live');
  await card.getByLabel('Flyttes til (ved flyt)').fill('Økonomisystemet');
  await card.getByLabel('Ejende afdeling').fill('Jobcenter');
  await card.getByLabel('Begrundelse').fill('Betales som faktura');
  await card.getByRole('button', { name: 'Gem beslutning' }).click();
  await expect(card.locator('summary')).toContainText('Flyt til andet system: Økonomisystemet (afdeling Jobcenter)');
  await expect(page.getByTestId('ui04-progress')).toContainText(/1 af \d+ bevillingstyper besluttet/);

  const res = await page.request.get(`/api/v1/kommuner/${kommune.nr}/bevillingstyper`);
  const kth = (await res.json()).items.find((i: { bevillingstype: string }) => i.bevillingstype === 'KTH');
  expect(kth.beslutning).toMatchObject({ valg: 'flyt', system: 'Økonomisystemet', version: 1 });
  const xlsx = await page.request.get(`/api/v1/kommuner/${kommune.nr}/bevillingstyper?format=xlsx`);
  expect(xlsx.status()).toBe(200);
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe('PK');
});

test('the calculator shows the seed\'s figures and follows what is typed', async ({ page, kommune }) => {
  await asLead(page, kommune.nr);
  await page.goto('/estimat');
  await hydrated(page);
  const result = page.getByTestId('estimat-resultat');
  // 17.250 + 23.433 + 5.000 = 45.683 hours; with 15 % caution 52.536 (the seed's "ca. 53.000")
  await expect(result).toContainText('45.683');
  await expect(result).toContainText('52.536');
  await expect(result).toContainText('26,3');
  await page.getByLabel('Forsigtighed (%)').fill('0');
  await expect(result.getByRole('row', { name: /I alt med forsigtighed/ })).toContainText('45.683');
  await page.getByLabel('Minutter til, række 3').fill('abc');
  await expect(page.getByRole('alert').filter({ hasText: 'Skriv et tal i række 3' })).toBeVisible();
});

test('a caseworker is refused the bevillingstype review', async ({ page, kommune }) => {
  await login(page, kommune.users[0]);
  const res = await page.request.get(`/api/v1/kommuner/${kommune.nr}/bevillingstyper`);
  expect(res.status()).toBe(403);
  await page.goto('/klik');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('KLIK-plan');
});

test('KOMBIT adds a KLIK task to the catalogue and a kommune\'s plan dates it from go-live', async ({ browser, kommune }) => {
  const kombit = await demoLogin(browser, 'kombit');
  await kombit.goto('/katalog');
  await hydrated(kombit);
  await expect(kombit.getByTestId('katalog-klik')).toContainText('UI 04 Tag stilling til bevillingstyper i KMD Aktiv (B5)');
  await kombit.getByText('Tilføj eller ret en KLIK-opgave').click();
  const form = kombit.locator('details.panel');
  const code = `UX ${kommune.nr}`;
  await form.getByLabel('Kode', { exact: true }).fill(code);
  await form.getByLabel('Titel').fill(`${code} Test af kataloget`);
  await form.getByLabel('Slutdato fra go-live (dage)').fill('-10');
  await form.getByLabel('Startdato fra slutdato (dage)').fill('-20');
  await form.getByRole('button', { name: 'Gem KLIK-opgave' }).click();
  await expect(kombit.getByTestId('katalog-klik')).toContainText(`${code} Test af kataloget`);
  cli(['kommune', 'set', '--kommune', String(kommune.nr), '--go-live', '2027-09-01']);
  await kombit.goto(`/klik?kommune=${kommune.nr}`);
  await expect(kombit.getByTestId(`klik-${code}`)).toContainText('22.08.2027');
});
