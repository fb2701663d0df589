// Forms are checked in the browser with the server's own rules (the domain compiled to
// WebAssembly): a missing or mistyped field gets its Danish message next to it at once, and
// nothing is sent — never a technical "could not deserialize" from the server.
import { test, expect, hydrated, demoLogin, callsTo } from './fixtures';

const TECHNICAL = /serializ|deserializ|Forespørgslen kunne ikke læses|Der skete en fejl på serveren/i;

test('the leverandør’s estimate names an empty or mistyped hours field without asking the server', async ({ browser }) => {
  const page = await demoLogin(browser, 'netcompany');
  await page.goto('/aendringsoensker?status=estimering');
  await page.getByRole('table').getByRole('link').first().click();
  await expect(page.getByRole('heading', { name: 'Groft estimat' })).toBeVisible();
  await hydrated(page);
  const calls = callsTo(page, 'estimate_aendring');
  const hours = page.getByLabel('Timer', { exact: true });
  const save = page.getByRole('button', { name: 'Gem estimat' });

  await hours.fill('');
  await save.click();
  await expect(page.getByText('Angiv et groft estimat i timer (1–100.000).')).toBeVisible();
  await expect(hours).toHaveAttribute('aria-invalid', 'true');

  await hours.fill('1,5');
  await save.click();
  await expect(page.getByText('Skriv et helt antal timer med cifre, fx 40.')).toBeVisible();
  expect(calls).toEqual([]);
  await expect(page.getByText(TECHNICAL)).toHaveCount(0);

  // a whole number is sent once and shown with the request
  await hours.fill('40');
  await save.click();
  await expect(page.getByText(/^40 timer\./)).toBeVisible();
  expect(calls).toHaveLength(1);
});

test('rejecting a request without a reason is named at the field before anything is sent', async ({ browser }) => {
  const page = await demoLogin(browser, 'kombit');
  await page.goto('/aendringsoensker?status=visitering');
  await page.getByRole('table').getByRole('link').first().click();
  await expect(page.getByRole('heading', { name: 'Beslutning' })).toBeVisible();
  await hydrated(page);
  const calls = callsTo(page, 'act_on_aendring');
  await page.getByRole('button', { name: 'Afvis', exact: true }).click();
  await expect(page.getByText('Skriv en begrundelse (mindst 10 tegn) – den sendes til kommunen.')).toBeVisible();
  await expect(page.getByLabel('Begrundelse / bemærkning')).toHaveAttribute('aria-invalid', 'true');
  expect(calls).toEqual([]);
});

test('weights that weigh nothing are refused in the browser with the server’s message', async ({ browser }) => {
  const page = await demoLogin(browser, 'styregruppe');
  await page.goto('/vaegte');
  await hydrated(page);
  const sliders = page.getByRole('slider');
  await expect(sliders).toHaveCount(9);
  const calls = ['save_weights_draft', 'adopt_weights'].map((e) => callsTo(page, e));
  for (const slider of await sliders.all()) await slider.fill('0');
  await page.getByRole('button', { name: 'Gem kladde' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Mindst ét kriterium skal have en vægt større end 0.' })).toBeVisible();
  await page.getByRole('button', { name: 'Vedtag som ny version' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Mindst ét kriterium skal have en vægt større end 0.' })).toBeVisible();
  expect(calls.flat()).toEqual([]);
});

test('adopting weights needs a note, then a confirmation that says what it will do', async ({ browser }) => {
  const page = await demoLogin(browser, 'styregruppe');
  await page.goto('/vaegte');
  await hydrated(page);
  await expect(page.getByText('beregnet på')).toHaveCount(0);
  const calls = callsTo(page, 'adopt_weights');
  await page.getByRole('button', { name: 'Vedtag som ny version' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Skriv en bemærkning til vedtagelsen' })).toBeVisible();
  await page.getByLabel('Bemærkning til vedtagelsen').fill('Styregruppemødet 1. december');
  await page.getByRole('button', { name: 'Vedtag som ny version' }).click();
  const dialog = page.getByTestId('bekraeft-vaegte');
  await expect(dialog).toContainText(/Vedtag vægtsæt version \d+\?/);
  await expect(dialog).toContainText('ønsker skifter plads');
  await dialog.getByRole('button', { name: 'Fortryd' }).click();
  await expect(dialog).toHaveCount(0);
  expect(calls).toEqual([]);
});
