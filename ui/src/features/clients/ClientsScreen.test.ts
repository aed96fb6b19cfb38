import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientPage } from '../../lib/api';
import { signin } from '../../lib/signin.svelte';
import { ok, person, refused } from '../../lib/testing/fixtures';
import ClientsScreen from './ClientsScreen.svelte';
import { PAGE_SIZE, SEARCH_DELAY_MS } from './directory.svelte';
import { client, completion, summaries, summary } from './fixtures';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  clientSearch: vi.fn(),
  clientGet: vi.fn(),
  clientCreate: vi.fn(),
  clientUpdate: vi.fn(),
  clientEnrollments: vi.fn(),
  clientAppointments: vi.fn(),
  clientAttendance: vi.fn(),
  clientSeriesCompletion: vi.fn(),
  currentSignIn: vi.fn(),
  clientGoals: vi.fn(),
  measureForms: vi.fn(),
  measureTrends: vi.fn(),
  clientNotes: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

function page(items: ClientPage['items'], total = items.length) {
  return ok<ClientPage>({ items, total });
}

const count = (n: number) => new Intl.NumberFormat().format(n);

function searchBox(): HTMLInputElement {
  return document.querySelector<HTMLInputElement>('input[name="clientSearch"]')!;
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  api.clientGoals.mockResolvedValue(ok([]));
  api.measureForms.mockResolvedValue(ok([]));
  api.measureTrends.mockResolvedValue(ok([]));
  api.clientNotes.mockResolvedValue(ok({ notes: [], more: false }));
  signin.signedIn = person();
  signin.target = {};
  api.currentSignIn.mockResolvedValue(ok(person()));
  api.clientGet.mockImplementation(async (id: number) => ok(client(id)));
  api.clientEnrollments.mockResolvedValue(ok([]));
  api.clientAppointments.mockResolvedValue(ok([]));
  api.clientAttendance.mockResolvedValue(ok([]));
  api.clientSeriesCompletion.mockResolvedValue(
    ok([{ seriesId: 5, completion: completion(7) }]),
  );
});

afterEach(() => {
  vi.useRealTimers();
  signin.clearAll();
});

describe('ClientsScreen list', () => {
  it('lists the first page with a label, a hint, a status filter and a count', async () => {
    api.clientSearch.mockResolvedValue(
      page(
        [
          summary(1, { displayName: 'Zoë Marchetti', legalName: 'Zoë Marchetti' }),
          summary(2, {
            displayName: 'Sam Okonkwo',
            legalName: 'Samuel Okonkwo',
            status: 'prospect',
            dateOfBirth: null,
          }),
        ],
        2000,
      ),
    );
    render(ClientsScreen);

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Clients');
    expect(screen.getByLabelText('Find a client')).toBe(searchBox());
    expect(searchBox().getAttribute('placeholder')).toBeNull();
    expect(screen.getByText('Name or preferred name')).toBeTruthy();
    const filter = document.querySelector<HTMLSelectElement>('select[name="statusFilter"]')!;
    expect([...filter.options].map((o) => o.text)).toEqual([
      'All',
      'Prospect',
      'Active',
      'Discharged',
    ]);

    const sam = await screen.findByTestId('client-row-2');
    expect(api.clientSearch).toHaveBeenCalledWith('', null, 0, PAGE_SIZE);
    expect(sam.textContent).toContain('Sam Okonkwo');
    expect(sam.textContent).toContain('Samuel Okonkwo');
    expect(sam.textContent).toContain('C-000002');
    expect(sam.textContent).toContain('Prospect');
    expect(sam.textContent).toContain('Not given');
    const zoe = screen.getByTestId('client-row-1');
    expect(zoe.textContent).not.toContain('Legal name');
    expect(zoe.textContent).toContain('1984');
    expect(zoe.textContent).toContain('Active');
    expect(screen.getByTestId('clients-count').textContent?.trim()).toBe(
      `Showing 2 of ${count(2000)}`,
    );
  });

  it('searches as you type, once typing pauses', async () => {
    vi.useFakeTimers();
    api.clientSearch.mockImplementation(async (query: string) =>
      query === 'zoe'
        ? page([summary(7, { displayName: 'Zoë Marchetti', legalName: 'Zoë Marchetti' })])
        : page(summaries(1, 3)),
    );
    render(ClientsScreen);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.clientSearch).toHaveBeenCalledTimes(1);

    for (const value of ['z', 'zo', 'zoe']) {
      await fireEvent.input(searchBox(), { target: { value } });
      await vi.advanceTimersByTimeAsync(50);
    }
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS - 60);
    expect(api.clientSearch).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(20);
    expect(api.clientSearch).toHaveBeenCalledTimes(2);
    expect(api.clientSearch).toHaveBeenLastCalledWith('zoe', null, 0, PAGE_SIZE);
    expect(screen.getByTestId('client-row-7').textContent).toContain('Zoë Marchetti');
    expect(screen.queryByTestId('client-row-1')).toBeNull();
  });

  it('filters by status at once', async () => {
    api.clientSearch.mockResolvedValue(page(summaries(1, 2)));
    render(ClientsScreen);
    await screen.findByTestId('client-row-1');
    const filter = document.querySelector<HTMLSelectElement>('select[name="statusFilter"]')!;
    await fireEvent.change(filter, { target: { value: 'discharged' } });
    expect(api.clientSearch).toHaveBeenLastCalledWith('', 'discharged', 0, PAGE_SIZE);
  });

  it('"Show more" asks for the next page and adds it', async () => {
    api.clientSearch
      .mockResolvedValueOnce(page(summaries(1, PAGE_SIZE), 2000))
      .mockResolvedValueOnce(page(summaries(PAGE_SIZE + 1, PAGE_SIZE), 2000));
    render(ClientsScreen);
    await screen.findByTestId('client-row-50');
    expect(screen.getByTestId('clients-count').textContent?.trim()).toBe(
      `Showing 50 of ${count(2000)}`,
    );

    await fireEvent.click(screen.getByTestId('clients-more'));
    await screen.findByTestId('client-row-100');
    expect(api.clientSearch).toHaveBeenLastCalledWith('', null, PAGE_SIZE, PAGE_SIZE);
    expect(screen.getByTestId('clients-count').textContent?.trim()).toBe(
      `Showing 100 of ${count(2000)}`,
    );
    await waitFor(() => expect(document.activeElement?.id).toBe('client-open-51'));
  });

  it('hides "Show more" once everything is shown', async () => {
    api.clientSearch.mockResolvedValue(page(summaries(1, 3), 3));
    render(ClientsScreen);
    await screen.findByTestId('client-row-3');
    expect(screen.queryByTestId('clients-more')).toBeNull();
  });

  it('says when there are no clients yet', async () => {
    api.clientSearch.mockResolvedValue(page([], 0));
    render(ClientsScreen);
    const empty = await screen.findByTestId('clients-empty');
    expect(empty.textContent).toContain('Add the first client');
  });

  it('says when nothing matches what was typed', async () => {
    vi.useFakeTimers();
    api.clientSearch.mockImplementation(async (query: string) =>
      query === '' ? page(summaries(1, 2)) : page([], 0),
    );
    render(ClientsScreen);
    await vi.advanceTimersByTimeAsync(0);
    await fireEvent.input(searchBox(), { target: { value: 'Quixote' } });
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS);
    expect(screen.getByTestId('clients-empty').textContent).toContain(
      'No client matches “Quixote”. Check the spelling or add them.',
    );
  });

  it('shows a refusal about the search words beside the box', async () => {
    api.clientSearch
      .mockResolvedValueOnce(page(summaries(1, 2)))
      .mockResolvedValueOnce(refused('invalid', 'Search with fewer words (at most 8).', 'query'));
    render(ClientsScreen);
    await screen.findByTestId('client-row-1');
    await fireEvent.input(searchBox(), { target: { value: 'a b c d e f g h i' } });
    await fireEvent.keyDown(searchBox(), { key: 'Enter' });
    expect((await screen.findByTestId('error-clientSearch')).textContent).toContain(
      'fewer words',
    );
  });
});

describe('ClientsScreen profile', () => {
  it('opens a profile from a row and goes back to the same search', async () => {
    vi.useFakeTimers();
    api.clientSearch.mockImplementation(async (query: string) =>
      query === 'zoe' ? page([summary(7)]) : page(summaries(1, 2)),
    );
    render(ClientsScreen);
    await vi.advanceTimersByTimeAsync(0);
    await fireEvent.input(searchBox(), { target: { value: 'zoe' } });
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS);
    vi.useRealTimers();

    const row = screen.getByTestId('client-row-7');
    await fireEvent.click(within(row).getByRole('button'));
    expect((await screen.findByTestId('client-name')).textContent).toBe('Zoë Marchetti');
    expect(api.clientGet).toHaveBeenCalledWith(7);
    expect(searchBox()).toBeNull();

    const calls = api.clientSearch.mock.calls.length;
    await fireEvent.click(screen.getByTestId('clients-back'));
    expect(searchBox().value).toBe('zoe');
    expect(screen.getByTestId('client-row-7')).toBeTruthy();
    expect(api.clientSearch.mock.calls.length).toBe(calls);
    await waitFor(() => expect(document.activeElement?.id).toBe('client-open-7'));
  });

  it('opens the client another screen asked for', async () => {
    api.clientSearch.mockResolvedValue(page(summaries(1, 2)));
    signin.target = { clientId: 42 };
    render(ClientsScreen);
    expect((await screen.findByTestId('client-name')).textContent).toBe('Zoë Marchetti');
    expect(api.clientGet).toHaveBeenCalledWith(42);
  });

  it('goes back to the list when Clients is chosen again in the navigation', async () => {
    api.clientSearch.mockResolvedValue(page([summary(7)]));
    render(ClientsScreen);
    await fireEvent.click(within(await screen.findByTestId('client-row-7')).getByRole('button'));
    await screen.findByTestId('client-profile');
    signin.navigate('clients');
    await waitFor(() => expect(screen.queryByTestId('client-profile')).toBeNull());
    expect(screen.getByTestId('client-row-7')).toBeTruthy();
  });

  it('forgets a shown profile when Circle locks', async () => {
    api.clientSearch.mockResolvedValue(page([summary(7)]));
    render(ClientsScreen);
    await fireEvent.click(within(await screen.findByTestId('client-row-7')).getByRole('button'));
    await screen.findByTestId('client-name');
    await screen.findByText('+353 1 555 0134');

    signin.clearAll();

    await waitFor(() => expect(screen.queryByTestId('client-profile')).toBeNull());
    expect(document.body.textContent).not.toContain('Marchetti');
    expect(document.body.textContent).not.toContain('555 0134');
    expect(screen.queryByTestId('client-row-7')).toBeNull();
    expect(searchBox().value).toBe('');
  });
});
