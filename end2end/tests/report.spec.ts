// Report R2.1: the project lead opens the report, hands three persons to a caseworker (the
// report then shows who has them), and downloads the CSV and the XLSX, which both parse.
import { test, expect, login, hydrated, PASSWORD } from './fixtures';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

function addProjectLead(nr: number): string {
  const username = `e2e${nr}.pl`;
  execFileSync(
    process.env.ARBEJDSBORD_BIN!,
    ['user', 'add', '--username', username, '--role', 'projektleder', '--kommune', String(nr), '--name', 'Pia Leder'],
    { env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL! }, input: PASSWORD, encoding: 'utf8' },
  );
  return username;
}

/// The files of a zip archive (stored or deflated), read through its central directory.
function unzip(buf: Buffer): Map<string, string> {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const files = new Map<string, string>();
  for (let i = 0; i < entries; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const skip = buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files.set(name, (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8'));
    at += 46 + nameLen + skip;
  }
  return files;
}

test('the project lead hands three persons to a caseworker and downloads the report', async ({ page, kommune }) => {
  const lead = addProjectLead(kommune.nr);
  await login(page, lead);
  await page.getByRole('link', { name: 'Rapport R2.1' }).click();
  await expect(page.getByRole('heading', { name: 'KMD Aktiv fordringers opgavepakker R2.1' })).toBeVisible();
  await hydrated(page);

  const cprs = (await page.locator('tbody tr[data-cpr]').evaluateAll((rows) =>
    [...new Set(rows.map((r) => r.getAttribute('data-cpr')!))])).slice(0, 3);
  expect(cprs).toHaveLength(3);
  for (const cpr of cprs) {
    await page.locator(`tr[data-cpr="${cpr}"]`).first().getByRole('checkbox').check();
  }
  await expect(page.getByTestId('valgte')).toHaveText('Valgt: 3 personer.');
  await page.getByLabel('Sagsbehandler', { exact: true }).selectOption({ label: 'Anna Holm' });
  await page.getByRole('button', { name: 'Tildel valgte personer til …' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('Tildel 3 personer til Anna Holm?');
  await page.getByRole('button', { name: 'Ja, tildel' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'er tildelt Anna Holm.' })).toContainText('3 personer (');
  for (const cpr of cprs) {
    await expect(page.locator(`tr[data-cpr="${cpr}"] [data-testid="tildelt"]`).first()).toHaveText('Anna Holm');
  }
  await expect(page.getByTestId('valgte')).toHaveText('Valgt: 0 personer.');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(new RegExp(`^rapport-r21-${kommune.nr}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const bytes = fs.readFileSync(await csv.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
  expect(lines[0]).toBe('opgavepakke;opgave_id;type;cpr;navn;fordring_id;hovedstol;daekninger;sagsbehandler;tildelt;tilbagefoersel;oprettet');
  const anna = kommune.users[0];
  for (const cpr of cprs) {
    const mine = lines.filter((l) => l.split(';')[3] === cpr);
    expect(mine.length).toBeGreaterThan(0);
    for (const l of mine) expect(l.split(';')[9]).toBe(anna);
  }
  expect(lines[1].split(';')[6]).toMatch(/^\d{1,3}(\.\d{3})*,\d{2}$/);

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excel (XLSX)' }).click()]);
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  const files = unzip(fs.readFileSync(await xlsx.path()));
  const sheet = files.get('xl/worksheets/sheet1.xml')!;
  expect(sheet).toContain('<pane ySplit="1"');
  expect(sheet).toContain('<autoFilter ref="A1:L');
  expect(sheet).toContain(`>${cprs[0]}<`);
  expect(sheet).toContain(`>${anna}<`);
  expect(files.get('xl/workbook.xml')).toContain('name="Rapport R2.1"');
});
