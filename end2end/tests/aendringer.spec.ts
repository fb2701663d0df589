import { test, expect, hydrated, demoLogin } from './fixtures';

// These use the demo's change requests and users (demoLogin).
const FF_CRITERIA = ['Anvendelighed', 'Faglighed', 'Ibrugtagning', 'Effekt', 'Effektivisering', 'Udbredelse'];

test('a fagfællesskab member scores; KOMBIT sees the cell and the rank change live; the public backlog shows the new rank', async ({ browser }) => {
  const member = await demoLogin(browser, 'ff.kontanthjaelp');
  await member.goto('/scoring');
  await hydrated(member);
  await expect(member.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  // the member's lowest-ranked request that is already in the backlog
  const rows = member.locator('tbody tr').filter({ hasText: 'I backlog' });
  const last = rows.last();
  const key = (await last.locator('th a').textContent())!.trim();

  const kombit = await demoLogin(browser, 'kombit');
  await kombit.goto('/scoring');
  await hydrated(kombit);
  await expect(kombit.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  const rankBefore = Number(await kombit.getByTestId(`rank-${key}`).textContent());
  const cellBefore = (await kombit.getByTestId(`cell-${key}-anvendelighed`).locator('.cell__mean').textContent())!.trim();

  const publicPage = await (await browser.newContext()).newPage();
  await publicPage.goto('/backlog');
  const backlogBefore = Number(await publicPage.getByTestId(`backlog-rank-${key}`).textContent());

  for (const criterion of FF_CRITERIA) {
    await member.getByLabel(`Din score for ${criterion} på ${key}`).selectOption('5');
  }
  await expect(kombit.getByTestId(`cell-${key}-anvendelighed`).locator('.cell__mean')).not.toHaveText(cellBefore, { timeout: 3_000 });
  await expect.poll(async () => Number(await kombit.getByTestId(`rank-${key}`).textContent()), { timeout: 3_000 }).toBeLessThan(rankBefore);

  // the public backlog, no login, follows
  await expect.poll(async () => Number(await publicPage.getByTestId(`backlog-rank-${key}`).textContent()), { timeout: 3_000 })
    .toBeLessThan(backlogBefore);
  await publicPage.reload();
  expect(Number(await publicPage.getByTestId(`backlog-rank-${key}`).textContent())).toBeLessThan(backlogBefore);
});

test('filing a request: similar ones appear while typing, missing fields are named, a complete request is filed', async ({ browser }) => {
  const page = await demoLogin(browser, 'aarhus.support');
  await page.goto('/aendringsoensker/ny');
  await hydrated(page);
  await page.getByLabel('Titel').fill('Beregning af ledighedsydelse ved ferie');
  await expect(page.getByTestId('lignende').getByRole('listitem').first()).toBeVisible();

  await page.getByRole('button', { name: 'Send ændringsønsket' }).click();
  await expect(page.getByText('Beskriv den udfordring, I oplever i KY.')).toBeVisible();
  await expect(page.getByLabel('Hvilken udfordring oplever I i KY?')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Hvilken udfordring oplever I i KY?').fill('Ferie trækkes forkert fra ledighedsydelsen, når borgeren holder ferie i en delvis måned.');
  await page.getByLabel('Hvilke ydelsesarter vedrører det?').fill('Ledighedsydelse');
  await page.getByLabel('Hvor ofte opleves udfordringen / hvor stort er sagsomfanget?').fill('Ca. 15 sager om måneden');
  await page.getByLabel('Er der en workaround, som løser udfordringen midlertidigt?').fill('Manuel efterregulering');
  await page.getByLabel('Er der tale om').selectOption('lovmedholdelig');
  await page.getByLabel('Beskrivelse af det, som ønskes udviklet i KY').fill('KY skal beregne feriefradraget forholdsmæssigt for delvise måneder.');
  await page.getByRole('button', { name: 'Send ændringsønsket' }).click();
  await expect(page.getByRole('status')).toContainText('sendt til visitering');
  await expect(page.locator('.page-head .status')).toHaveText('Visitering');
});

test('the public backlog needs no login and explains each rank', async ({ page }) => {
  await page.goto('/backlog');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Prioriteret backlog for KY');
  const first = page.locator('tbody tr').first();
  await first.getByText('sådan er scoren regnet').click();
  await expect(first.getByRole('cell', { name: 'Anvendelighed' })).toBeVisible();
  const json = await (await page.request.get('/api/v1/backlog')).json();
  expect(json.items[0].rank).toBe(1);
  expect(Object.keys(json.items[0].criteria)).toHaveLength(9);
  const csv = await (await page.request.get('/api/v1/backlog?format=csv')).text();
  expect(csv.split('\n')[0]).toContain('anvendelighed_weight');
});

test('KOMBIT uploads a legacy pool file: errors are named by line and column, a good file is imported once', async ({ browser }) => {
  const kombit = await demoLogin(browser, 'kombit');
  await kombit.goto('/oprydning');
  await hydrated(kombit);
  const header = 'key;titel;udfordring;ydelsesarter;omfang;workaround;type;beskrivelse;minsupport_sagsid;kommune;indmeldt;tema;status;lukket;kommuner';
  const key = `AE-2019-E2E${Date.now() % 100000}`;
  const row = `${key};Brevskabelon mangler flettefelt;Udfordring;Kontanthjælp;Mange sager;Manuelt;brugervenlighed;Beskrivelse;;751;2019-05-02;Breve;visitering;;461`;
  const upload = async (name: string, text: string) => {
    await kombit.getByLabel('CSV-fil', { exact: true }).setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf-8') });
    await kombit.getByRole('button', { name: 'Indlæs puljen' }).click();
  };

  await upload('puljen-fejl.csv', `${header}\n${row.replace(';751;', ';999;')}\n`);
  const alert = kombit.getByRole('alert').filter({ hasText: 'blev ikke indlæst' });
  await expect(alert).toContainText('puljen-fejl.csv:2: kolonne kommune');

  await upload('puljen.csv', `${header}\n${row}\n`);
  await expect(kombit.getByRole('status').filter({ hasText: 'puljen.csv' })).toContainText('1 nye ønsker indlæst');
  await upload('puljen.csv', `${header}\n${row}\n`);
  await expect(kombit.getByRole('status').filter({ hasText: 'puljen.csv' })).toContainText('0 nye ønsker indlæst (1 fandtes i forvejen)');
});

test('a backlog request that cannot be ranked stays on the public backlog, marked with what it misses', async ({ browser }) => {
  const kombit = await demoLogin(browser, 'kombit');
  await kombit.goto('/oprydning');
  await hydrated(kombit);
  // a request in the backlog without any score (routed to Debitor, away from other tests' matrices)
  const header = 'key;titel;udfordring;ydelsesarter;omfang;workaround;type;beskrivelse;minsupport_sagsid;kommune;indmeldt;tema;status;lukket;kommuner';
  const key = `AE-2020-U${Date.now() % 100000}`;
  const row = `${key};Modregning i fordring uden score;Fordringen modregnes forkert;Kontanthjælp;Mange sager;Manuelt;brugervenlighed;Beskrivelse;;751;2020-03-02;Fordringer og debitor;i_backlog;;`;
  await kombit.getByLabel('CSV-fil', { exact: true }).setInputFiles({ name: 'uscoret.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${row}\n`, 'utf-8') });
  await kombit.getByRole('button', { name: 'Indlæs puljen' }).click();
  await expect(kombit.getByRole('status').filter({ hasText: 'uscoret.csv' })).toContainText('1 nye ønsker indlæst');

  const publicPage = await (await browser.newContext()).newPage();
  await publicPage.goto('/backlog');
  await expect(publicPage.getByTestId(`backlog-rank-${key}`)).toHaveText('–');
  await expect(publicPage.getByTestId(`mangler-${key}`)).toContainText('Mangler scoring: anvendelighed, faglighed');
  const json = await (await publicPage.request.get('/api/v1/backlog')).json();
  const item = json.items.find((i: { key: string }) => i.key === key);
  expect(item.rank).toBeNull();
  expect(item.missing_scores).toContain('effekt');
});

test('a rejection is appealed, KOMBIT decides it in the queue, and the appellant reads the reply in the inbox', async ({ browser }) => {
  const support = await demoLogin(browser, 'aarhus.support');
  await support.goto('/aendringsoensker/ny');
  await hydrated(support);
  const titel = `Klagesag om efterregulering ${Date.now() % 100000}`;
  await support.getByLabel('Titel').fill(titel);
  await support.getByLabel('Hvilken udfordring oplever I i KY?').fill('Efterregulering af ledighedsydelse skal laves manuelt for hver borger.');
  await support.getByLabel('Hvilke ydelsesarter vedrører det?').fill('Ledighedsydelse');
  await support.getByLabel('Hvor ofte opleves udfordringen / hvor stort er sagsomfanget?').fill('Ca. 30 sager om måneden');
  await support.getByLabel('Er der en workaround, som løser udfordringen midlertidigt?').fill('Manuel beregning');
  await support.getByLabel('Er der tale om').selectOption('brugervenlighed');
  await support.getByLabel('Beskrivelse af det, som ønskes udviklet i KY').fill('KY skal efterregulere automatisk, når indtægten ændres bagudrettet.');
  await support.getByRole('button', { name: 'Send ændringsønsket' }).click();
  await expect(support.locator('.page-head .status')).toHaveText('Visitering');
  const url = support.url();

  const kombit = await demoLogin(browser, 'kombit');
  await kombit.goto(url);
  await hydrated(kombit);
  await kombit.getByLabel('Begrundelse / bemærkning').fill('Løses allerede med den nuværende opsætning af KY.');
  await kombit.getByRole('button', { name: 'Afvis', exact: true }).click();
  await expect(kombit.locator('.page-head .status')).toHaveText('Afvist');

  await support.reload();
  await hydrated(support);
  await support.getByLabel('MinSupport SagsID').fill('SAG-424242');
  await support.getByLabel('Hvorfor er ønsket kritisk?').fill('Uden rettelsen må vi lave 30 manuelle sager om måneden.');
  await support.getByRole('button', { name: 'Send klagen' }).click();
  await expect(support.getByTestId('klager')).toContainText('Afventer KOMBITs afgørelse');

  await kombit.goto('/klager');
  await hydrated(kombit);
  const card = kombit.locator('section.panel').filter({ hasText: titel });
  await expect(card).toContainText('SAG-424242');
  await expect(card).toContainText('Løses allerede med den nuværende opsætning af KY.');
  await card.getByLabel('Svar til kommunen').fill('Afvisningen fastholdes: ønsket dækkes af release 2027.2.');
  await card.getByRole('button', { name: 'Fasthold afvisningen' }).click();
  await expect(card).toContainText('Afvisningen fastholdes af kombit');

  await support.goto('/indbakke');
  await expect(support.locator('.inbox li').filter({ hasText: 'klagen er afgjort' }).first()).toContainText('release 2027.2');
});
