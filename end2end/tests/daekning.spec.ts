import { test, expect, login, hydrated, tileCount } from './fixtures';

test('a dækning posted through the API moves a task from 10–17 to 01–08 on an open board', async ({ page, request, kommune }) => {
  const counts = await kommune.counts();
  const uden = ['12', '10', '11', '13', '14', '15', '16', '17'].find((c) => counts[c] > 0)!;
  const med = String(Number(uden) - 9).padStart(2, '0');

  await login(page, kommune.users[0]);
  // find a fordring in the uden package
  await page.goto(`/opgavepakker/${uden}`);
  const fordring = (await page.getByRole('row').nth(1).getByRole('cell').nth(2).textContent())!.trim();
  await page.goto('/opgavepakker');
  await hydrated(page);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(tileCount(page, uden)).toHaveText(String(counts[uden]));

  const body = { daekning_id: `E2E-${kommune.nr}-1`, fordring_id: fordring, art: 'daekning', beloeb: '1250,00', dato: '2026-11-20' };
  const res = await request.post(`/api/v1/kommuner/${kommune.nr}/daekninger`, {
    headers: { Authorization: `Bearer ${kommune.token}` },
    data: body,
  });
  expect(res.status()).toBe(201);
  expect(await res.json()).toEqual({ opgavepakke_foer: uden, opgavepakke_efter: med });

  await expect(tileCount(page, uden)).toHaveText(String(counts[uden] - 1), { timeout: 2_000 });
  await expect(tileCount(page, med)).toHaveText(String(counts[med] + 1));
  await expect(tileCount(page, '09')).toHaveText(String(counts['09'] + 1));

  // the same dækning again changes nothing
  const again = await request.post(`/api/v1/kommuner/${kommune.nr}/daekninger`, {
    headers: { Authorization: `Bearer ${kommune.token}` },
    data: body,
  });
  expect(again.status()).toBe(200);
  expect((await kommune.counts())[med]).toBe(counts[med] + 1);

  // the task's history says why it moved
  await page.goto(`/opgavepakker/${med}?cpr=`);
  await page.getByRole('cell', { name: fordring }).locator('xpath=..').getByRole('link').click();
  await expect(page.getByTestId('historik')).toContainText(`Flyttet fra ${uden} til ${med}, fordi dækning E2E-${kommune.nr}-1 på 1.250,00 kr.`);
});

test('the API refuses a missing token and another kommune', async ({ request, kommune }) => {
  expect((await request.get(`/api/v1/kommuner/${kommune.nr}/opgavepakker`)).status()).toBe(401);
  const other = await request.get('/api/v1/kommuner/751/opgavepakker', { headers: { Authorization: `Bearer ${kommune.token}` } });
  expect(other.status()).toBe(403);
  expect(await other.json()).toHaveProperty('error');
});
