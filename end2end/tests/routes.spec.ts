// Every page must load and hydrate both when opened directly (server-rendered, then hydrated) and
// when reached by a link inside the app (client-side navigation), with no script error. This is
// the guard for splitting the WebAssembly per page (`cargo leptos --split`, branch wasm-split):
// a split page loads its chunk on navigation.
import { test, expect, demoLogin, login, type Kommune } from './fixtures';
import type { Page } from '@playwright/test';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

async function opened(page: Page, path: string, heading: RegExp) {
  await page.goto(path);
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(heading);
}

test('the MI 38 pages load directly and by link', async ({ page, kommune }) => {
  const errors = watchErrors(page);
  await login(page, kommune.users[0]);
  await opened(page, '/opgavepakker', /Opgavepakker/);
  const code = await firstWithTasks(kommune);
  await opened(page, `/opgavepakker/${code}`, new RegExp(code));
  const task = page.locator('tbody tr td a').first();
  const href = (await task.getAttribute('href'))!;
  await opened(page, href, /.+/);

  // By link: board → opgavepakke → task, each a client-side navigation that loads its chunk.
  await page.goto('/opgavepakker');
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
  await page.locator(`a[href*="/opgavepakker/${code}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`/opgavepakker/${code}`));
  await expect(page.locator('tbody tr td a').first()).toBeVisible();
  await page.locator('tbody tr td a').first().click();
  await expect(page).toHaveURL(/\/opgaver\/\d+/);
  await expect(page.getByRole('button', { name: /Gem|Løs|Opret/ }).first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('the ændringsønske pages load directly and by link', async ({ browser }) => {
  const kombit = await demoLogin(browser, 'kombit');
  const errors = watchErrors(kombit);
  for (const [path, heading] of [
    ['/backlog', /backlog/i],
    ['/aendringsoensker', /Ændringsønsker/],
    ['/aendringsoensker/ny', /ændringsønske/i],
    ['/scoring', /Scoring/i],
    ['/vaegte', /Vægte/i],
    ['/oprydning', /Oprydning/i],
    ['/indbakke', /Indbakke/i],
  ] as [string, RegExp][]) {
    await opened(kombit, path, heading);
  }
  // By link: the matrix → an ændringsønske's page.
  await kombit.goto('/scoring');
  await expect(kombit.locator('body[data-hydrated]')).toHaveCount(1);
  const link = kombit.locator('tbody tr th a').first();
  const key = (await link.textContent())!.trim();
  await link.click();
  await expect(kombit).toHaveURL(/\/aendringsoensker\/\d+/);
  await expect(kombit.getByRole('heading', { level: 1 })).toContainText(key);
  expect(errors).toEqual([]);
});

test('the UI 04, KLIK and estimate pages load directly and by link', async ({ browser }) => {
  const lead = await demoLogin(browser, 'aarhus.projektleder');
  const errors = watchErrors(lead);
  for (const [path, heading] of [
    ['/bevillingstyper', /Bevillingstyper/],
    ['/bevillingstyper/KTH', /Bevillingstype KTH/],
    ['/klik', /KLIK-plan/],
    ['/estimat', /Estimat/],
  ] as [string, RegExp][]) {
    await opened(lead, path, heading);
  }
  // By link: the board's UI 04 line → the review → a type → back; the menu → KLIK and estimate.
  await opened(lead, '/opgavepakker', /Opgavepakker/);
  await lead.getByTestId('ui04-forside').getByRole('link', { name: 'Gå til gennemgangen' }).click();
  await expect(lead).toHaveURL(/\/bevillingstyper(\?|$)/);
  await expect(lead.getByTestId('bevillingstyper')).toBeVisible();
  await lead.getByTestId('bevillingstyper').getByRole('link', { name: 'KTH' }).click();
  await expect(lead.getByRole('heading', { level: 1 })).toContainText('Bevillingstype KTH');
  await lead.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'KLIK-plan' }).click();
  await expect(lead.getByTestId('klik-tidslinje')).toBeVisible();
  await lead.getByRole('navigation', { name: 'Hovedmenu' }).getByRole('link', { name: 'Estimat' }).click();
  await expect(lead.getByTestId('estimat-resultat')).toContainText('52.536');
  expect(errors).toEqual([]);
});

async function firstWithTasks(kommune: Kommune): Promise<string> {
  const counts = await kommune.counts();
  return Object.keys(counts).sort().find((c) => c !== '09' && counts[c] > 0)!;
}
