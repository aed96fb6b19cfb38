import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type uPlot from 'uplot';
import { formatInstant, todayInPracticeZone } from '../../lib/datetime';
import { signin } from '../../lib/signin.svelte';
import { frontDesk, ok, person, refused } from '../../lib/testing/fixtures';
import ClientProfile from './ClientProfile.svelte';
import { chartNote, chartPage, goal, point, progress } from './chart/fixtures';
import { appointment, client, completion, enrollment, line } from './fixtures';
import { ageOn } from './format';

const api = vi.hoisted(() => ({
  clientGet: vi.fn(),
  clientUpdate: vi.fn(),
  clientCreate: vi.fn(),
  clientEnrollments: vi.fn(),
  groupList: vi.fn(),
  clientAppointments: vi.fn(),
  staffDirectory: vi.fn(),
  clientAttendance: vi.fn(),
  seriesCompletion: vi.fn(),
  clientSeriesCompletion: vi.fn(),
  clientGoals: vi.fn(),
  measureForms: vi.fn(),
  measureTrends: vi.fn(),
  clientNotes: vi.fn(),
  goalCreate: vi.fn(),
  goalUpdate: vi.fn(),
  clientConsents: vi.fn(),
  clientDisclosures: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

// jsdom has no canvas: a stand-in records what the goals' trend charts draw.
const plots = vi.hoisted(() => ({ made: [] as uPlot.AlignedData[] }));
vi.mock('uplot', async () => {
  const { vi } = await import('vitest');
  class FakePlot {
    width: number;
    setSize = vi.fn();
    destroy = vi.fn();
    constructor(opts: uPlot.Options, data: uPlot.AlignedData) {
      this.width = opts.width;
      plots.made.push(data);
    }
  }
  return { default: FakePlot };
});

/** Practice manager: schedules and administers, reads no notes. */
const manager = () =>
  person({
    staffId: 6,
    role: 'manager',
    roleLabel: 'Practice manager',
    hasClinicalAccess: false,
    capabilities: ['scheduling', 'administer'],
  });

const TZ = 'Europe/Dublin';

/** Zoë goes by Zo: Rust sends the names the screen shows. */
const calledZo = { preferredName: 'Zo', firstName: 'Zo', displayName: 'Zo Marchetti' };

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  plots.made.length = 0;
  signin.signedIn = person({ timezone: TZ });
  signin.target = {};
  api.currentSignIn.mockResolvedValue(ok(person({ timezone: TZ })));
  api.clientGet.mockResolvedValue(
    ok(client(7, { ...calledZo, pronouns: 'she/her', status: 'active' })),
  );
  api.clientEnrollments.mockResolvedValue(
    ok([
      enrollment(1, { groupId: 10, status: 'active', enrolledOn: '2024-01-09' }),
      enrollment(2, {
        groupId: 11,
        groupName: 'Rolling Recovery',
        status: 'waitlisted',
        waitlistPlace: 3,
        enrolledOn: null,
      }),
      enrollment(3, {
        groupId: 12,
        groupName: 'Spring Anxiety Cohort',
        status: 'discharged',
        enrolledOn: '2023-02-01',
        dischargedOn: '2023-06-30',
        dischargeReason: 'completed',
      }),
    ]),
  );
  api.clientAppointments.mockResolvedValue(
    ok([
      appointment(1, { kind: 'intake', startsAt: '2023-12-05T10:00:00Z' }),
      appointment(2, {
        kind: 'checkIn',
        startsAt: '2099-05-12T09:00:00Z',
        endsAt: '2099-05-12T09:30:00Z',
        roomName: 'Oak Room',
        cancelled: true,
      }),
    ]),
  );
  api.clientAttendance.mockResolvedValue(
    ok([
      line(100, { startsAt: '2099-01-06T18:00:00Z', status: null }),
      line(99, { startsAt: '2024-03-12T18:00:00Z', status: null }),
      line(98, { startsAt: '2024-03-05T18:00:00Z', status: 'noShow' }),
      line(97, { startsAt: '2024-02-27T18:00:00Z', status: 'present', cancelled: true }),
      line(96, {
        startsAt: '2023-04-04T17:00:00Z',
        status: 'late',
        groupId: 12,
        groupName: 'Spring Anxiety Cohort',
        seriesId: 3,
      }),
    ]),
  );
  api.clientSeriesCompletion.mockResolvedValue(
    ok([
      { seriesId: 3, completion: completion(7, { attended: 4, booked: 8 }) },
      { seriesId: 5, completion: completion(7, { attended: 9, booked: 12 }) },
    ]),
  );
  api.clientGoals.mockResolvedValue(ok([]));
  api.measureForms.mockResolvedValue(ok([]));
  api.measureTrends.mockResolvedValue(ok([]));
  api.clientNotes.mockResolvedValue(ok(chartPage([])));
  api.clientConsents.mockResolvedValue(ok([]));
  api.clientDisclosures.mockResolvedValue(ok([]));
});

afterEach(() => {
  signin.clearAll();
  // Back to the real clock after a test that pinned today.
  vi.useRealTimers();
});

describe('ClientProfile', () => {
  it('shows who the client is and how to reach them', async () => {
    render(ClientProfile, { clientId: 7 });
    expect((await screen.findByTestId('client-name')).textContent).toBe('Zo Marchetti');
    const profile = screen.getByTestId('client-profile');
    expect(profile.textContent).toContain('(she/her)');
    expect(profile.textContent).toContain('C-000007');
    expect(screen.getByTestId('client-status').textContent).toContain('Active');
    expect(profile.textContent).toContain('Legal name: Zoë Marchetti');
    const age = ageOn('1984-03-27', todayInPracticeZone(TZ));
    expect(screen.getByTestId('client-dob').textContent).toContain(`(age ${age})`);
    expect(screen.getByTestId('client-dob').textContent).toContain('1984');
    expect(profile.textContent).toContain('+353 1 555 0134');
    expect(profile.textContent).toContain('zoe@example.org');
    expect(profile.textContent).toContain('Paolo Marchetti, +353 1 555 0199');
    await waitFor(() => expect(document.activeElement?.tagName).toBe('H1'));
  });

  it('shows when a client the roster discharged left their last group', async () => {
    api.clientGet.mockResolvedValue(
      ok(client(7, { ...calledZo, status: 'discharged', dischargedOn: '2023-06-30' })),
    );
    render(ClientProfile, { clientId: 7 });
    expect((await screen.findByTestId('client-status')).textContent).toContain('Discharged');
    expect(screen.getByTestId('client-discharged-on').textContent).toContain('30 Jun 2023');
  });

  it('shows no discharge date for an active client', async () => {
    render(ClientProfile, { clientId: 7 });
    expect((await screen.findByTestId('client-status')).textContent).toContain('Active');
    expect(screen.queryByTestId('client-discharged-on')).toBeNull();
  });

  it('shows each group with where the client stands and the series completion', async () => {
    render(ClientProfile, { clientId: 7 });
    const active = await screen.findByTestId('enrollment-1');
    await waitFor(() => expect(active.textContent).toContain('9 of 12 attended'));
    expect(active.textContent).toContain('Tuesday DBT Skills');
    expect(active.textContent).toContain('Active since');
    // One call for every series; Rust names the groups and clinicians.
    expect(api.clientSeriesCompletion).toHaveBeenCalledTimes(1);
    expect(api.clientSeriesCompletion).toHaveBeenCalledWith(7);
    expect(api.seriesCompletion).not.toHaveBeenCalled();
    expect(api.groupList).not.toHaveBeenCalled();
    expect(api.staffDirectory).not.toHaveBeenCalled();

    const waiting = screen.getByTestId('enrollment-2');
    expect(waiting.textContent).toContain('Rolling Recovery');
    expect(waiting.textContent).toContain('Waitlisted, place 3');
    expect(waiting.textContent).not.toContain('attended');

    const discharged = screen.getByTestId('enrollment-3');
    expect(discharged.textContent).toContain('Discharged on');
    expect(discharged.textContent).toContain('2023');
    expect(discharged.textContent).toContain('Completed the group');
    expect(discharged.textContent).toContain('4 of 8 attended');

    // Active first, then waiting, then past groups.
    const order = screen.getAllByTestId(/^enrollment-/).map((el) => el.dataset.testid);
    expect(order).toEqual(['enrollment-1', 'enrollment-2', 'enrollment-3']);
  });

  it('opens a group on the Groups screen', async () => {
    const navigate = vi.spyOn(signin, 'navigate');
    render(ClientProfile, { clientId: 7 });
    const active = await screen.findByTestId('enrollment-1');
    await fireEvent.click(within(active).getByRole('button', { name: 'Tuesday DBT Skills' }));
    expect(navigate).toHaveBeenCalledWith('groups', { groupId: 10 });
  });

  it('names one-to-one work without a group page to open', async () => {
    api.clientEnrollments.mockResolvedValue(
      ok([
        enrollment(4, {
          groupId: 20,
          groupName: 'Individual session',
          groupFormat: 'individual',
          status: 'active',
        }),
      ]),
    );
    render(ClientProfile, { clientId: 7 });
    const pairing = await screen.findByTestId('enrollment-4');
    expect(within(pairing).getByTestId('enrollment-4-pairing').textContent).toContain(
      'Individual sessions',
    );
    expect(within(pairing).queryByRole('button', { name: /Individual session/ })).toBeNull();
  });

  it('lists upcoming and past appointments in the practice zone with the clinician', async () => {
    render(ClientProfile, { clientId: 7 });
    const upcoming = await screen.findByTestId('appointments-upcoming');
    const next = within(upcoming).getByTestId('appointment-2');
    expect(next.textContent).toContain('Check-in');
    expect(next.textContent).toContain('Cancelled');
    expect(next.textContent).toContain('Oak Room');
    expect(next.textContent).toContain('Inès Duarte');
    expect(next.textContent).toContain('2099');
    // 09:00 UTC is 10:00 in Dublin in May (summer time).
    expect(next.textContent).toContain('10:00–10:30');

    const earlier = within(screen.getByTestId('appointments-past')).getByTestId('appointment-1');
    expect(earlier.textContent).toContain('Intake');
    expect(earlier.textContent).toContain('Willow Room');
    expect(earlier.textContent).not.toContain('Cancelled');
  });

  it('shows recent attendance as words, and nothing still to come', async () => {
    // Today is pinned (Date only; timers stay real) so "this year" is the
    // fixture's 2024 whatever the calendar says.
    vi.setSystemTime(new Date('2024-06-01T12:00:00Z'));
    render(ClientProfile, { clientId: 7 });
    const table = await screen.findByTestId('attendance');
    expect(within(table).queryByTestId('attendance-100')).toBeNull();
    expect(within(table).getByTestId('attendance-99').textContent).toContain('Not recorded');
    expect(within(table).getByTestId('attendance-98').textContent).toContain('No-show');
    expect(within(table).getByTestId('attendance-97').textContent).toContain('Session cancelled');
    const late = within(table).getByTestId('attendance-96');
    expect(late.textContent).toContain('Late');
    expect(late.textContent).toContain('Spring Anxiety Cohort');
    expect(late.textContent).toContain('2023');
    // In the current year the date reads as datetime.ts says it, without the
    // year; an earlier year's date carries its year.
    expect(todayInPracticeZone(TZ)).toBe('2024-06-01');
    const sameYear = formatInstant('2024-03-05T18:00:00Z', TZ);
    const row98 = within(table).getByTestId('attendance-98').textContent;
    expect(row98).toContain(sameYear);
    expect(row98).not.toContain('2024');
  });

  it('shows the latest 20 sessions, and all on request', async () => {
    api.clientAttendance.mockResolvedValue(
      ok(
        Array.from({ length: 26 }, (_, i) =>
          line(200 - i, {
            startsAt: new Date(Date.UTC(2024, 0, 1 + 26 - i, 18)).toISOString(),
            status: 'present',
          }),
        ),
      ),
    );
    render(ClientProfile, { clientId: 7 });
    const table = await screen.findByTestId('attendance');
    expect(within(table).getAllByRole('row')).toHaveLength(21);
    expect(within(table).getByTestId('attendance-200')).toBeTruthy();
    expect(within(table).queryByTestId('attendance-175')).toBeNull();

    await fireEvent.click(screen.getByTestId('attendance-toggle'));
    expect(within(table).getAllByRole('row')).toHaveLength(27);
    expect(within(table).getByTestId('attendance-175')).toBeTruthy();
  });

  it('keeps other cards when one cannot load', async () => {
    api.clientAppointments.mockResolvedValue(refused('forbidden', 'Not for this role.'));
    render(ClientProfile, { clientId: 7 });
    expect((await screen.findByRole('alert')).textContent).toContain('Not for this role.');
    expect(await screen.findByTestId('enrollment-1')).toBeTruthy();
    expect(await screen.findByTestId('attendance')).toBeTruthy();
  });

  it('still lists the groups when the series totals cannot load', async () => {
    api.clientSeriesCompletion.mockResolvedValue(refused('forbidden', 'Not for this role.'));
    render(ClientProfile, { clientId: 7 });
    const active = await screen.findByTestId('enrollment-1');
    expect(
      await screen.findByText('Attendance totals for some series could not be shown.'),
    ).toBeTruthy();
    expect(active.textContent).toContain('Tuesday DBT Skills');
    expect(active.textContent).not.toContain('attended');
  });

  it('edits the details in place', async () => {
    api.clientUpdate.mockResolvedValue(
      ok(client(7, { ...calledZo, pronouns: 'they/them', status: 'active' })),
    );
    const onChanged = vi.fn();
    render(ClientProfile, { clientId: 7, onChanged });
    await screen.findByTestId('client-name');
    await fireEvent.click(screen.getByTestId('client-edit'));
    const pronouns = document.querySelector<HTMLInputElement>('input[name="pronouns"]')!;
    expect(pronouns.value).toBe('she/her');
    await fireEvent.input(pronouns, { target: { value: 'they/them' } });
    await fireEvent.click(screen.getByTestId('client-save'));

    await waitFor(() =>
      expect(screen.getByTestId('client-pronouns').textContent).toBe('(they/them)'),
    );
    expect(api.clientUpdate).toHaveBeenCalledWith(7, expect.objectContaining({ pronouns: 'they/them' }));
    expect(onChanged).toHaveBeenCalled();
    expect(document.querySelector('input[name="pronouns"]')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('client-edit')));
  });

  it('says so when the client cannot be opened', async () => {
    api.clientGet.mockResolvedValue(refused('notFound', 'That client is not on file.'));
    render(ClientProfile, { clientId: 7 });
    expect((await screen.findByRole('alert')).textContent).toContain('That client is not on file.');
    expect(api.clientEnrollments).not.toHaveBeenCalled();
  });

});

describe('ClientProfile chart', () => {
  it('shows the goals with their trend and the signed notes to people who may read notes', async () => {
    api.clientGoals.mockResolvedValue(
      ok([progress(goal(1), [point(110, '2024-03-05', 3, 'Spoke twice.')])]),
    );
    api.clientNotes.mockResolvedValue(ok(chartPage([chartNote(110)])));
    render(ClientProfile, { clientId: 7 });

    const goals = await screen.findByTestId('client-goals');
    const first = await within(goals).findByTestId('goal-1');
    expect(api.clientGoals).toHaveBeenCalledWith(7);
    expect((await within(first).findByTestId('trend-chart')).getAttribute('data-points')).toBe('1');
    expect(plots.made).toEqual([[[expect.any(Number)], [3]]]);
    expect(first.textContent).toContain('Spoke twice.');
    expect(within(goals).getByRole('heading', { level: 2 }).textContent).toBe('Goals');

    const notes = screen.getByTestId('client-notes');
    const note = await within(notes).findByTestId('chart-note-110');
    expect(api.clientNotes).toHaveBeenCalledWith(7, 'all', null);
    expect(within(notes).getByRole('heading', { level: 2 }).textContent).toBe('Notes');
    expect(note.textContent).toContain('Member B shared first.');
    // The member's section is named with the name the client goes by.
    expect(note.textContent).toContain("Zo's section");
  });

  it('shows the empty states', async () => {
    render(ClientProfile, { clientId: 7 });
    expect((await screen.findByTestId('goals-empty')).textContent).toContain('No goals yet.');
    expect((await screen.findByTestId('notes-empty')).textContent).toContain(
      'No signed notes yet.',
    );
    expect((await screen.findByTestId('consents-empty')).textContent).toContain(
      'No consents on file.',
    );
    expect((await screen.findByTestId('disclosures-empty')).textContent).toContain(
      'Nothing from this record has been released.',
    );
    expect(api.clientConsents).toHaveBeenCalledWith(7);
    expect(api.clientDisclosures).toHaveBeenCalledWith(7);
  });

  it('reloads the goals and the notes after a goal is saved', async () => {
    const created = goal(5, { text: 'Use one skill a day' });
    api.goalCreate.mockResolvedValue(ok(created));
    render(ClientProfile, { clientId: 7 });
    await fireEvent.click(await screen.findByTestId('goal-add'));
    await screen.findByTestId('notes-empty');
    api.clientGoals.mockResolvedValue(ok([progress(created)]));
    await fireEvent.input(screen.getByTestId('goal-text'), {
      target: { value: 'Use one skill a day' },
    });
    await fireEvent.click(screen.getByTestId('goal-save'));

    expect(await screen.findByTestId('goal-5')).toBeTruthy();
    expect(api.goalCreate).toHaveBeenCalledWith(7, {
      text: 'Use one skill a day',
      startedOn: todayInPracticeZone(TZ),
      targetOn: null,
      status: 'active',
    });
    expect(api.clientGoals).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(api.clientNotes).toHaveBeenCalledTimes(2));
  });

  it('says calmly when the chart is outside the groups this clinician facilitates', async () => {
    signin.signedIn = person({
      timezone: TZ,
      role: 'clinician',
      roleLabel: 'Clinician',
      capabilities: ['scheduling', 'readWriteNotes', 'sign'],
    });
    api.clientGoals.mockResolvedValue(refused('forbidden', 'Not one of your groups.'));
    api.clientNotes.mockResolvedValue(refused('forbidden', 'Not one of your groups.'));
    render(ClientProfile, { clientId: 7 });
    const sentence = 'You can read notes only for clients in groups you facilitate.';
    expect((await screen.findByTestId('goals-out-of-scope')).textContent).toBe(sentence);
    expect((await screen.findByTestId('notes-out-of-scope')).textContent).toBe(sentence);
    await screen.findByTestId('consents-empty');
    await screen.findByTestId('disclosures-empty');
    await screen.findByTestId('attendance');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps the rest of the profile when the notes cannot load', async () => {
    api.clientNotes.mockResolvedValue(refused('storage', 'Circle could not read the notes.'));
    render(ClientProfile, { clientId: 7 });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Circle could not read the notes.');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
    expect(await screen.findByTestId('goals-empty')).toBeTruthy();
    expect(await screen.findByTestId('attendance')).toBeTruthy();
  });

  for (const [who, signedIn] of [
    ['the front desk', () => frontDesk({ timezone: TZ })],
    ['a practice manager', () => ({ ...manager(), timezone: TZ })],
  ] as const) {
    it(`shows nothing clinical to ${who}, and asks for none of it`, async () => {
      signin.signedIn = signedIn();
      render(ClientProfile, { clientId: 7 });
      await screen.findByTestId('attendance');
      await screen.findByTestId('enrollment-1');
      expect(screen.queryByTestId('client-goals')).toBeNull();
      expect(screen.queryByTestId('client-notes')).toBeNull();
      expect(screen.queryByTestId('client-consents')).toBeNull();
      expect(screen.queryByTestId('client-disclosures')).toBeNull();
      expect(screen.queryByTestId('goal-add')).toBeNull();
      const text = screen.getByTestId('client-profile').textContent ?? '';
      expect(text).not.toMatch(/\bnotes?\b/i);
      expect(text).not.toMatch(/\bgoals?\b/i);
      expect(api.clientGoals).not.toHaveBeenCalled();
      expect(api.clientNotes).not.toHaveBeenCalled();
      expect(api.goalCreate).not.toHaveBeenCalled();
      expect(api.goalUpdate).not.toHaveBeenCalled();
      expect(api.clientConsents).not.toHaveBeenCalled();
      expect(api.clientDisclosures).not.toHaveBeenCalled();
    });
  }
});
