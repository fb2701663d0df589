// Stikprøve: the project lead draws a sample of the paragrafkontrol tasks, a caseworker checks
// one item, and the project lead's open results page shows the check without reload.
import { test, expect, login, hydrated, cli, PASSWORD } from './fixtures';

test('the project lead draws, a caseworker checks one item, and the results show it live', async ({ browser, kommune }) => {
  const leadName = `e2e${kommune.nr}.leder`;
  cli(['user', 'add', '--username', leadName, '--role', 'projektleder', '--kommune', String(kommune.nr), '--name', 'Lise Leder'], PASSWORD);

  const lead = await (await browser.newContext()).newPage();
  await login(lead, leadName);
  await lead.goto('/stikproeve');
  await hydrated(lead);
  await expect(lead.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(lead.getByText('Der er ikke trukket nogen stikprøve endnu')).toBeVisible();

  // Bad input first: a clear Danish message at the field.
  await lead.getByLabel('Størrelse').fill('0');
  await lead.getByRole('button', { name: 'Træk stikprøve' }).click();
  await expect(lead.getByText('Stikprøven skal have mindst 1 opgave.')).toBeVisible();

  await lead.getByLabel('Størrelse').fill('5');
  await lead.getByLabel('Frø (valgfrit)').fill('4711');
  await lead.getByRole('button', { name: 'Træk stikprøve' }).click();
  await expect(lead.getByText(/Stikprøven er trukket: 5 opgaver af [\d.]+ \(frø 4711\)/)).toBeVisible();
  await expect(lead.getByTestId('punkt')).toHaveCount(5);
  await expect(lead.getByTestId('stikproeve-meta')).toContainText('frø 4711');
  const results = lead.getByTestId('resultater');
  await expect(results.getByRole('row', { name: /Paragrafkontrol/ })).toContainText('–');

  const page = await (await browser.newContext()).newPage();
  await login(page, kommune.users[0]);
  await page.goto('/stikproeve');
  await hydrated(page);
  await expect(page.getByRole('button', { name: 'Træk stikprøve' })).toHaveCount(0);
  await page.getByTestId('punkt').first().getByRole('link', { name: 'Kontrollér' }).click();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: /Kontrol af punkt 1 af 5/ })).toBeVisible();
  await expect(page.getByText('Udbetalingsparagraf', { exact: true })).toBeVisible();
  await page.getByRole('radio', { name: 'Nej, den er forkert' }).check();
  await page.getByLabel('Note (valgfri)').fill('KMD Aktiv: LAS § 93');
  await page.getByRole('button', { name: 'Gem kontrol' }).click();
  await expect(page.getByText('Kontrollen er gemt.')).toBeVisible();
  await expect(page.getByTestId('kontrolleret')).toContainText('Anna Holm');

  // The project lead's open page, without reload: 1 of 5 checked, 1 error.
  await expect(lead.getByTestId('punkt').first()).toContainText('paragraf forkert', { timeout: 3_000 });
  await expect(results.getByRole('row', { name: /Paragrafkontrol/ })).toContainText('100,0 % (20,7–100,0 %)');
});

test('the results page fits a phone', async ({ browser, kommune }) => {
  const leadName = `e2e${kommune.nr}.leder`;
  cli(['user', 'add', '--username', leadName, '--role', 'projektleder', '--kommune', String(kommune.nr), '--name', 'Lise Leder'], PASSWORD);
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await login(page, leadName);
  await page.goto('/stikproeve');
  await hydrated(page);
  await page.getByLabel('Kravtypekontrol').check();
  await page.getByLabel('Størrelse').fill('10');
  await page.getByLabel('Enhed').selectOption('procent');
  await page.getByRole('button', { name: 'Træk stikprøve' }).click();
  await expect(page.getByText(/Stikprøven er trukket/)).toBeVisible();
  await expect(page.getByTestId('resultater').getByRole('row', { name: /Kravtypekontrol/ })).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
});
