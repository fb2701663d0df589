import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:3301';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const css = process.env.CSS;
async function shoot(user, path, name) {
  for (const [w, h, tag] of [[1280, 900, 'desk'], [390, 844, 'phone']]) {
    const ctx = await browser.newContext({ javaScriptEnabled: !process.env.NOJS, bypassCSP: true, baseURL: base, viewport: { width: w, height: h } });
    const page = await ctx.newPage();
    await page.goto('/login');
    const pw = (await page.getByTestId('demo-adgangskode').textContent()).trim();
    await page.getByLabel('Brugernavn').fill(user);
    await page.getByLabel('Adgangskode').fill(pw);
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByRole('button', { name: 'Log ud' }).waitFor();
    await page.goto(path);
    await page.waitForTimeout(1500);
    if (css) await page.addStyleTag({ content: css });
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    console.log(name, tag, 'scrollWidth', sw);
    await page.screenshot({ path: `/tmp/shots/${name}-${tag}.png`, fullPage: true });
    await ctx.close();
  }
}
const [user, path, name] = process.argv.slice(2);
await shoot(user, path, name);
await browser.close();
