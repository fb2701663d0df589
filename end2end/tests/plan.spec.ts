// The project lead's plan for MI 38: a change of deadline reaches a caseworker's open board
// live, and the CLI names a bad flag.
import { test, expect, login, hydrated, cli, PASSWORD } from './fixtures';

test('the project lead sets a deadline and a caseworker\'s open board shows it without reload', async ({ browser, kommune }) => {
  const lead = `e2e${kommune.nr}.leder`;
  cli(['user', 'add', '--username', lead, '--role', 'projektleder', '--kommune', String(kommune.nr), '--name', 'Lise Leder'], PASSWORD);

  const caseworker = await (await browser.newContext()).newPage();
  await login(caseworker, kommune.users[0]);
  await caseworker.goto('/opgavepakker');
  await hydrated(caseworker);
  await expect(caseworker.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(caseworker.getByTestId('tilgang')).toContainText('Opgavepakkestyret');

  const page = await (await browser.newContext()).newPage();
  await login(page, lead);
  await page.goto('/plan');
  await hydrated(page);
  await page.getByLabel('Frist for fordringer med dækninger').fill('28.02.2027');
  await page.getByRole('radio', { name: /Sideløbende/ }).check();
  await expect(page.getByTestId('tilgang-betydning')).toContainText('sagsmapper de selv har');
  await page.getByRole('button', { name: 'Gem planen' }).click();
  await expect(page.getByText('Planen er gemt')).toBeVisible();

  await expect(caseworker.getByText('skatteårets frist 28.02.2027')).toBeVisible({ timeout: 3_000 });
  await expect(caseworker.getByTestId('tilgang')).toContainText('Sideløbende');
});

test('a caseworker sees the plan but cannot change it', async ({ page, kommune }) => {
  await login(page, kommune.users[0]);
  await page.goto('/plan');
  await hydrated(page);
  await expect(page.getByText('Kun kommunens projektleder kan ændre planen.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Gem planen' })).toHaveCount(0);
});

test('kommune set names the flag of a bad value and changes nothing', async ({ kommune }) => {
  let stderr = '';
  try {
    cli(['kommune', 'set', '--kommune', String(kommune.nr), '--frist-med', '31.02.2027']);
  } catch (e: any) {
    stderr = String(e.stderr);
  }
  expect(stderr).toContain('--frist-med');
  const out = cli(['kommune', 'set', '--kommune', String(kommune.nr), '--tilgang', 'sideloebende', '--frist-med', '25.01.2027']);
  expect(out).toContain('Sideløbende');
});
