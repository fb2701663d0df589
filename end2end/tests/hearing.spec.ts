import { test, expect, hydrated, demoLogin } from './fixtures';

// Uses the demo's hearing and users: Aarhus' høringsansvarlig (aarhus.hoering) and KOMBIT.
const TITLE = 'Høring over udbudsmaterialet for KY';

test('a høringsansvarlig submits an answer, KOMBIT triages it, the kommune reads the reply, and the public page shows it without the kommune', async ({ browser }) => {
  const aarhus = await demoLogin(browser, 'aarhus.hoering');
  await aarhus.goto('/hoeringer');
  await aarhus.getByRole('link', { name: TITLE }).click();
  await hydrated(aarhus);
  const hoeringUrl = new URL(aarhus.url()).pathname;

  const text = `Det bør fremgå, hvornår en udbetaling senest er hos borgeren (e2e ${Date.now() % 100000}).`;
  const form = aarhus.locator('section').filter({ has: aarhus.getByRole('heading', { name: 'Nyt høringssvar' }) });
  await form.getByLabel('Afsnit').selectOption({ label: '3.3 Udbetaling' });
  await form.getByLabel('Svar').fill(text);
  await form.getByRole('button', { name: 'Gem som kladde' }).click();

  const draft = aarhus.locator('article').filter({ has: aarhus.getByRole('heading', { name: 'Kladde · 3.3 Udbetaling' }) }).last();
  await expect(draft.getByLabel('Svar')).toHaveValue(text);
  await draft.getByRole('button', { name: 'Indsend svaret' }).click();

  const submitted = aarhus.locator('article').filter({ hasText: text });
  await expect(submitted.getByTestId('kvittering')).toContainText('Kvittering: HØ-');
  await expect(submitted).toContainText('KOMBIT har endnu ikke behandlet svaret.');
  await expect(submitted.getByLabel('Svar')).toHaveCount(0);
  const heading = (await submitted.getByRole('heading').first().textContent())!;
  const nr = heading.match(/Svar nr\. (\d+)/)![1];

  const kombit = await demoLogin(browser, 'kombit');
  await kombit.goto(`${hoeringUrl}?kategori=ubehandlet`);
  await hydrated(kombit);
  const card = kombit.getByTestId(`behandl-${nr}`);
  await expect(card).toContainText(text);
  await expect(card).toContainText('Aarhus');
  await card.getByLabel('Kategori').selectOption('indarbejdet_straks');
  await card.getByLabel('Indarbejdet i udbudsmaterialet:').fill('Udbetalingstidspunktet er indarbejdet i bilag 3.');
  await card.getByRole('button', { name: 'Gem behandlingen' }).click();
  // Triaged, it leaves the queue of untriaged answers.
  await expect(card).toHaveCount(0);

  // The kommune's page follows the triage live.
  await expect(submitted.getByTestId('hoering-reply')).toContainText('Indarbejdet i udbudsmaterialet:');
  await expect(submitted.getByTestId('hoering-reply')).toContainText('Udbetalingstidspunktet er indarbejdet i bilag 3.');
  await aarhus.goto('/indbakke');
  await expect(aarhus.getByText(`Svar på jeres høringssvar nr. ${nr}`).first()).toBeVisible();

  const publicPage = await (await browser.newContext()).newPage();
  await publicPage.goto(`/hoering/${hoeringUrl.split('/').pop()}/svar`);
  const published = publicPage.getByTestId(`offentligt-svar-${nr}`);
  await expect(published).toContainText(text);
  await expect(published).toContainText('Udbetalingstidspunktet er indarbejdet i bilag 3.');
  await expect(published).not.toContainText('Aarhus');
  await expect(publicPage.locator('main')).not.toContainText('aarhus.hoering');
  await expect(publicPage.getByRole('img', { name: /kommuner gav \d+ høringssvar/ })).toBeVisible();
});

test('the public answers are JSON and CSV without kommune or person', async ({ request }) => {
  const page = await request.get('/api/v1/hoeringer/1/svar');
  expect(page.status()).toBe(200);
  const json = await page.json();
  expect(json.titel).toBe(TITLE);
  expect(JSON.stringify(json)).not.toContain('Aarhus');
  expect(json.svar[0]).not.toHaveProperty('kommune');
  const csv = await request.get('/api/v1/hoeringer/1/svar?format=csv');
  expect(csv.headers()['content-type']).toContain('text/csv');
  const body = await csv.text();
  expect(body.split('\n')[0]).toContain('nr;afsnit;afsnit_titel;svar;kategori');
});

test('the hearing pages load directly and by link, and fit a 390 px phone', async ({ browser }) => {
  const kombit = await demoLogin(browser, 'kombit');
  const errors: string[] = [];
  kombit.on('pageerror', (e) => errors.push(e.message));
  await kombit.goto('/hoeringer');
  await hydrated(kombit);
  await expect(kombit.getByRole('heading', { level: 1 })).toHaveText('Høringer');
  // By link: the list → the hearing (a client-side navigation that loads its chunk).
  await kombit.getByRole('link', { name: TITLE }).click();
  await expect(kombit).toHaveURL(/\/hoeringer\/\d+/);
  await expect(kombit.getByRole('heading', { level: 1 })).toHaveText(TITLE);
  await expect(kombit.getByRole('img', { name: /34 kommuner gav/ })).toBeVisible();
  await expect(kombit.getByTestId('hoering-indarbejdet')).not.toBeEmpty();
  const hoeringUrl = new URL(kombit.url()).pathname;
  await kombit.goto(hoeringUrl);
  await hydrated(kombit);
  await expect(kombit.getByRole('heading', { name: 'Behandling af høringssvar' })).toBeVisible();
  expect(errors).toEqual([]);

  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await phone.goto(`/hoering/${hoeringUrl.split('/').pop()}/svar`);
  await hydrated(phone);
  await expect(phone.getByRole('heading', { level: 1 })).toContainText(TITLE);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
