import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:3301';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const [user, path] = process.argv.slice(2);
const ctx = await browser.newContext({ bypassCSP: true, baseURL: base, viewport: { width: 390, height: 844 } });
const page = await ctx.newPage();
await page.goto('/login');
const pw = (await page.getByTestId('demo-adgangskode').textContent()).trim();
await page.getByLabel('Brugernavn').fill(user);
await page.getByLabel('Adgangskode').fill(pw);
await page.getByRole('button', { name: 'Log ind' }).click();
await page.getByRole('button', { name: 'Log ud' }).waitFor();
await page.goto(path);
await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
await page.waitForTimeout(500);
if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
const r = await page.evaluate(() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const b = el.getBoundingClientRect();
    if (b.right > 392 && !el.closest('.table-scroll, [data-scroll]')) out.push(`${el.tagName}.${el.className} ${Math.round(b.left)}-${Math.round(b.right)} w=${el.scrollWidth}`);
  }
  return [document.documentElement.scrollWidth, out.slice(0, 25)];
});
console.log(JSON.stringify(r, null, 1));
await browser.close();
