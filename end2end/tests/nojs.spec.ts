import { test, expect, tileCount, cli, PASSWORD } from './fixtures';

test.use({ javaScriptEnabled: false });

test('login and the board work before (and without) JavaScript', async ({ page, kommune }) => {
  await page.goto('/login');
  await page.getByLabel('Brugernavn').fill(kommune.users[0]);
  await page.getByLabel('Adgangskode').fill('e2e-adgangskode');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await expect(page).toHaveURL(/\/opgavepakker$/);
  const counts = await kommune.counts();
  await expect(tileCount(page, '01')).toHaveText(String(counts['01']));
});

test('the public backlog renders without JavaScript', async ({ page }) => {
  await page.goto('/backlog');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await expect(page.locator('tbody tr').first().locator('.rank')).toHaveText('1');
});

test('another kommune’s package is refused before (and without) JavaScript', async ({ page, kommune }) => {
  await page.goto('/login');
  await page.getByLabel('Brugernavn').fill(kommune.users[0]);
  await page.getByLabel('Adgangskode').fill('e2e-adgangskode');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await expect(page).toHaveURL(/\/opgavepakker$/);
  await page.goto('/opgavepakker/01?kommune=751');
  await expect(page.getByRole('alert').filter({ hasText: 'Du har ikke adgang til opgaverne i Aarhus (751).' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Næste opgave' })).toHaveCount(0);
  await expect(page.getByRole('table')).toHaveCount(0);
});

test('the estimate calculator computes without JavaScript', async ({ page, kommune }) => {
  const lead = `e2e${kommune.nr}.nojs`;
  cli(['user', 'add', '--username', lead, '--role', 'projektleder', '--kommune', String(kommune.nr), '--name', 'Nina Nojs'], PASSWORD);
  await page.goto('/login');
  await page.getByLabel('Brugernavn').fill(lead);
  await page.getByLabel('Adgangskode').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.goto('/estimat');
  const result = page.getByTestId('estimat-resultat');
  await expect(result).toContainText('52.536');
  // "Beregn" sends the form to the page, which computes the tables on the server
  await page.getByLabel('Forsigtighed (%)').fill('0');
  await page.getByRole('button', { name: 'Beregn' }).click();
  await expect(page).toHaveURL(/forsigtighed=0/);
  await expect(result.getByRole('row', { name: /I alt med forsigtighed/ })).toContainText('45.683');
  await expect(page.getByLabel('Forsigtighed (%)')).toHaveValue('0');
  await page.getByLabel('Minutter til, række 3').fill('abc');
  await page.getByRole('button', { name: 'Beregn' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Skriv et tal i række 3' })).toBeVisible();
});
