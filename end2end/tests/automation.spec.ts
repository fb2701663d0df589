// Automation of paragrafkontrol: the kommune's support user asks (the MinSupport text is
// shown), the supplier confirms and switches it on, and a caseworker's open board moves.
import { test, expect, login, hydrated, tileCount, cli, PASSWORD } from './fixtures';

test('the supplier switches paragrafkontrol on and an open board shows the tasks move', async ({ browser, kommune }) => {
  const support = `e2e${kommune.nr}.support`;
  const supplier = `e2e${kommune.nr}.leverandoer`;
  cli(['user', 'add', '--username', support, '--role', 'supportberettiget', '--kommune', String(kommune.nr), '--name', 'Sif Support'], PASSWORD);
  cli(['user', 'add', '--username', supplier, '--role', 'leverandoer', '--name', 'Lev Leverandør'], PASSWORD);
  const before = await kommune.counts();
  expect(before['12'] + before['03']).toBeGreaterThan(0);

  const board = await (await browser.newContext()).newPage();
  await login(board, kommune.users[0]);
  await board.goto('/opgavepakker');
  await hydrated(board);
  await expect(board.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await expect(tileCount(board, '12')).toHaveText(String(before['12']));

  const asker = await (await browser.newContext()).newPage();
  await login(asker, support);
  await asker.goto('/automatisering');
  await hydrated(asker);
  await asker.getByRole('button', { name: 'Anmod om automatisering' }).click();
  await expect(asker.getByTestId('minsupport')).toContainText('[KMD Aktiv fordringer]: Automatisering af fordringer med Paragraf- og kravtypekontrol');

  const page = await (await browser.newContext()).newPage();
  await login(page, supplier);
  await page.goto('/automatisering');
  await hydrated(page);
  const card = page.getByTestId('anmodning').filter({ hasText: `(${String(kommune.nr).padStart(3, '0')})` });
  await card.getByRole('button', { name: 'Slå automatisering til …' }).click();
  await expect(card.getByRole('alertdialog')).toContainText('Det kan ikke fortrydes');
  await card.getByRole('button', { name: 'Ja, slå til' }).click();
  await expect(page.getByTestId('automatiseret')).toContainText('opgaver flyttet');

  // packages with only P (03, 12) empty on the open board, without reload
  await expect(tileCount(board, '12')).toHaveText('0', { timeout: 3_000 });
  await expect(tileCount(board, '03')).toHaveText('0');
  const after = await kommune.counts();
  expect(after['12']).toBe(0);
  expect(after['03']).toBe(0);
});
