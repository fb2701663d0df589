import { test, expect, login, hydrated, firstNonEmpty, demoLogin } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

test('login, board, package and task pages have no serious or critical axe violations', async ({ page, kommune }) => {
  await page.goto('/login');
  await expectNoSeriousViolations(page);
  await login(page, kommune.users[0]);
  await page.goto('/opgavepakker');
  await hydrated(page);
  await expectNoSeriousViolations(page);
  const pakke = await firstNonEmpty(kommune, ['08', '07', '03']);
  await page.goto(`/opgavepakker/${pakke}`);
  await hydrated(page);
  await expectNoSeriousViolations(page);
  await page.getByRole('button', { name: 'Næste opgave' }).click();
  await hydrated(page);
  await expectNoSeriousViolations(page);
  // after a failed save, with field errors showing
  await page.getByRole('button', { name: 'Gem og luk opgaven' }).click();
  await expectNoSeriousViolations(page);
});

test('the board can be worked by keyboard alone', async ({ page, kommune }) => {
  await login(page, kommune.users[0]);
  await page.goto('/opgavepakker');
  await hydrated(page);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Spring til indhold' })).toBeFocused();
  // tab through the menu to the first package tile and open it
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.classList.contains('tile'))) break;
  }
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/opgavepakker\/01/);
});

test('the backlog, the matrix, a request page and the filing form have no serious or critical axe violations', async ({ browser }) => {
  const anon = await (await browser.newContext()).newPage();
  await anon.goto('/backlog');
  await hydrated(anon);
  await expectNoSeriousViolations(anon);
  const page = await demoLogin(browser, 'ff.kontanthjaelp');
  await page.goto('/scoring');
  await hydrated(page);
  await expectNoSeriousViolations(page);
  await page.locator('tbody tr th a').first().click();
  await hydrated(page);
  await expectNoSeriousViolations(page);
  const support = await demoLogin(browser, 'aarhus.support');
  await support.goto('/aendringsoensker/ny');
  await hydrated(support);
  await expectNoSeriousViolations(support);
});

test('the project lead\'s MI 38 pages have no serious or critical axe violations', async ({ browser }) => {
  const page = await demoLogin(browser, 'aarhus.projektleder');
  for (const path of ['/plan', '/rapport', '/fremdrift', '/stikproeve']) {
    await page.goto(path);
    await hydrated(page);
    await expectNoSeriousViolations(page);
  }
  const support = await demoLogin(browser, 'aarhus.support');
  await support.goto('/automatisering');
  await hydrated(support);
  await expectNoSeriousViolations(support);
});

test('the UI 04, KLIK, estimate and catalogue pages have no serious or critical axe violations', async ({ browser }) => {
  const page = await demoLogin(browser, 'aarhus.projektleder');
  for (const path of ['/bevillingstyper', '/bevillingstyper/KTH', '/klik', '/estimat']) {
    await page.goto(path);
    await hydrated(page);
    await expectNoSeriousViolations(page);
  }
  const kombit = await demoLogin(browser, 'kombit');
  await kombit.goto('/katalog');
  await hydrated(kombit);
  await expectNoSeriousViolations(kombit);
});
