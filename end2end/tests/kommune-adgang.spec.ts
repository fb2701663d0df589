// A user of one kommune who opens another kommune's board, package or task (a link passed on, a
// typed address) is refused by the server, and the page says so — with nothing of the other
// kommune's work on it: no counts, no list, no "Næste opgave", no live connection.
import { test, expect, login, hydrated, demoLogin, tileCount, firstNonEmpty } from './fixtures';

const AARHUS_REFUSED = 'Du har ikke adgang til opgaverne i Aarhus (751).';

test('an Odense caseworker opening Aarhus’s package and board is refused, with no counts, list or buttons', async ({ browser }) => {
  const page = await demoLogin(browser, 'odense.mette');
  await page.goto('/opgavepakker/01?kommune=751');
  await hydrated(page);
  await expect(page.getByRole('alert').filter({ hasText: AARHUS_REFUSED })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Næste opgave' })).toHaveCount(0);
  await expect(page.getByRole('table')).toHaveCount(0);
  await expect(page.getByTestId('pakke-antal')).toHaveCount(0);
  await expect(page.getByText('åbne opgaver i')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: /Live|Forbinder|Genopretter/ })).toHaveCount(0);

  await page.goto('/opgavepakker?kommune=751');
  await hydrated(page);
  await expect(page.getByRole('alert').filter({ hasText: AARHUS_REFUSED })).toBeVisible();
  await expect(tileCount(page, '01')).toHaveCount(0);

  // the caseworker's own kommune is unaffected
  await page.goto('/opgavepakker/01?kommune=461');
  await expect(page.getByRole('button', { name: 'Næste opgave' })).toBeVisible();
  await expect(page.getByText('åbne opgaver i Odense')).toBeVisible();
});

test('a task of another kommune is refused by the kommune’s name, without the person or the form', async ({ browser, kommune }) => {
  const pakke = await firstNonEmpty(kommune, ['01', '03', '08', '10', '12', '17']);
  const owner = await (await browser.newContext()).newPage();
  await login(owner, kommune.users[0]);
  await owner.goto(`/opgavepakker/${pakke}`);
  const task = await owner.getByRole('row').nth(1).getByRole('link').first().getAttribute('href');
  expect(task).toMatch(/^\/opgaver\/\d+$/);

  const page = await demoLogin(browser, 'odense.mette');
  await page.goto(task!);
  await hydrated(page);
  const refusal = new RegExp(`Du har ikke adgang til opgaverne i .+ \\(${String(kommune.nr).padStart(3, '0')}\\)\\.`);
  await expect(page.getByRole('alert').filter({ hasText: refusal })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Gem og luk opgaven' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Afslut bevilling/ })).toHaveCount(0);
  await expect(page.getByTestId('cpr')).toHaveCount(0);
});
