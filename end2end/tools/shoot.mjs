// Screenshots for looking at the app as a user would:
//   node tools/shoot.mjs <base-url> <out-dir> <username|-> <path> [<path> ...]
// Logs in (password demo1234) unless the username is "-", then saves one PNG per path.
// WIDTH=390 for a phone.
import { chromium } from '@playwright/test';

const [base, out, user, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: Number(process.env.WIDTH ?? 1366), height: 900 }, locale: 'da-DK' });
page.on('console', (m) => { if (m.type() === 'error') console.log('console error:', m.text()); });
page.on('pageerror', (e) => console.log('page error:', e.message));
if (user && user !== '-') {
  await page.goto(`${base}/login`);
  await page.getByLabel('Brugernavn').fill(user);
  await page.getByLabel('Adgangskode').fill('demo1234');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.waitForLoadState('networkidle');
}
for (const [i, p] of paths.entries()) {
  await page.goto(`${base}${p}`);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  const file = `${out}/${String(i).padStart(2, '0')}-${p.replace(/[^a-z0-9]+/gi, '_')}.png`;
  await page.screenshot({ path: file, fullPage: true });
  console.log('saved', file, await page.title());
}
await browser.close();
