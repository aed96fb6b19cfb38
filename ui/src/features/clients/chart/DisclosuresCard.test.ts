import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatDateWithYear } from '../../../lib/datetime';
import { signin } from '../../../lib/signin.svelte';
import { ok, person, refused } from '../../../lib/testing/fixtures';
import { formatWhen } from '../format';
import DisclosuresCard from './DisclosuresCard.svelte';
import { disclosure } from './consentFixtures';

const api = vi.hoisted(() => ({
  clientDisclosures: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../../lib/api/bindings', () => ({ commands: api }));

const TODAY = '2024-04-02';
const TZ = 'Europe/Dublin';

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signedIn = person({ timezone: TZ });
  api.currentSignIn.mockResolvedValue(ok(person({ timezone: TZ })));
});

afterEach(() => {
  signin.clearAll();
});

describe('DisclosuresCard', () => {
  it('lists every release: when, to whom, why, which dates, what, by whom', async () => {
    api.clientDisclosures.mockResolvedValue(
      ok([
        disclosure(2, {
          releasedAt: '2024-03-20T09:15:00Z',
          kind: 'session_packet',
          recipient: 'The client themself',
          purpose: 'Requested by the client',
          coveredFrom: '2024-03-12',
          coveredTo: '2024-03-12',
          releasedBy: { id: 3, fullName: 'Kofi Mensah' },
          consentId: null,
        }),
        disclosure(1),
      ]),
    );
    render(DisclosuresCard, { clientId: 7, tz: TZ, today: TODAY });

    const table = await screen.findByTestId('disclosures');
    expect(api.clientDisclosures).toHaveBeenCalledWith(7);
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((th) => th.textContent);
    expect(headers).toEqual(['When', 'To whom', 'Purpose', 'Dates covered', 'What', 'Released by']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('data-testid'))).toEqual([
      'disclosure-2',
      'disclosure-1',
    ]);

    const cells = (id: number) =>
      Array.from(screen.getByTestId(`disclosure-${id}`).querySelectorAll('td')).map((td) =>
        td.textContent?.trim(),
      );
    expect(cells(2)).toEqual([
      formatWhen('2024-03-20T09:15:00Z', TZ, TODAY),
      'The client themself',
      'Requested by the client',
      formatDateWithYear('2024-03-12'),
      'Session packet',
      'Kofi Mensah',
    ]);
    expect(cells(1)).toEqual([
      formatWhen('2024-03-05T16:30:00Z', TZ, TODAY),
      'Northside Community Clinic',
      'Coordination of care after discharge',
      `${formatDateWithYear('2024-01-01')} – ${formatDateWithYear('2024-02-29')}`,
      'Member record',
      'Inès Duarte',
    ]);
  });

  it('says what it will hold while nothing has been released', async () => {
    api.clientDisclosures.mockResolvedValue(ok([]));
    render(DisclosuresCard, { clientId: 7, tz: TZ, today: TODAY });
    expect(
      (await screen.findByTestId('disclosures-empty')).textContent?.replace(/\s+/g, ' ').trim(),
    ).toBe(
      'Nothing from this record has been released. Exports of the record or a session packet are listed here.',
    );
    expect(screen.queryByTestId('disclosures')).toBeNull();
  });

  it('reloads after a release without going back to "Loading"', async () => {
    api.clientDisclosures.mockResolvedValueOnce(ok([]));
    api.clientDisclosures.mockResolvedValueOnce(ok([disclosure(1)]));
    const view = render(DisclosuresCard, { clientId: 7, tz: TZ, today: TODAY, revision: 0 });
    await screen.findByTestId('disclosures-empty');
    await view.rerender({ clientId: 7, tz: TZ, today: TODAY, revision: 1 });
    expect(screen.queryByRole('status')).toBeNull();
    expect(await screen.findByTestId('disclosure-1')).toBeTruthy();
    expect(api.clientDisclosures).toHaveBeenCalledTimes(2);
  });

  it('says calmly when the client is outside this person’s groups', async () => {
    api.clientDisclosures.mockResolvedValue(refused('forbidden', 'Not one of your groups.'));
    render(DisclosuresCard, { clientId: 7, tz: TZ, today: TODAY });
    expect((await screen.findByTestId('disclosures-out-of-scope')).textContent).toBe(
      'You can see consents and releases only for clients in groups you facilitate.',
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('offers to try again when the releases cannot load', async () => {
    api.clientDisclosures.mockResolvedValueOnce(refused('storage', 'Circle could not read the vault.'));
    api.clientDisclosures.mockResolvedValueOnce(ok([disclosure(1)]));
    render(DisclosuresCard, { clientId: 7, tz: TZ, today: TODAY });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Circle could not read the vault.');
    await fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('disclosure-1')).toBeTruthy();
  });
});
