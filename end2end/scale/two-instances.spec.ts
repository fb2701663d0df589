// Two instances on one PostgreSQL behind nginx (scripts/e2e-two-instances.sh): A serves the
// board, changes go through B, then A dies and the board carries on through B.
import { test, expect, login, hydrated, tileCount, firstNonEmpty, fillResolveForm } from '../tests/fixtures';
import type { APIRequestContext, Page } from '@playwright/test';
import type { Kommune } from '../tests/fixtures';

const nginx = process.env.E2E_NGINX_URL!;
const instanceA = process.env.E2E_A_URL!;
const instanceB = process.env.E2E_B_URL!;
const hostOf = (url: string) => new URL(url).host;

const UDEN = ['12', '10', '11', '13', '14', '15', '16', '17'];

/// The fordringer listed in an uden package (10–17) that has some, read on `page`.
async function udenFordringer(page: Page, kommune: Kommune): Promise<[string, string[]]> {
  const counts = await kommune.counts();
  const uden = UDEN.find((c) => counts[c] >= 3);
  if (!uden) throw new Error(`no uden package with three tasks: ${JSON.stringify(counts)}`);
  await page.goto(`/opgavepakker/${uden}`);
  const rows = page.getByRole('row');
  const ids: string[] = [];
  for (let i = 1; i <= 3; i++) ids.push((await rows.nth(i).getByRole('cell').nth(2).textContent())!.trim());
  return [uden, ids];
}

function postDaekning(request: APIRequestContext, base: string, kommune: Kommune, id: string, fordring: string) {
  return request.post(`${base}/api/v1/kommuner/${kommune.nr}/daekninger`, {
    headers: { Authorization: `Bearer ${kommune.token}` },
    data: { daekning_id: id, fordring_id: fordring, art: 'daekning', beloeb: '100,00', dato: '2026-11-20' },
  });
}

test('a board served by A follows changes made through B, and reconnects to B when A is killed', async ({ browser, request, kommune }) => {
  // The board, through nginx: served by A.
  const boardContext = await browser.newContext({ baseURL: nginx });
  const board = await boardContext.newPage();
  await login(board, kommune.users[1]);
  const served = await board.goto('/opgavepakker');
  expect(served!.headers()['x-upstream']).toBe(hostOf(instanceA));
  await hydrated(board);
  await expect(board.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  const liveRequests: string[] = [];
  board.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/live/')) liveRequests.push(r.url());
  });

  // A caseworker working directly on B resolves a task.
  const pakke = await firstNonEmpty(kommune, ['08', '01', '03', '12', '10']);
  const before = await kommune.counts();
  await expect(tileCount(board, pakke)).toHaveText(String(before[pakke]));
  const workerContext = await browser.newContext({ baseURL: instanceB });
  const worker = await workerContext.newPage();
  await login(worker, kommune.users[0]);
  await worker.goto(`/opgavepakker/${pakke}`);
  await hydrated(worker);
  await worker.getByRole('button', { name: 'Næste opgave' }).click();
  await expect(worker.getByRole('heading', { level: 1 })).toContainText('Opret fordringssag');
  await hydrated(worker);
  await fillResolveForm(worker);
  await worker.getByRole('button', { name: 'Gem og luk opgaven' }).click();
  await expect(worker.getByRole('status').filter({ hasText: 'er løst' })).toBeVisible();
  await expect(tileCount(board, pakke)).toHaveText(String(before[pakke] - 1), { timeout: 2_000 });

  // The finance system posts a dækning to B; the same one posted to A and B at once counts once.
  const [uden, [first, second, third]] = await udenFordringer(worker, kommune);
  const med = String(Number(uden) - 9).padStart(2, '0');
  const counts = await kommune.counts();
  expect((await postDaekning(request, instanceB, kommune, `TWO-${kommune.nr}-1`, first)).status()).toBe(201);
  await expect(tileCount(board, uden)).toHaveText(String(counts[uden] - 1), { timeout: 2_000 });
  await expect(tileCount(board, med)).toHaveText(String(counts[med] + 1));
  const twice = await Promise.all([
    postDaekning(request, instanceA, kommune, `TWO-${kommune.nr}-2`, second),
    postDaekning(request, instanceB, kommune, `TWO-${kommune.nr}-2`, second),
  ]);
  expect(twice.map((r) => r.status()).sort()).toEqual([200, 201]);
  await expect(tileCount(board, uden)).toHaveText(String(counts[uden] - 2), { timeout: 2_000 });
  await expect(tileCount(board, med)).toHaveText(String(counts[med] + 2));

  // A dies. A change made through B right away reaches the board: its live stream reconnects
  // through nginx to B, which sends the current counts and then every change.
  process.kill(Number(process.env.E2E_A_PID), 'SIGKILL');
  const killedAt = liveRequests.length;
  expect((await postDaekning(request, instanceB, kommune, `TWO-${kommune.nr}-3`, third)).status()).toBe(201);
  await expect(tileCount(board, uden)).toHaveText(String(counts[uden] - 3), { timeout: 10_000 });
  await expect(tileCount(board, med)).toHaveText(String(counts[med] + 3));
  await expect(board.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  expect(liveRequests.length).toBeGreaterThan(killedAt);

  // The session works on B too: the board reloads through nginx, now served by B.
  const again = await board.reload();
  expect(again!.headers()['x-upstream']).toBe(hostOf(instanceB));
  await expect(board.getByRole('button', { name: 'Log ud' })).toBeVisible();
  await expect(tileCount(board, uden)).toHaveText(String(counts[uden] - 3));

  await workerContext.close();
  await boardContext.close();
});
