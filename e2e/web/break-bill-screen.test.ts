/**
 * Adversarial review of the bill screen (issue 15 moved "scan a parent onto the bill" into bills.scanParent):
 * a parent that is not full and already sits on another bill is offered with "Add anyway?" instead of the
 * refusal, so the page asks the supervisor to confirm what the station will then refuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';
import { logIn, openScreen, wait } from './office-helpers.ts';

let ws: WebStation;

async function must(method: string, args: unknown): Promise<void> {
  const answer = await ws.served.call(method, args);
  if (!answer.ok) throw new Error(`${method} failed: ${answer.error?.message}`);
}

beforeAll(async () => {
  ws = await startWebStation();
  await must('auth.login', people.dock);
  for (const code of ['SB00001', 'CHA00001', 'CHA00002', 'SB00002', 'CHB00001', 'CHB00002']) {
    await must('scan.submit', { code });
  }
  await must('auth.login', { username: people.supervisor.username, password: people.supervisor.password });
  for (const billNo of ['B1', 'B2']) {
    await must('bills.create', { billNo, destination: 'Delhi', vehicleNo: 'V1', capacity: 5 });
  }
  await must('bills.addParent', { billNo: 'B2', parent: 'SB00002' });
  await must('auth.logout', {});
}, 120_000);

afterAll(async () => {
  await ws?.close();
});

describe('the bill screen, given a parent of another bill that is not full', () => {
  it('shows the refusal, not "add anyway"', async () => {
    const { page } = ws;
    await logIn(page, { username: people.supervisor.username, password: people.supervisor.password });
    await openScreen(page, 'bills');
    await page.getByTestId('bills').getByRole('button', { name: 'B1', exact: true }).click();
    await page.getByTestId('bill-detail').waitFor();
    await page.locator('input[name="parent"]').fill('SB00002');
    await page.locator('input[name="parent"]').press('Enter');
    // Either the question or a sentence appears; wait for one, then judge which.
    const answered = async () => {
      const asked = (await page.getByTestId('not-full').count()) > 0;
      const told = ((await page.getByTestId('bill-detail').textContent()) ?? '').includes('B2');
      return asked || told;
    };
    await expect.poll(answered, wait).toBe(true);
    expect(await page.getByTestId('not-full').count()).toBe(0);
    expect(await page.getByTestId('bill-detail').textContent()).toContain('already on bill B2');
  });
});
