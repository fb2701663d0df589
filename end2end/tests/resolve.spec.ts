import { test, expect, login, hydrated, tileCount, firstNonEmpty, fillResolveForm, PASSWORD } from './fixtures';
import type { Browser, Page } from '@playwright/test';
import type { Kommune } from './fixtures';

/// The first caseworker takes a task with "Næste opgave"; the second opens the same task.
async function oneTaskTwoCaseworkers(browser: Browser, kommune: Kommune): Promise<[Page, Page]> {
  const pakke = await firstNonEmpty(kommune, ['03', '12', '01', '10']);
  const pageA = await (await browser.newContext()).newPage();
  const pageB = await (await browser.newContext()).newPage();
  await login(pageA, kommune.users[0]);
  await login(pageB, kommune.users[1]);
  await pageA.goto(`/opgavepakker/${pakke}`);
  await pageA.getByRole('button', { name: 'Næste opgave' }).click();
  await expect(pageA.getByRole('heading', { level: 1 })).toContainText('Opret fordringssag');
  await pageB.goto(pageA.url());
  return [pageA, pageB];
}


test('a caseworker resolves a task and a second board sees the count drop without reload', async ({ browser, kommune }) => {
  const pakke = await firstNonEmpty(kommune, ['08', '01', '03', '12', '10']);
  const before = (await kommune.counts())[pakke];

  const watcherContext = await browser.newContext();
  const watcher = await watcherContext.newPage();
  await login(watcher, kommune.users[1]);
  await watcher.goto('/opgavepakker');
  await hydrated(watcher);
  await expect(watcher.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(tileCount(watcher, pakke)).toHaveText(String(before));

  const workerContext = await browser.newContext();
  const page = await workerContext.newPage();
  await login(page, kommune.users[0]);
  await page.goto(`/opgavepakker/${pakke}`);
  await hydrated(page);
  await page.getByRole('button', { name: 'Næste opgave' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Opret fordringssag');
  await hydrated(page);
  await fillResolveForm(page);
  await page.getByRole('button', { name: 'Gem og luk opgaven' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'er løst' })).toBeVisible();

  // the other browser's board, untouched, shows the new count
  await expect(tileCount(watcher, pakke)).toHaveText(String(before - 1), { timeout: 2_000 });
  expect((await kommune.counts())[pakke]).toBe(before - 1);
  await watcherContext.close();
  await workerContext.close();
});

test('an empty form names each missing field, checked in the browser', async ({ page, kommune }) => {
  const pakke = await firstNonEmpty(kommune, ['07', '16', '05', '14']);
  await login(page, kommune.users[0]);
  await page.goto(`/opgavepakker/${pakke}`);
  await page.getByRole('button', { name: 'Næste opgave' }).click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Gem og luk opgaven' }).click();
  await expect(page.getByText(/^Angiv ydelsesreferencen: /)).toBeVisible();
  await expect(page.getByText('Angiv paragraffen, fx "LAS § 25".').first()).toBeVisible();
  await expect(page.getByLabel('Ydelsesreference', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  expect((await kommune.counts())[pakke]).toBeGreaterThan(0);
});

test('two caseworkers save the same task: one wins, the other is told by whom', async ({ browser, kommune }) => {
  const [pageA, pageB] = await oneTaskTwoCaseworkers(browser, kommune);
  await hydrated(pageA);
  await hydrated(pageB);
  await fillResolveForm(pageA);
  await fillResolveForm(pageB);
  await pageA.getByRole('button', { name: 'Gem og luk opgaven' }).click();
  await expect(pageA.getByRole('status').filter({ hasText: 'er løst' })).toBeVisible();
  await pageB.getByRole('button', { name: 'Gem og luk opgaven' }).click();
  await expect(pageB.getByRole('alert').filter({ hasText: 'allerede løst af' })).toContainText('allerede løst af Anna Holm');
  await pageA.context().close();
  await pageB.context().close();
});

test('closing a bevilling with an open Opret fordringssag task is refused with the reason', async ({ page, kommune }) => {
  const pakke = await firstNonEmpty(kommune, ['03', '12', '01', '10', '02', '11']);
  await login(page, kommune.users[0]);
  // The fordring's own bevilling is the one the open task hangs on; only an active one has the
  // button. Open the package's tasks until one has it ("Næste opgave" would hand back the task
  // already held, so it cannot move on).
  const close = page
    .getByRole('row', { name: /\(fordringens\)/ })
    .getByRole('button', { name: /^Afslut bevilling/ });
  await page.goto(`/opgavepakker/${pakke}`);
  await hydrated(page);
  await expect(page.locator('tbody a[href^="/opgaver/"]').first()).toBeVisible();
  const links = await page.locator('tbody a[href^="/opgaver/"]').evaluateAll((as) =>
    as.map((a) => a.getAttribute('href') as string),
  );
  expect(links.length).toBeGreaterThan(0);
  for (const href of links) {
    await page.goto(href);
    await expect(page.getByRole('heading', { name: 'Borgerens KMD Aktiv bevillinger' })).toBeVisible();
    if ((await close.count()) > 0) break;
  }
  await hydrated(page);
  await close.first().click();
  // it asks first, saying what will happen
  const confirm = page.getByRole('alertdialog', { name: 'Bekræft afslutning' });
  await expect(confirm).toContainText('kan ikke genåbnes');
  await confirm.getByRole('button', { name: 'Ja, afslut bevillingen' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'kan ikke afsluttes' })).toContainText('Løs opgaven først');
});

test('a wrong password is refused with a message', async ({ page, kommune }) => {
  await page.goto('/login');
  await page.getByLabel('Brugernavn').fill(kommune.users[0]);
  await page.getByLabel('Adgangskode').fill(PASSWORD + 'x');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await expect(page.getByRole('alert')).toContainText('Forkert brugernavn eller adgangskode');
});

test('a filter that matches nothing says so and offers to clear it', async ({ page, kommune }) => {
  const pakke = await firstNonEmpty(kommune, ['08', '01', '03', '12', '10']);
  await login(page, kommune.users[0]);
  await page.goto(`/opgavepakker/${pakke}?kommune=${kommune.nr}&cpr=999999`);
  await hydrated(page);
  await expect(page.getByTestId('tom-liste')).toContainText('Ingen åbne opgaver passer til filteret.');
  await page.getByRole('link', { name: 'Ryd filteret' }).click();
  await expect(page.locator('tbody a[href^="/opgaver/"]').first()).toBeVisible();
});

test('a task held by a colleague says so, is refused on save, and can be taken over after a question', async ({ browser, kommune }) => {
  const [pageA, pageB] = await oneTaskTwoCaseworkers(browser, kommune);
  await hydrated(pageB);
  await expect(pageB.getByTestId('i-gang-hos')).toContainText('Opgaven er i gang hos Anna Holm');
  await fillResolveForm(pageB);
  await pageB.getByRole('button', { name: 'Gem og luk opgaven' }).click();
  await expect(pageB.getByRole('alert').filter({ hasText: 'i gang hos Anna Holm' })).toContainText('Overtag opgaven');
  // taking over asks first
  await pageB.getByText('Overtag opgaven', { exact: true }).click();
  const confirm = pageB.getByRole('alertdialog', { name: 'Bekræft overtagelse' });
  await expect(confirm).toContainText('Overtag opgaven fra Anna Holm?');
  await confirm.getByRole('button', { name: 'Ja, overtag opgaven' }).click();
  await expect(pageB.getByTestId('overtagelser')).toContainText('Bo Berg overtog opgaven fra Anna Holm');
  await expect(pageB.getByTestId('i-gang-hos')).toHaveCount(0);
  await fillResolveForm(pageB);
  await pageB.getByRole('button', { name: 'Gem og luk opgaven' }).click();
  await expect(pageB.getByRole('status').filter({ hasText: 'er løst' })).toBeVisible();
  await pageA.context().close();
  await pageB.context().close();
});

test('the form offers the ydelser and kravtyper the extract knows and refuses made-up values', async ({ page, kommune }) => {
  const pakke = await firstNonEmpty(kommune, ['06', '15']);
  await login(page, kommune.users[0]);
  await page.goto(`/opgavepakker/${pakke}`);
  await page.getByRole('button', { name: 'Næste opgave' }).click();
  await hydrated(page);
  expect(await page.locator('datalist#ydelser option').count()).toBeGreaterThan(0);
  expect(await page.locator('datalist#kravtyper option').count()).toBeGreaterThan(0);
  await page.getByLabel('Ydelsesreference', { exact: true }).fill('hej');
  await page.getByLabel('Kravtype', { exact: true }).fill('blabla');
  await page.getByLabel('Kravtypen er kontrolleret og korrekt').check();
  await page.getByRole('button', { name: 'Gem og luk opgaven' }).click();
  await expect(page.getByText('"hej" er ikke en kendt ydelsesreference.')).toBeVisible();
  await expect(page.getByText('"blabla" er ikke en kravtype, kommunen bruger.')).toBeVisible();
  // a suggested value is accepted
  const ydelse = await page.locator('datalist#ydelser option').first().getAttribute('value');
  await page.getByLabel('Ydelsesreference', { exact: true }).fill(ydelse as string);
  await page.getByLabel('Kravtype', { exact: true }).fill('Tilbagebetaling af kontanthjælp');
  await page.getByRole('button', { name: 'Gem og luk opgaven' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'er løst' })).toBeVisible();
});

test('an open package list follows live changes: its rows and count line update', async ({ browser, kommune }) => {
  const pakke = await firstNonEmpty(kommune, ['03', '12', '01', '10']);
  const before = (await kommune.counts())[pakke];
  const watcherContext = await browser.newContext();
  const watcher = await watcherContext.newPage();
  await login(watcher, kommune.users[1]);
  await watcher.goto(`/opgavepakker/${pakke}`);
  await hydrated(watcher);
  await expect(watcher.locator('caption')).toContainText(`${before} opgaver`);

  const workerContext = await browser.newContext();
  const page = await workerContext.newPage();
  await login(page, kommune.users[0]);
  await page.goto(`/opgavepakker/${pakke}`);
  await page.getByRole('button', { name: 'Næste opgave' }).click();
  await hydrated(page);
  const taskId = page.url().split('/').pop() as string;
  await expect(watcher.locator(`tbody a[href="/opgaver/${taskId}"]`)).toHaveCount(before <= 50 ? 1 : 0);
  await fillResolveForm(page);
  await page.getByRole('button', { name: 'Gem og luk opgaven' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'er løst' })).toBeVisible();

  await expect(watcher.locator('caption')).toContainText(`${before - 1} opgaver`, { timeout: 3_000 });
  await expect(watcher.locator(`tbody a[href="/opgaver/${taskId}"]`)).toHaveCount(0);
  await watcherContext.close();
  await workerContext.close();
});
