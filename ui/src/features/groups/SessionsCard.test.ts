import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GroupSession } from '../../lib/api';
import { signin } from '../../lib/signin.svelte';
import { frontDesk, ok, person, refused } from '../../lib/testing/fixtures';
import SessionsCard from './SessionsCard.svelte';
import { ZONE, group, groupSession, rooms } from './testing';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  seriesCreate: vi.fn(),
  seriesUpdate: vi.fn(),
  sessionMove: vi.fn(),
  sessionCancel: vi.fn(),
  sessionCancelCheck: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

function field(name: string): HTMLInputElement | HTMLSelectElement {
  const element = document.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
  if (!element) throw new Error(`no field named ${name}`);
  return element;
}

/** Weekly Tuesdays at 18:00 (Dublin is on UTC in winter) from 1 Jan 2030. */
function weekly(n: number, firstId = 1): GroupSession[] {
  const start = Date.parse('2030-01-01T18:00:00Z');
  return Array.from({ length: n }, (_, i) =>
    groupSession(
      firstId + i,
      i + 1,
      new Date(start + i * 7 * 86_400_000).toISOString().replace('.000Z', 'Z'),
    ),
  );
}

let onChanged: ReturnType<typeof vi.fn<() => Promise<void>>>;

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  onChanged = vi.fn(() => Promise.resolve());
  api.currentSignIn.mockImplementation(() => Promise.resolve(ok(signin.signedIn)));
});

afterEach(() => {
  signin.signedIn = null;
  signin.screen = 'today';
  signin.target = {};
});

describe('SessionsCard', () => {
  it('keeps the move dialog open with what was typed when a conflict refuses it', async () => {
    const sessions = weekly(6);
    api.sessionMove.mockResolvedValue(
      refused('conflict', 'Harbour Room is booked then by Thursday Recovery (18:30–20:00).'),
    );
    render(SessionsCard, {
      group: group(),
      sessions,
      rooms,
      tz: ZONE,
      now: new Date('2030-01-20T12:00:00Z'),
      onChanged,
    });

    // 5 Feb 2030 is session 6.
    await fireEvent.click(screen.getByTestId('move-6'));
    const dialog = await screen.findByRole('dialog');
    expect(field('moveDate').value).toBe('2030-02-05');
    expect(field('moveStartTime').value).toBe('18:00');
    expect(field('moveRoomId').value).toBe('31');

    await fireEvent.input(field('moveDate'), { target: { value: '2030-02-06' } });
    await fireEvent.input(field('moveStartTime'), { target: { value: '18:30' } });
    await fireEvent.change(field('moveRoomId'), { target: { value: '32' } });
    await fireEvent.click(within(dialog).getByTestId('move-confirm'));

    const error = await screen.findByTestId('move-error');
    expect(error.textContent).toContain('Harbour Room is booked then by Thursday Recovery');
    expect(api.sessionMove).toHaveBeenCalledWith(6, '2030-02-06', '18:30', 32);
    expect(screen.getByRole('dialog')).toBe(dialog);
    expect(dialog.contains(error)).toBe(true);
    expect(field('moveDate').value).toBe('2030-02-06');
    expect(field('moveStartTime').value).toBe('18:30');
    expect(field('moveRoomId').value).toBe('32');
    expect(onChanged).not.toHaveBeenCalled();
  });

  it('moves a session and closes the dialog', async () => {
    const sessions = weekly(3);
    api.sessionMove.mockResolvedValue(
      ok({ ...sessions[2], startsAt: '2030-01-16T18:00:00Z', endsAt: '2030-01-16T19:30:00Z', isException: true }),
    );
    render(SessionsCard, { group: group(), sessions, rooms, tz: ZONE, now: new Date('2030-01-01T00:00:00Z'), onChanged });
    await fireEvent.click(screen.getByTestId('move-3'));
    await fireEvent.input(field('moveDate'), { target: { value: '2030-01-16' } });
    await fireEvent.click(screen.getByTestId('move-confirm'));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(onChanged).toHaveBeenCalled();
    expect(screen.getByTestId('sessions-news').textContent).toContain('Wed 16 Jan 2030, 18:00–19:30');
  });

  it('shows rows as "Session 5 · date, time · room · booked" with Moved and Cancelled', async () => {
    const sessions = weekly(6);
    sessions[1] = { ...sessions[1], isException: true };
    sessions[2] = { ...sessions[2], isException: true, status: 'cancelled' };
    render(SessionsCard, { group: group(), sessions, rooms, tz: ZONE, now: new Date('2029-12-01T00:00:00Z'), onChanged });
    expect(screen.getByTestId('session-row-5').textContent).toContain(
      'Session 5 · Tue 29 Jan 2030, 18:00–19:30 · Willow Room · 10 booked',
    );
    expect(screen.getByTestId('session-row-2').textContent).toContain('Moved');
    const cancelled = screen.getByTestId('session-row-3');
    expect(cancelled.textContent).toContain('Cancelled');
    expect(within(cancelled).queryByTestId('move-3')).toBeNull();
  });

  it('cancels a session after asking', async () => {
    const sessions = weekly(2);
    api.sessionCancel.mockResolvedValue(ok({ ...sessions[1], status: 'cancelled', isException: true }));
    api.sessionCancelCheck.mockResolvedValue(
      ok({ attendanceRecorded: 0, draftNote: false, signedNote: false }),
    );
    render(SessionsCard, { group: group(), sessions, rooms, tz: ZONE, now: new Date('2029-12-01T00:00:00Z'), onChanged });
    await fireEvent.click(screen.getByTestId('cancel-2'));
    const dialog = await screen.findByTestId('cancel-dialog');
    expect(dialog.textContent).toContain('Tue 8 Jan 2030, 18:00–19:30');
    await waitFor(() => expect(api.sessionCancelCheck).toHaveBeenCalledWith(2));
    expect(screen.queryByTestId('cancel-counts')).toBeNull();
    expect(api.sessionCancel).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId('cancel-confirm'));
    await waitFor(() => expect(api.sessionCancel).toHaveBeenCalledWith(2));
    await waitFor(() => expect(screen.queryByTestId('cancel-dialog')).toBeNull());
  });

  it('says in the cancel dialog how much attendance and whether a draft note it holds', async () => {
    const sessions = weekly(2);
    api.sessionCancelCheck.mockResolvedValue(
      ok({ attendanceRecorded: 3, draftNote: true, signedNote: false }),
    );
    api.sessionCancel.mockResolvedValue(ok({ ...sessions[0], status: 'cancelled', isException: true }));
    render(SessionsCard, { group: group(), sessions, rooms, tz: ZONE, now: new Date('2029-12-01T00:00:00Z'), onChanged });
    await fireEvent.click(screen.getByTestId('cancel-1'));
    const counts = await screen.findByTestId('cancel-counts');
    expect(counts.textContent).toContain('Attendance is recorded for 3 members');
    expect(counts.textContent).toContain('A note has been started (not signed)');
    await fireEvent.click(screen.getByTestId('cancel-confirm'));
    await waitFor(() => expect(api.sessionCancel).toHaveBeenCalledWith(1));
  });

  it('offers no way to cancel a session whose note is signed', async () => {
    const sessions = weekly(2);
    api.sessionCancelCheck.mockResolvedValue(
      ok({ attendanceRecorded: 8, draftNote: false, signedNote: true }),
    );
    render(SessionsCard, { group: group(), sessions, rooms, tz: ZONE, now: new Date('2029-12-01T00:00:00Z'), onChanged });
    await fireEvent.click(screen.getByTestId('cancel-2'));
    const signed = await screen.findByTestId('cancel-signed');
    expect(signed.textContent).toContain('signed note');
    expect(screen.queryByTestId('cancel-confirm')).toBeNull();
    expect(api.sessionCancel).not.toHaveBeenCalled();
  });

  it('does not offer Cancel for a past session that has a note', async () => {
    const sessions = weekly(3);
    sessions[0] = { ...sessions[0], hasNote: true };
    sessions[2] = { ...sessions[2], hasNote: true };
    // Sessions 1 and 2 are past; 3 is to come (a note may be started early).
    render(SessionsCard, { group: group(), sessions, rooms, tz: ZONE, now: new Date('2030-01-10T00:00:00Z'), onChanged });
    await fireEvent.click(field('showPast'));
    expect(screen.queryByTestId('cancel-1')).toBeNull();
    expect(screen.getByTestId('move-1')).toBeTruthy();
    expect(screen.getByTestId('cancel-2')).toBeTruthy();
    expect(screen.getByTestId('cancel-3')).toBeTruthy();
  });

  it('stays light with ten years of sessions: the next 12, past ones 20 at a time', async () => {
    const sessions = weekly(520);
    // Halfway through: 260 past, 260 to come.
    const now = new Date(Date.parse(sessions[259].endsAt) + 60_000);
    render(SessionsCard, { group: group(), sessions, rooms, tz: ZONE, now, onChanged });

    expect(screen.getAllByTestId(/^session-row-/)).toHaveLength(12);
    expect(screen.getByTestId('session-row-261')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('sessions-more-upcoming'));
    expect(screen.getAllByTestId(/^session-row-/)).toHaveLength(24);

    await fireEvent.click(field('showPast'));
    const past = screen.getByTestId('sessions-past');
    expect(within(past).getAllByTestId(/^session-row-/)).toHaveLength(20);
    // Most recent first.
    expect(within(past).getAllByTestId(/^session-row-/)[0].dataset.testid).toBe('session-row-260');
    await fireEvent.click(screen.getByTestId('sessions-more-past'));
    expect(within(past).getAllByTestId(/^session-row-/)).toHaveLength(40);
  });

  it('schedules a series, sending the recurrence with the practice zone left to Rust', async () => {
    api.seriesCreate.mockResolvedValue(ok({ seriesId: 5, sessions: weekly(12) }));
    render(SessionsCard, { group: group(), sessions: [], rooms, tz: ZONE, now: new Date(), onChanged });
    expect(field('startTime').value).toBe('18:00');
    expect(field('durationMinutes').value).toBe('90');
    expect(field('roomId').value).toBe('31');
    expect(document.querySelector('[name="weekday"]')).toBeNull();

    await fireEvent.input(field('firstDate'), { target: { value: '2030-01-01' } });
    await fireEvent.change(field('intervalWeeks'), { target: { value: '2' } });
    await fireEvent.input(field('count'), { target: { value: '12' } });
    await fireEvent.click(screen.getByTestId('series-save'));

    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(api.seriesCreate).toHaveBeenCalledWith(7, 31, {
      firstDate: '2030-01-01',
      startTime: '18:00',
      durationMinutes: 90,
      pattern: 'weekly',
      intervalWeeks: 2,
      nthWeek: null,
      weekday: null,
      untilDate: null,
      count: 12,
      timezone: '',
    });
    expect(screen.getByTestId('sessions-news').textContent).toContain('Scheduled 12 sessions');
  });

  it('asks monthly series for the week and day, and shows refusals beside their field', async () => {
    api.seriesCreate.mockResolvedValue(
      refused('invalid', 'The end date must be on or after the first date.', 'untilDate'),
    );
    render(SessionsCard, { group: group(), sessions: [], rooms, tz: ZONE, now: new Date(), onChanged });
    await fireEvent.input(field('firstDate'), { target: { value: '2030-01-01' } });
    await fireEvent.change(field('pattern'), { target: { value: 'monthlyNthWeekday' } });
    // A monthly series meets on the first date's weekday unless told otherwise.
    expect(field('weekday').value).toBe('tuesday');
    expect(document.querySelector('[name="intervalWeeks"]')).toBeNull();
    await fireEvent.change(field('nthWeek'), { target: { value: 'last' } });
    await fireEvent.click(document.querySelector<HTMLInputElement>('[name="endKind"][value="until"]')!);
    await fireEvent.input(field('untilDate'), { target: { value: '2029-12-01' } });
    await fireEvent.click(screen.getByTestId('series-save'));

    expect((await screen.findByTestId('error-untilDate')).textContent).toContain(
      'on or after the first date',
    );
    expect(api.seriesCreate).toHaveBeenCalledWith(
      7,
      31,
      expect.objectContaining({
        pattern: 'monthlyNthWeekday',
        nthWeek: 'last',
        weekday: 'tuesday',
        intervalWeeks: null,
        untilDate: '2029-12-01',
        count: null,
      }),
    );
    expect(field('untilDate').value).toBe('2029-12-01');
  });

  it('changes the series from a date, saying that exceptions are left alone', async () => {
    const sessions = weekly(4);
    api.seriesUpdate.mockResolvedValue(ok(sessions));
    render(SessionsCard, { group: group(), sessions, rooms, tz: ZONE, now: new Date('2030-01-02T00:00:00Z'), onChanged });
    await fireEvent.click(screen.getByTestId('series-change'));
    const dialog = await screen.findByTestId('series-change-dialog');
    expect(dialog.textContent).toMatch(/moved or\s+cancelled on their own are left alone/);
    expect(field('changeFromDate').value).toBe('2030-01-08');
    await fireEvent.input(field('changeStartTime'), { target: { value: '17:30' } });
    await fireEvent.click(screen.getByTestId('series-change-save'));
    await waitFor(() =>
      expect(api.seriesUpdate).toHaveBeenCalledWith(5, '2030-01-08', '17:30', 90, 31),
    );
  });

  it('opens the note of a session that was not cancelled, for those who read notes', async () => {
    signin.signedIn = person({ timezone: ZONE });
    const sessions = weekly(3);
    sessions[1] = { ...sessions[1], status: 'cancelled', isException: true };
    render(SessionsCard, { group: group(), sessions, rooms, tz: ZONE, now: new Date('2029-12-01T00:00:00Z'), onChanged });

    const note = screen.getByTestId('session-note-3');
    expect(note.textContent).toContain('Note');
    expect(note.textContent).toContain('Tue 15 Jan 2030, 18:00–19:30');
    expect(screen.queryByTestId('session-note-2')).toBeNull();
    await fireEvent.click(note);
    expect(signin.screen).toBe('session');
    expect(signin.target).toEqual({ sessionId: 3, groupId: 7 });
  });

  it('has no Note button for those who may not read notes', () => {
    signin.signedIn = frontDesk({ timezone: ZONE });
    render(SessionsCard, { group: group(), sessions: weekly(2), rooms, tz: ZONE, now: new Date('2029-12-01T00:00:00Z'), onChanged });
    expect(screen.getByTestId('move-1')).toBeTruthy();
    expect(screen.queryByTestId('session-note-1')).toBeNull();
  });
});
