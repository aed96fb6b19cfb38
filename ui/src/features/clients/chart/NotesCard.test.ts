import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatInstant } from '../../../lib/datetime';
import { signin } from '../../../lib/signin.svelte';
import { ok, person, refused } from '../../../lib/testing/fixtures';
import NotesCard from './NotesCard.svelte';
import { chartNote, chartPage } from './fixtures';

const api = vi.hoisted(() => ({
  clientNotes: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../../lib/api/bindings', () => ({ commands: api }));

const TZ = 'Europe/Dublin';
const TODAY = '2024-04-02';

const props = { clientId: 7, firstName: 'Zo', tz: TZ, today: TODAY };

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signedIn = person({ timezone: TZ });
  signin.target = {};
  api.currentSignIn.mockResolvedValue(ok(person({ timezone: TZ })));
});

afterEach(() => {
  signin.clearAll();
});

describe('NotesCard', () => {
  it('shows each note newest first, with its group, time and who signed', async () => {
    api.clientNotes.mockResolvedValue(
      ok(chartPage([
        chartNote(120, {
          startsAt: '2024-03-12T18:00:00Z',
          status: 'pendingCosign',
          signedBy: { id: 5, fullName: 'Rui Costa' },
          signedAt: '2024-03-12T19:45:00Z',
        }),
        chartNote(110, { cosignedBy: { id: 4, fullName: 'Mara Lindqvist' } }),
      ])),
    );
    render(NotesCard, props);

    const newest = await screen.findByTestId('chart-note-120');
    expect(api.clientNotes).toHaveBeenCalledWith(7, 'all', null);
    const order = screen.getAllByTestId(/^chart-note-\d+$/).map((el) => el.dataset.testid);
    expect(order).toEqual(['chart-note-120', 'chart-note-110']);

    expect(within(newest).getByRole('heading', { level: 3 }).textContent).toContain(
      'Tuesday DBT Skills',
    );
    expect(newest.textContent).toContain(formatInstant('2024-03-12T18:00:00Z', TZ));
    expect(screen.getByTestId('chart-note-status-120').textContent).toContain(
      'Waiting for co-signature',
    );
    expect(newest.textContent).toContain(
      `Signed by Rui Costa, ${formatInstant('2024-03-12T19:45:00Z', TZ)}`,
    );

    const older = screen.getByTestId('chart-note-110');
    expect(screen.getByTestId('chart-note-status-110').textContent).toContain('Signed');
    expect(older.textContent).toContain('Signed by Inès Duarte');
    expect(older.textContent).toContain('Co-signed by Mara Lindqvist');
  });

  it('shows the shared part and the member’s own section as given, as text', async () => {
    api.clientNotes.mockResolvedValue(
      ok(chartPage([
        chartNote(110, {
          shared: [
            {
              key: 'goals',
              label: 'Goals',
              body: 'Member B shared first.\nMember C <b>listened</b>.',
            },
          ],
          own: [{ key: 'response', label: 'Response', body: 'Zo named two triggers.' }],
        }),
      ])),
    );
    render(NotesCard, props);
    const note = await screen.findByTestId('chart-note-110');

    const shared = screen.getByTestId('chart-note-shared-110');
    expect(shared.closest('section')?.querySelector('h4')?.textContent).toBe(
      'From the group session',
    );
    expect(within(shared).getByText('Goals').tagName).toBe('DT');
    const body = shared.querySelector('dd')!;
    expect(body.textContent).toBe('Member B shared first.\nMember C <b>listened</b>.');
    expect(body.querySelector('b')).toBeNull();
    expect(body.classList.contains('prose')).toBe(true);

    const own = screen.getByTestId('chart-note-own-110');
    expect(own.closest('section')?.querySelector('h4')?.textContent).toBe("Zo's section");
    expect(own.textContent).toContain('Response');
    expect(own.textContent).toContain('Zo named two triggers.');
    expect(note.innerHTML).not.toContain('<b>listened');
  });

  it('names the member’s section plainly without a first name', async () => {
    api.clientNotes.mockResolvedValue(ok(chartPage([chartNote(110)])));
    render(NotesCard, { ...props, firstName: null });
    const own = await screen.findByTestId('chart-note-own-110');
    expect(own.closest('section')?.querySelector('h4')?.textContent).toBe("This member's section");
  });

  it('shows goal ratings, risk and addenda in words', async () => {
    api.clientNotes.mockResolvedValue(
      ok(chartPage([
        chartNote(110, {
          goalRatings: [
            { goalId: 1, goalText: 'Speak up once in every group', rating: 3, comment: 'Spoke twice.' },
            { goalId: 2, goalText: 'Sleep by midnight', rating: null, comment: '' },
          ],
          riskLevel: 'moderate',
          riskText: 'Passive thoughts; safety plan reviewed.',
          addenda: [
            {
              shared: true,
              body: 'Member D arrived late.',
              author: { id: 2, fullName: 'Inès Duarte' },
              signedAt: '2024-03-06T09:00:00Z',
            },
            {
              shared: false,
              body: 'Called Zo the next day.',
              author: { id: 4, fullName: 'Mara Lindqvist' },
              signedAt: '2024-03-07T09:30:00Z',
            },
          ],
        }),
      ])),
    );
    render(NotesCard, props);
    const ratings = await screen.findByTestId('chart-note-ratings-110');
    const [first, second] = within(ratings).getAllByRole('listitem');
    expect(first.textContent).toContain('Speak up once in every group');
    expect(first.textContent).toContain('3 of 5');
    expect(first.textContent).toContain('Spoke twice.');
    expect(second.textContent).toContain('Sleep by midnight');
    expect(second.textContent).toContain('Not rated');

    const risk = screen.getByTestId('chart-note-risk-110');
    expect(risk.textContent).toContain('Moderate');
    expect(risk.textContent).toContain('Passive thoughts; safety plan reviewed.');

    const addenda = within(screen.getByTestId('chart-note-addenda-110')).getAllByRole('listitem');
    expect(addenda[0].textContent).toContain('To the group session');
    expect(addenda[0].textContent).toContain('Inès Duarte');
    expect(addenda[0].textContent).toContain(formatInstant('2024-03-06T09:00:00Z', TZ));
    expect(addenda[0].textContent).toContain('Member D arrived late.');
    expect(addenda[1].textContent).toContain("To Zo's section");
    expect(addenda[1].textContent).toContain('Mara Lindqvist');
    expect(addenda[1].textContent).toContain('Called Zo the next day.');
  });

  it('leaves out risk when none was recorded', async () => {
    api.clientNotes.mockResolvedValue(
      ok(chartPage([chartNote(110, { riskLevel: null, riskText: '', goalRatings: [], addenda: [] })])),
    );
    render(NotesCard, props);
    await screen.findByTestId('chart-note-110');
    expect(screen.queryByTestId('chart-note-risk-110')).toBeNull();
    expect(screen.queryByTestId('chart-note-ratings-110')).toBeNull();
    expect(screen.queryByTestId('chart-note-addenda-110')).toBeNull();
  });

  it('opens the session note', async () => {
    const navigate = vi.spyOn(signin, 'navigate');
    api.clientNotes.mockResolvedValue(ok(chartPage([chartNote(110)])));
    render(NotesCard, props);
    const open = await screen.findByTestId('chart-note-open-110');
    expect(open.textContent).toContain('Open session');
    await fireEvent.click(open);
    expect(navigate).toHaveBeenCalledWith('session', { sessionId: 110 });
  });

  it('says where notes come from when there are none', async () => {
    api.clientNotes.mockResolvedValue(ok(chartPage([])));
    render(NotesCard, props);
    expect((await screen.findByTestId('notes-empty')).textContent?.trim()).toBe(
      'No signed notes yet. Notes appear here once a session note is signed.',
    );
  });

  it('says calmly when the notes are outside this person’s groups', async () => {
    api.clientNotes.mockResolvedValue(refused('forbidden', 'Not one of your groups.'));
    render(NotesCard, props);
    expect((await screen.findByTestId('notes-out-of-scope')).textContent).toBe(
      'You can read notes only for clients in groups you facilitate.',
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('offers to try again when the notes cannot load', async () => {
    api.clientNotes.mockResolvedValueOnce(refused('storage', 'Circle could not read the vault.'));
    api.clientNotes.mockResolvedValueOnce(ok(chartPage([chartNote(110)])));
    render(NotesCard, props);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Circle could not read the vault.');
    await fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('chart-note-110')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('reloads quietly when asked, keeping the notes on screen meanwhile', async () => {
    api.clientNotes.mockResolvedValueOnce(ok(chartPage([chartNote(110)])));
    let finish: (value: unknown) => void = () => {};
    api.clientNotes.mockReturnValueOnce(new Promise((resolve) => (finish = resolve)));
    const { rerender } = render(NotesCard, props);
    await screen.findByTestId('chart-note-110');
    await rerender({ ...props, revision: 1 });
    expect(api.clientNotes).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId('chart-note-110')).toBeTruthy();
    finish(ok(chartPage([chartNote(111), chartNote(110)])));
    expect(await screen.findByTestId('chart-note-111')).toBeTruthy();
  });

  it('shows older notes a page at a time, and says where the record begins', async () => {
    api.clientNotes
      .mockResolvedValueOnce(ok(chartPage([chartNote(130), chartNote(120)], true)))
      .mockResolvedValueOnce(ok(chartPage([chartNote(110)])));
    render(NotesCard, props);
    await screen.findByTestId('chart-note-130');
    expect(screen.queryByTestId('chart-note-110')).toBeNull();
    await fireEvent.click(screen.getByTestId('notes-older'));
    expect(await screen.findByTestId('chart-note-110')).toBeTruthy();
    expect(api.clientNotes).toHaveBeenLastCalledWith(7, 'all', 120);
    const order = screen.getAllByTestId(/^chart-note-\d+$/).map((el) => el.dataset.testid);
    expect(order).toEqual(['chart-note-130', 'chart-note-120', 'chart-note-110']);
    expect(screen.queryByTestId('notes-older')).toBeNull();
    expect(screen.getByTestId('notes-start').textContent).toBe('That is the first note of this record.');
  });

  it('keeps the notes shown when older ones fail to load, and says why beside the button', async () => {
    api.clientNotes
      .mockResolvedValueOnce(ok(chartPage([chartNote(130)], true)))
      .mockResolvedValueOnce(refused('storage', 'Circle could not read the vault.'));
    render(NotesCard, props);
    await screen.findByTestId('chart-note-130');
    await fireEvent.click(screen.getByTestId('notes-older'));
    expect((await screen.findByTestId('notes-older-error')).textContent).toBe(
      'Circle could not read the vault.',
    );
    expect(screen.getByTestId('chart-note-130')).toBeTruthy();
    expect(screen.getByTestId('notes-older')).toBeTruthy();
  });

  it('narrows the notes to individual sessions, and older pages keep the filter', async () => {
    api.clientNotes
      .mockResolvedValueOnce(ok(chartPage([chartNote(130)])))
      .mockResolvedValueOnce(
        ok(
          chartPage(
            [
              chartNote(220, {
                format: 'individual',
                groupName: 'Individual session',
                shared: [{ key: 'subjective', label: 'Subjective', body: 'Slept better.' }],
              }),
            ],
            true,
          ),
        ),
      )
      .mockResolvedValueOnce(
        ok(chartPage([chartNote(210, { format: 'family', groupName: 'Family/couple session' })])),
      );
    render(NotesCard, props);
    await screen.findByTestId('chart-note-130');
    expect(api.clientNotes).toHaveBeenLastCalledWith(7, 'all', null);

    const filter = screen.getByRole('radiogroup', { name: 'Show' });
    expect(within(filter).getAllByRole('radio').map((r) => r.textContent?.trim())).toEqual([
      'All sessions',
      'Group sessions',
      'Individual sessions',
    ]);
    expect(screen.getByTestId('notes-filter-all').getAttribute('aria-checked')).toBe('true');

    await fireEvent.click(screen.getByTestId('notes-filter-individual'));
    const note = await screen.findByTestId('chart-note-220');
    expect(api.clientNotes).toHaveBeenLastCalledWith(7, 'individual', null);
    expect(screen.getByTestId('notes-filter-individual').getAttribute('aria-checked')).toBe('true');
    // The group note belonged to the other filter: it is gone.
    expect(screen.queryByTestId('chart-note-130')).toBeNull();
    expect(note.dataset.format).toBe('individual');
    expect(within(note).getByRole('heading', { level: 3 }).textContent).toContain(
      'Individual session',
    );
    expect(screen.getByTestId('chart-note-shared-220').closest('section')?.querySelector('h4')
      ?.textContent).toBe('From the session');

    await fireEvent.click(screen.getByTestId('notes-older'));
    const older = await screen.findByTestId('chart-note-210');
    expect(api.clientNotes).toHaveBeenLastCalledWith(7, 'individual', 220);
    expect(older.querySelector('h4')?.textContent).toBe('From the family/couple session');
  });

  it('says what to do next when a filter finds no notes', async () => {
    api.clientNotes
      .mockResolvedValueOnce(ok(chartPage([chartNote(130)])))
      .mockResolvedValueOnce(ok(chartPage([])))
      .mockResolvedValueOnce(ok(chartPage([])));
    render(NotesCard, props);
    await screen.findByTestId('chart-note-130');

    await fireEvent.click(screen.getByTestId('notes-filter-individual'));
    expect((await screen.findByTestId('notes-empty')).textContent).toBe(
      'No individual session notes yet. Book one from the schedule; its signed note appears here.',
    );
    expect(api.clientNotes).toHaveBeenLastCalledWith(7, 'individual', null);

    await fireEvent.click(screen.getByTestId('notes-filter-group'));
    await waitFor(() => expect(api.clientNotes).toHaveBeenLastCalledWith(7, 'group', null));
    await waitFor(() =>
      expect(screen.getByTestId('notes-empty').textContent).toContain('No group session notes yet.'),
    );
  });
});
