import { test, expect, hydrated, demoLogin } from './fixtures';
import type { Page } from '@playwright/test';

// Issue 10: elaboration of the whole template with its versions, "vi har også behovet", the
// roles' worklists. These use the demo's users and change requests (demoLogin).

async function fileRequest(support: Page, titel: string) {
  await support.goto('/aendringsoensker/ny');
  await hydrated(support);
  await support.getByLabel('Titel').fill(titel);
  await support.getByLabel('Hvilken udfordring oplever I i KY?').fill('Udbetalingsbrevet viser ikke hvilken periode udbetalingen dækker.');
  await support.getByLabel('Hvilke ydelsesarter vedrører det?').fill('Kontanthjælp');
  await support.getByLabel('Hvor ofte opleves udfordringen / hvor stort er sagsomfanget?').fill('Ca. 20 sager om måneden');
  await support.getByLabel('Er der en workaround, som løser udfordringen midlertidigt?').fill('Nej');
  await support.getByLabel('Er der tale om').selectOption('brugervenlighed');
  await support.getByLabel('Beskrivelse af det, som ønskes udviklet i KY').fill('Brevet skal vise udbetalingsperioden.');
  await support.getByRole('button', { name: 'Send ændringsønsket' }).click();
  await expect(support.locator('.page-head .status')).toHaveText('Visitering');
  return support.url();
}

test('a request returned for elaboration can have any field changed, and KOMBIT sees what changed', async ({ browser }) => {
  const support = await demoLogin(browser, 'aarhus.support');
  const url = await fileRequest(support, `Periode i udbetalingsbrev ${Date.now() % 100000}`);

  const kombit = await demoLogin(browser, 'kombit');
  await kombit.goto(url);
  await hydrated(kombit);
  await kombit.getByLabel('Begrundelse / bemærkning').fill('Angiv hvor mange sager det drejer sig om.');
  await kombit.getByRole('button', { name: 'Returnér til uddybning' }).click();
  await expect(kombit.locator('.page-head .status')).toHaveText('Returneret til uddybning');

  await support.reload();
  await hydrated(support);
  const omfang = support.getByLabel('Hvor ofte opleves udfordringen / hvor stort er sagsomfanget?');
  await expect(omfang).toHaveValue('Ca. 20 sager om måneden');
  await omfang.fill('');
  await support.getByRole('button', { name: 'Send uddybningen' }).click();
  await expect(support.getByText('Angiv hvor ofte udfordringen opleves')).toBeVisible();
  await omfang.fill('Ca. 140 sager om måneden i tre jobcentre');
  await support.getByLabel('Er der tale om').selectOption('lovmedholdelig');
  await support.getByRole('button', { name: 'Send uddybningen' }).click();
  await expect(support.locator('.page-head .status')).toHaveText('Visitering');

  await kombit.reload();
  await hydrated(kombit);
  const versions = kombit.getByTestId('versioner');
  await expect(versions).toContainText('Omfang');
  await expect(versions).toContainText('Er der tale om');
  await expect(versions.locator('ins').first()).toBeVisible();
  await expect(versions.locator('del', { hasText: '20' })).toHaveCount(1);
});

test('another kommune says "vi har også behovet" and is counted on the request', async ({ browser }) => {
  const aarhus = await demoLogin(browser, 'aarhus.support');
  const url = await fileRequest(aarhus, `Fælles behov for periodevisning ${Date.now() % 100000}`);
  await expect(aarhus.getByTestId('kommuner')).toContainText('1 kommune');

  const hjoerring = await demoLogin(browser, 'hjoerring.support');
  await hjoerring.goto(url);
  await hydrated(hjoerring);
  await hjoerring.getByRole('button', { name: 'Vi har også behovet' }).click();
  await expect(hjoerring.getByTestId('kommuner')).toContainText('2 kommune');
  await expect(hjoerring.getByRole('button', { name: 'Vi har også behovet' })).toHaveCount(0);
  await expect(hjoerring.locator('.history')).toContainText('Hjørring (860) har også behovet');
});

test('each role starts on its worklist, and a count is what its list shows', async ({ browser }) => {
  const lev = await demoLogin(browser, 'netcompany');
  await expect(lev).toHaveURL(/\/arbejdsliste$/);
  const item = lev.getByTestId('arbejdsliste').getByRole('link', { name: /Venter på mit estimat/ });
  const count = Number(await item.getAttribute('data-count'));
  await item.click();
  await expect(lev.getByTestId('arbejdsliste')).toHaveText('Venter på mit estimat');
  await expect(lev.locator('table.table caption')).toContainText(`${count} ændringsønsker`);

  const kombit = await demoLogin(browser, 'kombit');
  await expect(kombit).toHaveURL(/\/arbejdsliste$/);
  await expect(kombit.getByTestId('arbejdsliste').getByRole('link', { name: /Meddelelser, der ikke kunne leveres/ }))
    .not.toHaveAttribute('data-count', '0');
  await kombit.goto('/aendringsoensker?status=visitering&q=tilbagebetaling');
  await hydrated(kombit);
  await expect(kombit.getByLabel('Søg i titel og tekst')).toHaveValue('tilbagebetaling');
  await expect(kombit.locator('table.table tbody tr').first()).toBeVisible();
});
