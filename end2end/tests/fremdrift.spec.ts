// Fremdrift: the project lead's burn-down per group and package, the numbers behind each chart
// for keyboard and screen-reader users, and today's point moving live when a dækning arrives.
import { test, expect, login, hydrated, cli, PASSWORD } from './fixtures';

test('the project lead reads the burn-down, its numbers, and sees it follow a dækning live', async ({ page, request, kommune }) => {
  const lead = `e2e${kommune.nr}.leder`;
  cli(['user', 'add', '--username', lead, '--role', 'projektleder', '--kommune', String(kommune.nr), '--name', 'Lise Leder'], PASSWORD);
  const counts = await kommune.counts();
  const uden = ['12', '10', '11', '13', '14', '15', '16', '17'].find((c) => counts[c] > 0)!;
  const udenTotal = ['10', '11', '12', '13', '14', '15', '16', '17'].reduce((s, c) => s + (counts[c] ?? 0), 0);

  // a fordring in an uden package, for the dækning below
  await login(page, kommune.users[0]);
  await page.goto(`/opgavepakker/${uden}`);
  const fordring = (await page.getByRole('row').nth(1).getByRole('cell').nth(2).textContent())!.trim();

  await login(page, lead);
  await page.getByRole('link', { name: 'Fremdrift' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Fremdrift mod fristerne');
  await hydrated(page);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  const udenGroup = page.locator('[data-gruppe="uden"]');
  await expect(udenGroup.locator('.group__sum')).toContainText(String(udenTotal));
  // a chart is a picture with a sentence for screen readers, and a table of its numbers
  await expect(page.getByRole('img', { name: /^Med dækninger \(01–08\): .* åbne opgaver/ })).toBeVisible();
  await expect(page.getByTestId('behov-med')).toContainText(/sagsbehandlere|[Ff]rist/);
  const numbers = udenGroup.getByText('Tallene bag grafen');
  await numbers.focus();
  await page.keyboard.press('Enter');
  const today = new Date().toLocaleDateString('da-DK', { timeZone: 'Europe/Copenhagen', day: '2-digit', month: '2-digit', year: 'numeric' }).replaceAll('/', '.').replaceAll('-', '.');
  await expect(udenGroup.getByRole('row', { name: new RegExp(today) })).toContainText(String(udenTotal));
  // time per task: nothing measured yet, so the stated assumption
  await expect(page.getByTestId('pakke-tabel')).toContainText('ingen målinger endnu');

  // a dækning moves a task from uden to med: the page follows without a reload
  const res = await request.post(`/api/v1/kommuner/${kommune.nr}/daekninger`, {
    headers: { Authorization: `Bearer ${kommune.token}` },
    data: { daekning_id: `E2E-F-${kommune.nr}`, fordring_id: fordring, art: 'daekning', beloeb: '100,00', dato: '2026-11-20' },
  });
  expect(res.status()).toBe(201);
  await expect(udenGroup.locator('.group__sum')).toContainText(String(udenTotal - 1), { timeout: 8_000 });
});

test('another kommune\'s caseworker is refused', async ({ page, kommune }) => {
  await login(page, kommune.users[0]);
  await page.goto('/fremdrift?kommune=751');
  await expect(page.getByRole('alert').filter({ hasText: 'Du har ikke adgang til opgaverne i Aarhus (751).' })).toBeVisible();
});
