import { chromium } from '@playwright/test';
const base = 'http://127.0.0.1:3301';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const css = process.env.CSS;
async function shoot(user, path, name) {
  for (const [w, h, tag] of [[1280, 900, 'desk'], [390, 844, 'phone']]) {
    const ctx = await browser.newContext({ javaScriptEnabled: !process.env.NOJS, bypassCSP: true, baseURL: base, viewport: { width: w, height: h } });
    if (css) await ctx.route('**/*.css', async (route) => { const r = await route.fetch(); route.fulfill({ response: r, body: (await r.text()) + '\n' + css }); });
    const page = await ctx.newPage();
    await page.goto('/login');
    const pw = (await page.getByTestId('demo-adgangskode').textContent()).trim();
    await page.getByLabel('Brugernavn').fill(user);
    await page.getByLabel('Adgangskode').fill(pw);
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByRole('button', { name: 'Log ud' }).waitFor();
    await page.goto(path);
    await page.waitForTimeout(1500);
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    console.log(name, tag, 'scrollWidth', sw);
    const total = await page.evaluate(() => document.documentElement.scrollHeight);
    const step = tag === 'desk' ? 1100 : 1500;
    for (let y = 0, i = 0; y < total && i < 6; y += step, i++) {
      await page.screenshot({ path: `/tmp/shots/${name}-${tag}-${i}.png`, fullPage: true, clip: { x: 0, y, width: w, height: Math.min(step, total - y) } });
    }
    await ctx.close();
  }
}
const [user, path, name] = process.argv.slice(2);
await shoot(user, path, name);
await browser.close();
