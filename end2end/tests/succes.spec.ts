import { test, expect, demoLogin, hydrated, login } from './fixtures';

// KOMBIT's success criteria (issue 10), on the demo's criteria (fixtures/src/demo/succes.rs).
// C3 has no measurement in the demo, so a run records the first one; a second run on the same
// database records the same value again and sees the same verdict.

test('KOMBIT records a measurement and the criterion shows it as met', async ({ browser }) => {
  const kombit = await demoLogin(browser, 'kombit');
  await kombit.goto('/succeskriterier');
  await hydrated(kombit);
  await expect(kombit.getByRole('heading', { name: 'Succeskriterier for KY' })).toBeVisible();
  const c3 = kombit.getByTestId('kriterium-C3');
  await c3.getByText('Registrér en måling af C3').click();
  await c3.getByLabel('Måletidspunkt', { exact: true }).selectOption({ label: 'Start bølge 1' });
  await c3.getByLabel('Værdi', { exact: true }).fill('83,3');
  await c3.getByLabel('Stikprøvens størrelse (valgfri)').fill('57');
  await c3.getByRole('button', { name: 'Gem måling' }).click();
  await expect(kombit.getByText('Målingen er gemt.')).toBeVisible();
  const saved = kombit.getByTestId('kriterium-C3');
  await expect(saved.getByTestId('seneste')).toContainText('83,3 pct.');
  await expect(saved.getByTestId('seneste')).toContainText('n = 57');
  await expect(saved.getByRole('heading', { name: /C3/ })).toContainText('Opfyldt');
  await expect(saved.getByRole('img')).toHaveAttribute('aria-label', /Seneste: 83,3 pct\. \(opfyldt; mål ≥ 80 pct\.\)/);
  await expect(saved.getByTestId('naeste-maaling')).toContainText('Næste måling: Et år efter kommunal ibrugtagning');
});

test('a wrong measurement is explained beside its field', async ({ browser }) => {
  const kombit = await demoLogin(browser, 'kombit');
  await kombit.goto('/succeskriterier');
  await hydrated(kombit);
  const c4 = kombit.getByTestId('kriterium-C4');
  await c4.getByText('Registrér en måling af C4').click();
  await c4.getByLabel('Værdi', { exact: true }).fill('120');
  await c4.getByRole('button', { name: 'Gem måling' }).click();
  await expect(c4.getByText('En procentdel ligger mellem 0 og 100.')).toBeVisible();
  await expect(c4.getByLabel('Værdi', { exact: true })).toHaveValue('120');
});

test('the styregruppe reads the dashboard without forms', async ({ browser }) => {
  const styregruppe = await demoLogin(browser, 'styregruppe');
  await styregruppe.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Succeskriterier' }).click();
  await hydrated(styregruppe);
  await expect(styregruppe).toHaveURL(/\/succeskriterier$/);
  const a2 = styregruppe.getByTestId('kriterium-A2');
  await expect(a2.getByRole('heading', { name: /A2/ })).toContainText('Ikke opfyldt');
  await expect(a2.getByTestId('seneste')).toContainText('4,9 pct.');
  await a2.getByText('Tallene bag grafen').click();
  await expect(styregruppe.getByTestId('maalinger-A2')).toContainText('Før kommunal ibrugtagning');
  await expect(styregruppe.getByText(/Registrér en måling/)).toHaveCount(0);
  await expect(styregruppe.getByRole('button', { name: 'Gem måling' })).toHaveCount(0);
  await expect(styregruppe.getByText('Ret målsætninger og måletidspunkter')).toHaveCount(0);
});

test('the dashboard fits a phone without sideways scrolling', async ({ browser }) => {
  const styregruppe = await demoLogin(browser, 'styregruppe');
  await styregruppe.setViewportSize({ width: 390, height: 844 });
  await styregruppe.goto('/succeskriterier');
  await hydrated(styregruppe);
  await expect(styregruppe.getByTestId('kriterium-C1')).toBeVisible();
  const overflow = await styregruppe.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('a caseworker has no link to the dashboard and is refused it', async ({ browser, kommune }) => {
  const page = await (await browser.newContext()).newPage();
  await login(page, kommune.users[0]);
  await expect(page.getByRole('link', { name: 'Succeskriterier' })).toHaveCount(0);
  await page.goto('/succeskriterier');
  await expect(page.getByText('Du har ikke adgang til dette.')).toBeVisible();
});

test('a measurement KOMBIT records reaches an open dashboard of the styregruppe without a reload', async ({ browser }) => {
  const styregruppe = await demoLogin(browser, 'styregruppe');
  await styregruppe.goto('/succeskriterier');
  await hydrated(styregruppe);
  await expect(styregruppe.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  const value = `${60 + (Date.now() % 30)},5`;

  const kombit = await demoLogin(browser, 'kombit');
  await kombit.goto('/succeskriterier');
  await hydrated(kombit);
  const c5 = kombit.getByTestId('kriterium-C5');
  await c5.getByText('Registrér en måling af C5').click();
  await c5.getByLabel('Måletidspunkt', { exact: true }).selectOption({ label: 'Start bølge 1' });
  await c5.getByLabel('Værdi', { exact: true }).fill(value);
  await c5.getByRole('button', { name: 'Gem måling' }).click();
  await expect(kombit.getByText('Målingen er gemt.')).toBeVisible();

  await expect(styregruppe.getByTestId('kriterium-C5').getByTestId('seneste')).toContainText(value, { timeout: 5_000 });
});
