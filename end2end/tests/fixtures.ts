// Test data through the real CLI: a fresh kommune (its own extract, users and API token) per
// test, so tests never see each other's counts.
import { test as base, expect, type Browser, type Page, type BrowserContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const bin = () => process.env.ARBEJDSBORD_BIN!;
const env = () => ({ ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL! });
export const PASSWORD = 'e2e-adgangskode';

// Kommuner not used by the demo (751, 461, 860), handed out one per test.
const FREE = [101, 147, 151, 153, 155, 157, 159, 161, 163, 165, 167, 169, 173, 175, 183, 185, 187, 190, 201, 210,
  217, 219, 223, 230, 240, 250, 253, 259, 260, 265, 269, 270, 306, 316, 320, 326, 329, 330, 336, 340, 350, 360, 370,
  376, 390, 400, 410, 420, 430, 440, 450, 479, 480, 482, 492, 510, 530, 540, 550, 561, 563, 573, 575, 580, 607, 615];

export type Kommune = {
  nr: number;
  users: [string, string];
  token: string;
  counts: () => Promise<Record<string, number>>;
};

/// The first kommune no other test (in any worker process, this run) has taken: creating a
/// directory is atomic, so two workers never get the same one.
function claimKommune(): number {
  const claims = path.join(process.env.E2E_WORK_DIR!, 'claims');
  fs.mkdirSync(claims, { recursive: true });
  for (const nr of FREE) {
    try {
      fs.mkdirSync(path.join(claims, String(nr)));
      return nr;
    } catch {
      // taken
    }
  }
  throw new Error('no free kommune left for this run');
}

export function cli(args: string[], input?: string): string {
  return execFileSync(bin(), args, { env: env(), input, encoding: 'utf8' });
}

/// Browser contexts a test opened through `demoLogin`; closed when the test ends, so their pages
/// (each with live connections to the server) do not pile up in the worker's browser and load
/// the machine for the tests after it.
const opened: BrowserContext[] = [];

export const test = base.extend<{ kommune: Kommune; closeContexts: void }>({
  closeContexts: [
    async ({}, use) => {
      await use();
      for (const context of opened.splice(0)) await context.close().catch(() => {});
    },
    { auto: true },
  ],
  kommune: async ({ request }, use, testInfo) => {
    const nr = claimKommune();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-${nr}-`));
    cli(['demo-data', '--out', dir, '--kommune', String(nr), '--fordringer', '150', '--seed', String(nr)]);
    cli(['import', '--kommune', String(nr), dir]);
    const users: [string, string] = [`e2e${nr}.anna`, `e2e${nr}.bo`];
    for (const [i, u] of users.entries()) {
      cli(['user', 'add', '--username', u, '--role', 'sagsbehandler', '--kommune', String(nr), '--name', i ? 'Bo Berg' : 'Anna Holm'], PASSWORD);
    }
    const token = cli(['token', 'add', '--kommune', String(nr), '--name', `e2e-${testInfo.testId}`]).trim();
    const counts = async () => {
      const res = await request.get(`/api/v1/kommuner/${nr}/opgavepakker`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status()).toBe(200);
      return (await res.json()).pakker as Record<string, number>;
    };
    await use({ nr, users, token, counts });
  },
});

export { expect };

export async function login(page: Page, username: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Brugernavn').fill(username);
  await page.getByLabel('Adgangskode').fill(password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await expect(page.getByRole('button', { name: 'Log ud' })).toBeVisible();
}

/// The demo users' password, as the login page shows it (the server sends the one the demo
/// users were created with; no copy of it here), so every demo login also checks that hint.
export async function demoPassword(page: Page): Promise<string> {
  await page.goto('/login');
  const shown = page.getByTestId('demo-adgangskode');
  await expect(shown).not.toBeEmpty();
  return (await shown.textContent())!.trim();
}

/// A demo user logged in, in a context of their own.
export async function demoLogin(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext();
  opened.push(context);
  const page = await context.newPage();
  await login(page, username, await demoPassword(page));
  return page;
}

/// The calls a page makes from now on to the server function `endpoint` (`/sf/<endpoint>`):
/// to show that a form was checked in the browser, without a round trip.
export function callsTo(page: Page, endpoint: string): string[] {
  const calls: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === `/sf/${endpoint}`) calls.push(r.url());
  });
  return calls;
}

export async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
}

/// The count on a package's tile on the board.
export function tileCount(page: Page, pakke: string) {
  return page.locator(`[data-opgavepakke="${pakke}"]`);
}

export async function newUserPage(context: BrowserContext, username: string) {
  const page = await context.newPage();
  await login(page, username);
  return page;
}

/// The first package among `codes` that has open tasks.
export async function firstNonEmpty(kommune: Kommune, codes: string[]): Promise<string> {
  const counts = await kommune.counts();
  const code = codes.find((c) => counts[c] > 0);
  if (!code) throw new Error(`all of ${codes} are empty: ${JSON.stringify(counts)}`);
  return code;
}

/// Supplies a valid value for every field the task's defects ask for.
export async function fillResolveForm(page: Page) {
  const radios = page.getByRole('radio');
  if (await radios.count()) await radios.first().check();
  for (const [label, value] of [
    ['Ydelsesreference', 'YR-2024-000001'],
    ['Kravtype', 'Tilbagebetaling af kontanthjælp'],
    ['Udbetalingsparagraf', 'LAS § 25'],
    ['Tilbagebetalingsparagraf', 'LAS § 91, stk. 1'],
  ]) {
    const field = page.getByLabel(label, { exact: true });
    if (await field.count()) await field.fill(value);
  }
  const confirm = page.getByLabel('Kravtypen er kontrolleret og korrekt');
  if (await confirm.count()) await confirm.check();
}
