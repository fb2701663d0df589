import { test, expect, demoLogin, hydrated } from './fixtures';

// On a phone (390 px) the project lead's pages fit the screen: wide tables scroll inside their
// own region, nothing widens the page (the sessions page did, by its table's hidden header).

const PAGES = ['/', '/sessioner', '/revisionslog', '/rapport', '/plan', '/fremdrift'];

test('the project lead\'s pages do not widen a phone\'s screen', async ({ browser }) => {
  const page = await demoLogin(browser, 'aarhus.projektleder');
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of PAGES) {
    await page.goto(path);
    await hydrated(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} is ${overflow} px wider than the screen`).toBeLessThanOrEqual(0);
  }
});
