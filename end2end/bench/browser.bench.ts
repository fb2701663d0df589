// Figures for BENCHMARKS.md measured in Chromium; each result is appended as one JSON line to
// $BENCH_RESULTS (read by `bench --only report`).
import { test, expect, type Page } from '@playwright/test';
import { demoLogin as login } from '../tests/fixtures';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

function record(result: object) {
  const file = process.env.BENCH_RESULTS;
  if (file) fs.appendFileSync(file, JSON.stringify(result) + '\n');
  console.log(JSON.stringify(result));
}

test('re-rank 2,700 ændringsønsker × 9 criteria in the browser (WebAssembly)', async ({ page }) => {
  await page.goto('/vaegte/maaling');
  await expect(page.getByTestId('rerank-result')).toContainText('n=2700', { timeout: 60_000 });
  const text = (await page.getByTestId('rerank-result').textContent())!;
  const value = (k: string) => Number(text.match(new RegExp(`${k}=([0-9.]+)`))![1]);
  record({
    bench: 'rerank_browser',
    summary: `p50 ${value('p50').toFixed(2)} ms, p95 ${value('p95').toFixed(2)} ms, max ${value('max').toFixed(2)} ms (rank + what-if, 60 runs, Chromium)`,
    met: value('p95') <= 16,
  });
});

test('score change → matrix cell updated in another browser', async ({ browser }) => {
  const member = await login(browser, 'ff.kontanthjaelp');
  await member.goto('/scoring');
  await expect(member.locator('body[data-hydrated]')).toHaveCount(1);
  const key = (await member.locator('tbody tr').first().locator('th a').textContent())!.trim();
  const kombit = await login(browser, 'kombit');
  await kombit.goto('/scoring');
  await expect(kombit.locator('body[data-hydrated]')).toHaveCount(1);
  await expect(kombit.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  // The observer notes when the cell changes (both pages share the browser's clock).
  await kombit.evaluate((k) => {
    const cell = document.querySelector(`[data-testid="cell-${k}-faglighed"] .cell__mean`)!;
    (window as any).__changes = [];
    new MutationObserver(() => (window as any).__changes.push(Date.now())).observe(cell, { subtree: true, characterData: true, childList: true });
  }, key);
  const latencies: number[] = [];
  const select = member.getByLabel(`Din score for Faglighed på ${key}`);
  for (let i = 0; i < 30; i++) {
    const before = await kombit.evaluate(() => (window as any).__changes.length);
    const value = String(1 + (i % 5));
    const current = await select.inputValue();
    const next = value === current ? String(1 + ((i + 1) % 5)) : value;
    const t0 = await member.evaluate(([k, v]) => {
      const el = document.querySelector(`select[aria-label="Din score for Faglighed på ${k}"]`) as HTMLSelectElement;
      el.value = v;
      const t = Date.now();
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return t;
    }, [key, next]);
    await kombit.waitForFunction((n) => (window as any).__changes.length > n, before, { timeout: 5_000 });
    const t1 = await kombit.evaluate(() => (window as any).__changes.at(-1));
    latencies.push(t1 - t0);
    await member.waitForTimeout(100);
  }
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.round((latencies.length - 1) * p)];
  record({
    bench: 'matrix_live',
    summary: `p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms over ${latencies.length} score changes (two Chromium contexts)`,
    met: q(0.95) <= 200,
  });
});

// What a browser with an empty cache downloads of WebAssembly to show each page (the app, and
// with `cargo leptos --split` the chunks of that page), brotli-compressed as the server sends
// them (quality 11, as `--precompress` writes them).
test('WebAssembly downloaded per page (first load)', async ({ browser }) => {
  const site = process.env.LEPTOS_SITE_ROOT!;
  const brotliKb = (file: string) =>
    zlib.brotliCompressSync(fs.readFileSync(path.join(site, 'pkg', file)), {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length / 1024;
  const pages: [string, string][] = [
    ['/login', ''],
    ['/opgavepakker?kommune=461', 'odense.mette'],
    ['/opgavepakker/12?kommune=461', 'odense.mette'],
    ['/backlog', ''],
    ['/aendringsoensker', 'kombit'],
    ['/aendringsoensker/ny', 'aarhus.support'],
    ['/scoring', 'kombit'],
    ['/vaegte', 'kombit'],
    ['/oprydning', 'kombit'],
    ['/indbakke', 'kombit'],
    ['/arbejdsliste', 'kombit'],
    ['/hoeringer', 'kombit'],
    ['/hoering/1/svar', ''],
    ['/succeskriterier', 'styregruppe'],
  ];
  // The WebAssembly files a page fetches from an empty cache while `url` loads and hydrates.
  const measure = async (page: Page, url: string) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    const wasm = new Set<string>();
    page.on('request', (r) => {
      const p = new URL(r.url()).pathname;
      if (p.endsWith('.wasm')) wasm.add(path.basename(p));
    });
    await page.goto(url);
    await expect(page.locator('body[data-hydrated]')).toHaveCount(1);
    await page.waitForLoadState('networkidle');
    return [...wasm].reduce((sum, f) => sum + brotliKb(f), 0);
  };
  const perPage: Record<string, number> = {};
  for (const [url, user] of pages) {
    // Logged in first (the login page loaded the app already): the measured load has a fresh cache.
    const page = user ? await login(browser, user) : await (await browser.newContext()).newPage();
    perPage[url] = await measure(page, url);
    await page.context().close();
  }
  // A task page: reached from its opgavepakke's list.
  const page = await login(browser, 'odense.mette');
  await page.goto('/opgavepakker/12?kommune=461');
  const href = (await page.locator('tbody tr td a').first().getAttribute('href'))!;
  perPage['/opgaver/…'] = await measure(page, href);
  const [heaviest, kb] = Object.entries(perPage).sort((a, b) => b[1] - a[1])[0];
  record({
    bench: 'wasm_route',
    heaviest,
    max_kb: kb,
    shell_kb: brotliKb('arbejdsbord.wasm'),
    pages: Object.fromEntries(Object.entries(perPage).map(([k, v]) => [k, Math.round(v)])),
    met: kb <= 250,
  });
});
