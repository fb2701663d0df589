import { chromium } from '@playwright/test';
const [base, user, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const page = await browser.newPage();
page.on('console', (m) => console.log(`[${m.type()}]`, m.text().slice(0, 600)));
page.on('pageerror', (e) => console.log('PAGEERROR', e.message, e.stack?.slice(0, 800)));
if (user !== '-') {
  await page.goto(`${base}/login`);
  await page.getByLabel('Brugernavn').fill(user);
  await page.getByLabel('Adgangskode').fill('demo1234');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.waitForLoadState('networkidle');
  console.log('after login at', page.url());
}
for (const p of paths) { console.log('--', p); await page.goto(base + p); await page.waitForLoadState('networkidle'); await page.waitForTimeout(500); }
await browser.close();
