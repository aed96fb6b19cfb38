import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Agenda, Appointment, GroupSession, Room, StaffMember } from '../../lib/api';
import { signin } from '../../lib/signin.svelte';
import { frontDesk, ok, refused } from '../../lib/testing/fixtures';
import { client } from '../clients/fixtures';
import ScheduleScreen from './ScheduleScreen.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  agenda: vi.fn(),
  roomList: vi.fn(),
  staffDirectory: vi.fn(),
  clientSearch: vi.fn(),
  clientGet: vi.fn(),
  appointmentBook: vi.fn(),
  appointmentCancel: vi.fn(),
  appointmentMove: vi.fn(),
  nextFreeSlot: vi.fn(),
  availabilityGet: vi.fn(),
  availabilitySet: vi.fn(),
  individualBook: vi.fn(),
  sessionMove: vi.fn(),
  sessionCancelCheck: vi.fn(),
  sessionCancel: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

const rooms: Room[] = [
  { id: 1, name: 'Garden Room', capacity: 10, active: true },
  { id: 2, name: 'Blue Room', capacity: 3, active: true },
  { id: 3, name: 'Old Annex', capacity: 8, active: false },
];

const staff: StaffMember[] = [
  { id: 2, username: 'ana', fullName: 'Ana Lindqvist', role: 'clinician', clinical: true, active: true, supervisorId: null },
  { id: 3, username: 'ben', fullName: 'Ben Osei', role: 'supervisor', clinical: true, active: true, supervisorId: null },
  { id: 4, username: 'sam', fullName: 'Sam Okafor', role: 'frontDesk', clinical: false, active: true, supervisorId: null },
  { id: 5, username: 'cleo', fullName: 'Cleo Marsh', role: 'clinician', clinical: true, active: true, supervisorId: null },
];

// The week of Monday 25 March 2030 in London; the clocks go forward on Sunday 31st.
const dbt: GroupSession = {
  id: 5,
  groupId: 8,
  groupName: 'DBT Skills',
  format: 'group',
  clientNames: [],
  seriesId: 1,
  seq: 3,
  roomId: 1,
  roomName: 'Garden Room',
  startsAt: '2030-03-26T18:00:00Z',
  endsAt: '2030-03-26T19:30:00Z',
  status: 'scheduled',
  isException: false,
  membersBooked: 7,
  facilitatorIds: [2, 3],
  hasNote: false,
};

const checkIn: Appointment = {
  id: 9,
  kind: 'checkIn',
  clientId: 101,
  clinicianId: 2,
  clientName: 'Mari Ortega',
  clinicianName: 'Ana Lindqvist',
  roomId: 2,
  roomName: 'Blue Room',
  startsAt: '2030-03-28T10:00:00Z',
  endsAt: '2030-03-28T10:30:00Z',
  cancelled: false,
  attendance: null,
};

function week(overrides: Partial<Agenda> = {}): Agenda {
  return {
    from: '2030-03-25',
    to: '2030-04-01',
    sessions: [dbt],
    appointments: [checkIn],
    waitlists: [],
    ...overrides,
  };
}

function field(name: string): HTMLInputElement | HTMLSelectElement {
  const element = document.querySelector(`[name="${name}"]`);
  if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) {
    throw new Error(`no field named ${name}`);
  }
  return element;
}

async function choose(name: string, value: string) {
  await fireEvent.change(field(name), { target: { value } });
}

async function type(name: string, value: string) {
  await fireEvent.input(field(name), { target: { value } });
}

/** The row header of the table row an element sits in. */
function rowOf(element: HTMLElement): string {
  return element.closest('tr')?.querySelector('th')?.textContent ?? '';
}

/** 0 = Monday … 6 = Sunday: the column an element sits in. */
function dayOf(element: HTMLElement): number {
  return (element.closest('td') as HTMLTableCellElement).cellIndex - 1;
}

beforeEach(() => {
  localStorage.clear();
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signIn(frontDesk({ timezone: 'Europe/London' }));
  signin.target = { date: '2030-03-27' };
  api.currentSignIn.mockResolvedValue(ok(frontDesk({ timezone: 'Europe/London' })));
  api.agenda.mockResolvedValue(ok(week()));
  api.roomList.mockResolvedValue(ok(rooms));
  api.staffDirectory.mockResolvedValue(ok(staff));
  api.clientSearch.mockResolvedValue(
    ok({
      items: [
        {
          id: 101,
          recordNumber: 'C-000101',
          displayName: 'Marisol Ortega',
          legalName: 'Marisol Ortega',
          dateOfBirth: '1988-04-02',
          status: 'active',
        },
      ],
      total: 1,
    }),
  );
});

afterEach(() => {
  signin.clearAll();
});

async function renderWeek() {
  render(ScheduleScreen);
  return screen.findByTestId('item-session-5');
}

describe('ScheduleScreen week view', () => {
  it('asks for the week from its Monday and puts a session under its room', async () => {
    const item = await renderWeek();
    expect(api.agenda).toHaveBeenCalledWith('2030-03-25', 7);
    expect(screen.getByTestId('week-heading').textContent).toContain('Mon 25 Mar');
    expect(screen.getByTestId('week-heading').textContent).toContain('Sun 31 Mar');

    expect(screen.getAllByTestId('item-session-5')).toHaveLength(1);
    expect(rowOf(item)).toContain('Garden Room');
    expect(dayOf(item)).toBe(1);
    expect(item.textContent).toContain('18:00–19:30');
    expect(item.textContent).toContain('DBT Skills');

    const appointment = screen.getByTestId('item-appointment-9');
    expect(rowOf(appointment)).toContain('Blue Room');
    expect(dayOf(appointment)).toBe(3);
    expect(appointment.textContent).toContain('Check-in');
    // An archived room with nothing in it has no row.
    expect(screen.queryByTestId('row-room-3')).toBeNull();
  });

  it('puts a session under each facilitator in the clinician view', async () => {
    await renderWeek();
    await fireEvent.click(screen.getByTestId('view-by-clinician'));
    expect(screen.getByTestId('view-by-clinician').getAttribute('aria-pressed')).toBe('true');

    const items = screen.getAllByTestId('item-session-5');
    expect(items).toHaveLength(2);
    expect(items.some((item) => rowOf(item).includes('Ana Lindqvist'))).toBe(true);
    expect(items.some((item) => rowOf(item).includes('Ben Osei'))).toBe(true);
    expect(items.every((item) => dayOf(item) === 1)).toBe(true);
    expect(rowOf(screen.getByTestId('item-appointment-9'))).toContain('Ana Lindqvist');

    // Clinical roles only: the front desk has no row, a clinician with nothing booked does.
    expect(screen.queryByTestId('row-clinician-4')).toBeNull();
    expect(screen.getByTestId('row-clinician-5')).toBeTruthy();

    await fireEvent.click(screen.getByTestId('view-by-room'));
    expect(screen.getAllByTestId('item-session-5')).toHaveLength(1);
  });

  it('keeps 18:00 at 18:00 after the clocks change and strikes cancelled items', async () => {
    api.agenda.mockResolvedValue(
      ok(
        week({
          from: '2030-04-01',
          to: '2030-04-08',
          sessions: [
            {
              ...dbt,
              id: 6,
              startsAt: '2030-04-02T17:00:00Z',
              endsAt: '2030-04-02T18:30:00Z',
              status: 'cancelled',
            },
          ],
          appointments: [],
        }),
      ),
    );
    signin.target = { date: '2030-04-03' };
    render(ScheduleScreen);
    const item = await screen.findByTestId('item-session-6');
    expect(item.textContent).toContain('18:00–19:30');
    expect(item.textContent).toContain('Cancelled');
    expect(item.classList.contains('cancelled')).toBe(true);
  });

  it('moves between weeks', async () => {
    await renderWeek();
    await fireEvent.click(screen.getByTestId('week-next'));
    await waitFor(() => expect(api.agenda).toHaveBeenLastCalledWith('2030-04-01', 7));
    await fireEvent.click(screen.getByTestId('week-previous'));
    await waitFor(() => expect(api.agenda).toHaveBeenLastCalledWith('2030-03-25', 7));
    await fireEvent.change(field('weekOf'), { target: { value: '2030-05-09' } });
    await waitFor(() => expect(api.agenda).toHaveBeenLastCalledWith('2030-05-06', 7));
  });

  it('opens a session summary with a way to its group', async () => {
    const navigate = vi.spyOn(signin, 'navigate');
    await fireEvent.click(await renderWeek());
    const popover = screen.getByTestId('session-popover');
    expect(popover.textContent).toContain('DBT Skills');
    expect(popover.textContent).toContain('Garden Room');
    expect(popover.textContent).toContain('Ana Lindqvist, Ben Osei');
    await fireEvent.click(screen.getByTestId('session-open-group'));
    expect(navigate).toHaveBeenCalledWith('groups', { groupId: 8 });
  });

  it("shows an appointment's client and clinician by the names Rust sends", async () => {
    // A clinician since deactivated is no longer in the directory; the
    // appointment still names them.
    api.agenda.mockResolvedValue(
      ok(week({ appointments: [{ ...checkIn, clinicianId: 9, clinicianName: 'Rhea Vance' }] })),
    );
    api.clientGet.mockResolvedValue(
      ok(
        client(101, {
          recordNumber: 'C-000101',
          legalFirstName: 'Marisol',
          legalLastName: 'Ortega',
          preferredName: 'Mari',
          firstName: 'Mari',
          displayName: 'Mari Ortega',
          legalName: 'Marisol Ortega',
        }),
      ),
    );
    await renderWeek();
    const item = screen.getByTestId('item-appointment-9');
    expect(item.textContent).toContain('Rhea Vance');
    await fireEvent.click(item);
    const popover = screen.getByTestId('appointment-popover');
    await waitFor(() =>
      expect(screen.getByTestId('appointment-client').textContent).toContain(
        'Mari Ortega · C-000101',
      ),
    );
    expect(popover.textContent).toContain('Rhea Vance');
    expect(api.clientGet).toHaveBeenCalledWith(101);
  });

  it("names an appointment's client in the week grid, and its recorded attendance", async () => {
    api.agenda.mockResolvedValue(
      ok(
        week({
          appointments: [
            {
              ...checkIn,
              attendance: { appointmentId: 9, status: 'noShow', arrivedAt: null, leftAt: null },
            },
          ],
        }),
      ),
    );
    api.clientGet.mockResolvedValue(refused('notFound', 'That client is not in this practice.'));
    await renderWeek();
    const item = screen.getByTestId('item-appointment-9');
    expect(screen.getByTestId('item-appointment-9-client').textContent?.trim()).toBe('Mari Ortega');
    expect(item.getAttribute('aria-label')).toContain('Check-in, Mari Ortega');
    await fireEvent.click(item);
    // The name shows at once (and stays if the record number cannot be read).
    await waitFor(() =>
      expect(screen.getByTestId('appointment-client').textContent).toContain('Mari Ortega'),
    );
    expect(screen.getByTestId('appointment-attendance').textContent).toContain('✕ No-show');
  });

  it('cancels an appointment after asking', async () => {
    api.clientGet.mockResolvedValue(refused('notFound', 'That client is not in this practice.'));
    await renderWeek();
    await fireEvent.click(screen.getByTestId('item-appointment-9'));
    await fireEvent.click(screen.getByTestId('appointment-cancel'));
    expect(screen.getByTestId('appointment-cancel-dialog').textContent).toContain('Check-in');
    api.appointmentCancel.mockResolvedValue(ok({ ...checkIn, cancelled: true }));
    const calls = api.agenda.mock.calls.length;
    await fireEvent.click(screen.getByTestId('appointment-cancel-confirm'));
    expect(api.appointmentCancel).toHaveBeenCalledWith(9);
    await waitFor(() => expect(screen.queryByTestId('appointment-cancel-dialog')).toBeNull());
    expect(api.agenda.mock.calls.length).toBe(calls + 1);
  });

  it("edits a clinician's weekly hours", async () => {
    api.availabilityGet.mockResolvedValue(ok([{ weekday: 0, startTime: '09:00', endTime: '12:00' }]));
    await renderWeek();
    await fireEvent.click(screen.getByTestId('view-by-clinician'));
    await fireEvent.click(screen.getByTestId('availability-2'));
    const dialog = screen.getByTestId('availability-dialog');
    await within(dialog).findByTestId('availability-row-0');
    expect(api.availabilityGet).toHaveBeenCalledWith(2);

    await fireEvent.click(screen.getByTestId('availability-add'));
    await choose('weekday-1', '2');
    await type('startTime-1', '14:00');
    await type('endTime-1', '13:00');
    await fireEvent.click(screen.getByTestId('availability-save'));
    expect((await screen.findByTestId('error-endTime-1')).textContent).toContain('after the start');
    expect(api.availabilitySet).not.toHaveBeenCalled();

    await type('endTime-1', '18:00');
    api.availabilitySet.mockImplementation(async (_id: number, blocks: unknown) => ok(blocks));
    await fireEvent.click(screen.getByTestId('availability-save'));
    expect(api.availabilitySet).toHaveBeenCalledWith(2, [
      { weekday: 0, startTime: '09:00', endTime: '12:00' },
      { weekday: 2, startTime: '14:00', endTime: '18:00' },
    ]);
    expect(await screen.findByTestId('availability-saved')).toBeTruthy();
  });
});

describe('booking an appointment', () => {
  /** "Book an appointment" on a future week starts on its Monday. */
  async function openForm() {
    await renderWeek();
    await fireEvent.click(screen.getByTestId('book-open'));
    expect(field('date').value).toBe('2030-03-25');
    return screen.getByTestId('book-dialog');
  }

  async function pickClient() {
    await type('clientId', 'Mari');
    await fireEvent.click(await screen.findByTestId('book-client-pick-101'));
  }

  it('opens from an empty cell with that day and room', async () => {
    await renderWeek();
    await fireEvent.click(screen.getByTestId('book-cell-2-2030-03-29'));
    expect(screen.getByTestId('book-dialog')).toBeTruthy();
    expect(field('date').value).toBe('2030-03-29');
    expect(field('roomId').value).toBe('2');
    expect(field('durationMinutes').value).toBe('60');
    expect([...(field('clinicianId') as HTMLSelectElement).options].map((o) => o.text)).toEqual([
      'Choose a clinician',
      'Ana Lindqvist',
      'Ben Osei',
      'Cleo Marsh',
    ]);
  });

  it('fills the date and time from the next free slot', async () => {
    await openForm();
    await choose('clinicianId', '2');
    await type('durationMinutes', '45');
    api.nextFreeSlot.mockResolvedValue(
      ok({
        date: '2030-03-28',
        startTime: '11:00',
        startsAt: '2030-03-28T11:00:00Z',
        endsAt: '2030-03-28T11:45:00Z',
      }),
    );
    await fireEvent.click(screen.getByTestId('find-next-slot'));

    expect(api.nextFreeSlot).toHaveBeenCalledWith(2, null, '2030-03-25', 45);
    expect((await screen.findByTestId('next-slot-result')).textContent).toContain(
      'Thu 28 Mar, 11:00 is free for Ana Lindqvist',
    );
    expect(field('date').value).toBe('2030-03-28');
    expect(field('startTime').value).toBe('11:00');
  });

  it('says when there is no free slot, and offers to set hours when there are none', async () => {
    await openForm();
    await choose('clinicianId', '3');
    await choose('roomId', '1');
    api.nextFreeSlot.mockResolvedValueOnce(ok(null));
    await fireEvent.click(screen.getByTestId('find-next-slot'));
    expect(api.nextFreeSlot).toHaveBeenCalledWith(3, 1, '2030-03-25', 60);
    expect((await screen.findByTestId('next-slot-result')).textContent).toContain(
      'No free slot in the next 90 days',
    );

    api.nextFreeSlot.mockResolvedValueOnce(
      refused('invalid', 'This clinician has no availability set. Add their hours first.', 'clinicianId'),
    );
    api.availabilityGet.mockResolvedValue(ok([]));
    await fireEvent.click(screen.getByTestId('find-next-slot'));
    await waitFor(() =>
      expect(screen.getByTestId('next-slot-result').textContent).toContain('no availability set'),
    );
    await fireEvent.click(screen.getByTestId('next-slot-set-hours'));
    expect(await screen.findByTestId('availability-editor-3')).toBeTruthy();
    expect(api.availabilityGet).toHaveBeenCalledWith(3);
    // A step of its own: the booking form steps aside (one row of buttons)…
    expect(screen.getByTestId('book-form').hidden).toBe(true);
    expect(screen.getByTestId('book-hours-step').textContent).toContain("Ben Osei's hours");
    expect(screen.queryByTestId('book-submit')).not.toBeNull();
    expect(screen.getAllByRole('button', { name: /Save hours|Book$/ })).toHaveLength(1);
    // …and comes back as it was left.
    await fireEvent.click(screen.getByTestId('availability-close'));
    expect(screen.queryByTestId('book-hours-step')).toBeNull();
    expect(screen.getByTestId('book-form').hidden).toBe(false);
    expect(field('clinicianId').value).toBe('3');
    expect(field('roomId').value).toBe('1');
  });

  it('asks for the clinician before looking for a slot', async () => {
    await openForm();
    await fireEvent.click(screen.getByTestId('find-next-slot'));
    expect((await screen.findByTestId('error-clinicianId')).textContent).toContain('clinician');
    expect(api.nextFreeSlot).not.toHaveBeenCalled();
  });

  it('shows a collision in book-error and keeps everything filled in', async () => {
    await openForm();
    await choose('kind', 'checkIn');
    await pickClient();
    await choose('clinicianId', '2');
    await choose('roomId', '1');
    await type('date', '2030-03-26');
    await type('startTime', '18:30');
    api.appointmentBook.mockResolvedValue(
      refused('conflict', 'Garden Room is taken then by DBT Skills (18:00–19:30).', 'roomId'),
    );
    await fireEvent.click(screen.getByTestId('book-submit'));

    expect(api.appointmentBook).toHaveBeenCalledWith({
      kind: 'checkIn',
      clientId: 101,
      clinicianId: 2,
      roomId: 1,
      date: '2030-03-26',
      startTime: '18:30',
      durationMinutes: 60,
    });
    expect((await screen.findByTestId('book-error')).textContent).toContain(
      'Garden Room is taken then by DBT Skills',
    );
    expect(screen.getByTestId('book-dialog')).toBeTruthy();
    expect(field('kind').value).toBe('checkIn');
    expect(screen.getByTestId('book-client-pick-chosen').textContent).toBe('Marisol Ortega');
    expect(field('clinicianId').value).toBe('2');
    expect(field('roomId').value).toBe('1');
    expect(field('date').value).toBe('2030-03-26');
    expect(field('startTime').value).toBe('18:30');
  });

  it('puts a field refusal beside its field', async () => {
    await openForm();
    await pickClient();
    await choose('clinicianId', '2');
    await choose('roomId', '1');
    await type('date', '2030-03-26');
    await type('startTime', '09:00');
    await type('durationMinutes', '600');
    api.appointmentBook.mockResolvedValue(
      refused('invalid', 'An appointment lasts between 5 minutes and 8 hours.', 'durationMinutes'),
    );
    await fireEvent.click(screen.getByTestId('book-submit'));
    expect((await screen.findByTestId('error-durationMinutes')).textContent).toContain('8 hours');
    expect(screen.queryByTestId('book-error')).toBeNull();
  });

  it('asks for the client before sending', async () => {
    await openForm();
    await fireEvent.click(screen.getByTestId('book-submit'));
    expect((await screen.findByTestId('error-clientId')).textContent).toContain('Choose the client');
    expect(api.appointmentBook).not.toHaveBeenCalled();
  });

  it('closes and refreshes the week once booked', async () => {
    await openForm();
    await pickClient();
    await choose('clinicianId', '2');
    await choose('roomId', '2');
    await type('date', '2030-03-29');
    await type('startTime', '09:00');
    api.appointmentBook.mockResolvedValue(
      ok({
        ...checkIn,
        id: 10,
        kind: 'intake',
        startsAt: '2030-03-29T09:00:00Z',
        endsAt: '2030-03-29T10:00:00Z',
      }),
    );
    const calls = api.agenda.mock.calls.length;
    await fireEvent.click(screen.getByTestId('book-submit'));
    await waitFor(() => expect(screen.queryByTestId('book-dialog')).toBeNull());
    expect(api.agenda.mock.calls.length).toBe(calls + 1);
    expect(screen.getByTestId('schedule-news').textContent).toContain('Booked: Intake screening');
  });
});

describe('booking an individual or family/couple session', () => {
  const FORBIDDEN =
    "This clinician does not see these clients yet. The first session is booked by an owner, practice manager or supervisor, because it opens the clients' records to the clinician.";

  // Everyone the client search knows, found by any part of their name.
  const people = [
    { id: 101, name: 'Marisol Ortega' },
    { id: 102, name: 'Luis Reyes' },
    { id: 103, name: 'Ana Reyes' },
  ];

  beforeEach(() => {
    api.clientSearch.mockImplementation(async (text: string) => {
      const items = people
        .filter((p) => p.name.toLowerCase().includes(text.toLowerCase()))
        .map((p) => ({
          id: p.id,
          recordNumber: `C-000${p.id}`,
          displayName: p.name,
          legalName: p.name,
          dateOfBirth: null,
          status: 'active',
        }));
      return ok({ items, total: items.length });
    });
  });

  async function openForm() {
    await renderWeek();
    await fireEvent.click(screen.getByTestId('book-open'));
    return screen.getByTestId('book-dialog');
  }

  /** Types part of a name into the picker `name` and picks the match with `id`. */
  async function pick(name: string, text: string, prefix: string, id: number) {
    await type(name, text);
    await fireEvent.click(await screen.findByTestId(`${prefix}-${id}`));
  }

  async function fillWhenAndWhere() {
    await choose('clinicianId', '2');
    await choose('roomId', '1');
    await type('date', '2030-03-26');
    await type('startTime', '09:00');
    await type('durationMinutes', '50');
  }

  function pairingSession(id: number, startsAt: string, overrides: Partial<GroupSession> = {}): GroupSession {
    return {
      ...dbt,
      id,
      groupId: 40,
      groupName: 'Individual session',
      format: 'individual',
      clientNames: ['Marisol Ortega'],
      seq: 1,
      startsAt,
      endsAt: startsAt.replace('09:00', '09:50'),
      membersBooked: 1,
      facilitatorIds: [2],
      ...overrides,
    };
  }

  function optionTexts(name: string): string[] {
    return [...(field(name) as HTMLSelectElement).options].map((o) => o.text);
  }

  it('offers the two kinds of session beside the appointments, each with its repeats and template', async () => {
    await openForm();
    expect(optionTexts('kind')).toEqual([
      'Intake screening',
      'Check-in',
      'Individual session',
      'Family/couple session',
    ]);
    // An appointment neither repeats nor has a note template.
    expect(document.querySelector('[name="repeat"]')).toBeNull();
    expect(document.querySelector('[name="noteTemplate"]')).toBeNull();

    await choose('kind', 'individual');
    expect(optionTexts('repeat')).toEqual(['Does not repeat', 'Weekly', 'Every two weeks']);
    expect(field('repeat').value).toBe('once');
    expect(document.querySelector('[name="sessions"]')).toBeNull();
    expect(optionTexts('noteTemplate')).toEqual([
      'GIRP (goals, intervention, response, plan)',
      'SOAP (subjective, objective, assessment, plan)',
      'DAP (data, assessment, plan)',
      'BIRP (behaviour, intervention, response, plan)',
    ]);
    expect(field('noteTemplate').value).toBe('soap');

    await choose('repeat', 'fortnightly');
    expect(field('sessions').value).toBe('6');
    expect(screen.getByLabelText('Number of sessions')).toBe(field('sessions'));
  });

  it('books a weekly run of individual sessions, then closes and refreshes the week', async () => {
    await openForm();
    await choose('kind', 'individual');
    await pick('clientId', 'Mari', 'book-client-pick', 101);
    await fillWhenAndWhere();
    await choose('repeat', 'weekly');
    await type('sessions', '4');
    await choose('noteTemplate', 'dap');
    const sessions = ['2030-03-26', '2030-04-02', '2030-04-09', '2030-04-16'].map((day, i) =>
      pairingSession(60 + i, `${day}T09:00:00Z`, { seq: i + 1 }),
    );
    api.individualBook.mockResolvedValue(ok({ groupId: 40, newPairing: true, sessions }));
    const calls = api.agenda.mock.calls.length;
    await fireEvent.click(screen.getByTestId('book-submit'));

    expect(api.individualBook).toHaveBeenCalledWith({
      format: 'individual',
      clientIds: [101],
      clinicianId: 2,
      roomId: 1,
      date: '2030-03-26',
      startTime: '09:00',
      durationMinutes: 50,
      repeat: 'weekly',
      sessions: 4,
      noteTemplate: 'dap',
    });
    expect(api.appointmentBook).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.queryByTestId('book-dialog')).toBeNull());
    expect(api.agenda.mock.calls.length).toBe(calls + 1);
    expect(screen.getByTestId('schedule-news').textContent).toContain(
      'Booked 4 sessions: Individual session · Marisol Ortega, the first on Tue 26 Mar, 09:00 in Garden Room.',
    );
  });

  it('books a family/couple session for two clients, with room for more', async () => {
    await openForm();
    await pick('clientId', 'Mari', 'book-client-pick', 101);
    await choose('kind', 'family');
    // The client chosen before the kind changed is still there, first of two.
    expect(screen.getByTestId('book-client-pick-chosen').textContent).toBe('Marisol Ortega');
    expect(screen.getByLabelText('Client 2')).toBe(field('clientId-2'));
    await pick('clientId-2', 'Luis', 'book-client-2-pick', 102);

    // A third line, then taken away again.
    await fireEvent.click(screen.getByTestId('book-client-add'));
    expect(document.activeElement).toBe(field('clientId-3'));
    await fireEvent.click(screen.getByTestId('book-client-remove-3'));
    expect(document.querySelector('[name="clientId-3"]')).toBeNull();
    expect(screen.queryByTestId('book-client-remove-1')).toBeNull();

    await fillWhenAndWhere();
    api.individualBook.mockResolvedValue(
      ok({
        groupId: 41,
        newPairing: true,
        sessions: [
          pairingSession(70, '2030-03-26T09:00:00Z', {
            groupId: 41,
            format: 'family',
            groupName: 'Family/couple session',
            clientNames: ['Luis Reyes', 'Marisol Ortega'],
            membersBooked: 2,
          }),
        ],
      }),
    );
    await fireEvent.click(screen.getByTestId('book-submit'));

    expect(api.individualBook).toHaveBeenCalledWith({
      format: 'family',
      clientIds: [101, 102],
      clinicianId: 2,
      roomId: 1,
      date: '2030-03-26',
      startTime: '09:00',
      durationMinutes: 50,
      repeat: 'once',
      sessions: 1,
      noteTemplate: 'soap',
    });
    await waitFor(() => expect(screen.queryByTestId('book-dialog')).toBeNull());
    expect(screen.getByTestId('schedule-news').textContent).toContain(
      'Booked: Family/couple session · Luis Reyes, Marisol Ortega, Tue 26 Mar, 09:00 in Garden Room.',
    );
  });

  it('asks for a second client before sending a family/couple session', async () => {
    await openForm();
    await choose('kind', 'family');
    await pick('clientId', 'Mari', 'book-client-pick', 101);
    await fillWhenAndWhere();
    await fireEvent.click(screen.getByTestId('book-submit'));
    expect((await screen.findByTestId('error-clientIds')).textContent).toContain(
      'Choose at least two clients',
    );
    expect(document.activeElement).toBe(field('clientId-2'));

    await pick('clientId-2', 'Mari', 'book-client-2-pick', 101);
    await fireEvent.click(screen.getByTestId('book-submit'));
    expect((await screen.findByTestId('error-clientIds')).textContent).toContain(
      'Marisol Ortega is chosen twice',
    );
    expect(api.individualBook).not.toHaveBeenCalled();
  });

  it('shows why a first session may not be booked here, above the buttons, and keeps the form', async () => {
    await openForm();
    await choose('kind', 'individual');
    await pick('clientId', 'Mari', 'book-client-pick', 101);
    await fillWhenAndWhere();
    await choose('repeat', 'weekly');
    await choose('noteTemplate', 'birp');
    api.individualBook.mockResolvedValue(refused('forbidden', FORBIDDEN));
    await fireEvent.click(screen.getByTestId('book-submit'));

    expect((await screen.findByTestId('book-error')).textContent).toBe(FORBIDDEN);
    // Above the buttons, inside the form that stays open.
    const error = screen.getByTestId('book-error');
    expect(
      error.compareDocumentPosition(screen.getByTestId('book-submit')) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(screen.getByTestId('book-dialog')).toBeTruthy();
    expect(field('kind').value).toBe('individual');
    expect(screen.getByTestId('book-client-pick-chosen').textContent).toBe('Marisol Ortega');
    expect(field('clinicianId').value).toBe('2');
    expect(field('roomId').value).toBe('1');
    expect(field('date').value).toBe('2030-03-26');
    expect(field('startTime').value).toBe('09:00');
    expect(field('durationMinutes').value).toBe('50');
    expect(field('repeat').value).toBe('weekly');
    expect(field('sessions').value).toBe('6');
    expect(field('noteTemplate').value).toBe('birp');
  });

  it('puts a refused number of sessions beside the number field', async () => {
    await openForm();
    await choose('kind', 'individual');
    await pick('clientId', 'Mari', 'book-client-pick', 101);
    await fillWhenAndWhere();
    await choose('repeat', 'weekly');
    await type('sessions', '60');
    api.individualBook.mockResolvedValue(
      refused('invalid', 'Book between 2 and 52 sessions at a time.', 'sessions'),
    );
    await fireEvent.click(screen.getByTestId('book-submit'));

    const error = await screen.findByTestId('error-sessions');
    expect(error.textContent).toContain('Book between 2 and 52 sessions at a time.');
    expect(field('sessions').getAttribute('aria-describedby')).toContain(error.id);
    expect(field('sessions').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field('sessions'));
    expect(screen.queryByTestId('book-error')).toBeNull();
    expect(field('sessions').value).toBe('60');
  });

  it('puts a refused client beside the one picker of an individual session', async () => {
    await openForm();
    await choose('kind', 'individual');
    await pick('clientId', 'Mari', 'book-client-pick', 101);
    await fillWhenAndWhere();
    api.individualBook.mockResolvedValue(
      refused('invalid', 'Marisol Ortega is discharged. Make them active first.', 'clientIds'),
    );
    await fireEvent.click(screen.getByTestId('book-submit'));
    expect((await screen.findByTestId('error-clientId')).textContent).toContain('is discharged');
    expect(screen.queryByTestId('book-error')).toBeNull();
  });
});

describe('an individual session on the schedule', () => {
  const kwame: GroupSession = {
    ...dbt,
    id: 61,
    groupId: 40,
    groupName: 'Individual session',
    format: 'individual',
    clientNames: ['Kwame Mensah'],
    seriesId: 9,
    seq: 2,
    roomId: 2,
    roomName: 'Blue Room',
    startsAt: '2030-03-27T09:00:00Z',
    endsAt: '2030-03-27T09:50:00Z',
    membersBooked: 1,
    facilitatorIds: [2],
  };

  beforeEach(() => {
    api.agenda.mockResolvedValue(ok(week({ sessions: [dbt, kwame] })));
  });

  it('reads by its kind and client in the grid and its summary, with no group to open', async () => {
    await renderWeek();
    const item = screen.getByTestId('item-session-61');
    expect(item.textContent).toContain('Individual session · Kwame Mensah');
    expect(item.textContent).toContain('Ana Lindqvist');
    expect(item.getAttribute('aria-label')).toContain('Individual session · Kwame Mensah');

    await fireEvent.click(item);
    const popover = screen.getByTestId('session-popover');
    expect(within(popover).getByRole('heading').textContent).toBe(
      'Individual session · Kwame Mensah',
    );
    expect(popover.textContent).toContain('Clinician');
    expect(screen.queryByTestId('session-open-group')).toBeNull();
    expect(popover.textContent).not.toContain('from its group');
    expect(screen.getByTestId('session-move')).toBeTruthy();
    expect(screen.getByTestId('session-cancel')).toBeTruthy();
  });

  it('is cancelled from its summary after asking, and the week is read again', async () => {
    await renderWeek();
    await fireEvent.click(screen.getByTestId('item-session-61'));
    api.sessionCancelCheck.mockResolvedValue(
      ok({ attendanceRecorded: 0, draftNote: false, signedNote: false }),
    );
    api.sessionCancel.mockResolvedValue(ok({ ...kwame, status: 'cancelled' }));
    await fireEvent.click(screen.getByTestId('session-cancel'));
    const dialog = await screen.findByTestId('cancel-dialog');
    expect(dialog.textContent).toContain('Individual session · Kwame Mensah');
    expect(api.sessionCancelCheck).toHaveBeenCalledWith(61);
    const calls = api.agenda.mock.calls.length;
    await waitFor(() =>
      expect(screen.getByTestId('cancel-confirm').getAttribute('aria-disabled')).toBeNull(),
    );
    await fireEvent.click(screen.getByTestId('cancel-confirm'));
    expect(api.sessionCancel).toHaveBeenCalledWith(61);
    await waitFor(() => expect(screen.queryByTestId('cancel-dialog')).toBeNull());
    expect(api.agenda.mock.calls.length).toBe(calls + 1);
    expect(screen.getByTestId('schedule-news').textContent).toContain(
      'Cancelled: Individual session · Kwame Mensah',
    );
  });
});

describe('moving an appointment', () => {
  async function openMove() {
    api.clientGet.mockResolvedValue(refused('notFound', 'That client is not in this practice.'));
    await renderWeek();
    await fireEvent.click(screen.getByTestId('item-appointment-9'));
    await fireEvent.click(screen.getByTestId('appointment-move'));
    const dialog = screen.getByTestId('appointment-move-dialog');
    expect(screen.queryByTestId('appointment-popover')).toBeNull();
    return dialog;
  }

  it('starts from where it is now, with focus inside, and Escape closes it', async () => {
    const dialog = await openMove();
    expect(dialog.textContent).toContain('Now: Thu 28 Mar, 10:00–10:30, Blue Room');
    expect(field('moveAppointmentDate').value).toBe('2030-03-28');
    expect(field('moveAppointmentStartTime').value).toBe('10:00');
    expect(field('moveAppointmentRoomId').value).toBe('2');
    // The archived room is not offered.
    expect([...(field('moveAppointmentRoomId') as HTMLSelectElement).options].map((o) => o.value)).toEqual([
      '',
      '1',
      '2',
    ]);
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));

    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('appointment-move-dialog')).toBeNull();
    expect(api.appointmentMove).not.toHaveBeenCalled();
  });

  it('sends the chosen date, time and room, then closes and refreshes the week', async () => {
    await openMove();
    await type('moveAppointmentDate', '2030-03-29');
    await type('moveAppointmentStartTime', '14:30');
    await choose('moveAppointmentRoomId', '1');
    api.appointmentMove.mockResolvedValue(
      ok({
        ...checkIn,
        roomId: 1,
        roomName: 'Garden Room',
        startsAt: '2030-03-29T14:30:00Z',
        endsAt: '2030-03-29T15:00:00Z',
      }),
    );
    const calls = api.agenda.mock.calls.length;
    await fireEvent.click(screen.getByTestId('appointment-move-confirm'));

    expect(api.appointmentMove).toHaveBeenCalledWith(9, '2030-03-29', '14:30', 1);
    await waitFor(() => expect(screen.queryByTestId('appointment-move-dialog')).toBeNull());
    expect(api.agenda.mock.calls.length).toBe(calls + 1);
    expect(api.agenda).toHaveBeenLastCalledWith('2030-03-25', 7);
    expect(screen.getByTestId('schedule-news').textContent).toContain(
      'Moved: Check-in, now Fri 29 Mar, 14:30 in Garden Room',
    );
  });

  it('shows a collision inside the dialog and keeps what was chosen', async () => {
    await openMove();
    await type('moveAppointmentDate', '2030-03-26');
    await type('moveAppointmentStartTime', '18:30');
    await choose('moveAppointmentRoomId', '1');
    api.appointmentMove.mockResolvedValue(
      refused('conflict', 'Garden Room is taken then by DBT Skills (18:00–19:30).', 'roomId'),
    );
    const calls = api.agenda.mock.calls.length;
    await fireEvent.click(screen.getByTestId('appointment-move-confirm'));

    expect(api.appointmentMove).toHaveBeenCalledWith(9, '2030-03-26', '18:30', 1);
    const error = await screen.findByTestId('appointment-move-error');
    expect(error.textContent).toContain('Garden Room is taken then by DBT Skills');
    expect(screen.getByTestId('appointment-move-dialog').contains(error)).toBe(true);
    expect(screen.queryByTestId('error-moveAppointmentRoomId')).toBeNull();
    expect(field('moveAppointmentDate').value).toBe('2030-03-26');
    expect(field('moveAppointmentStartTime').value).toBe('18:30');
    expect(field('moveAppointmentRoomId').value).toBe('1');
    expect(api.agenda.mock.calls.length).toBe(calls);
    expect(screen.queryByTestId('schedule-news')).toBeNull();
  });

  it('puts a field refusal beside its field', async () => {
    await openMove();
    await type('moveAppointmentStartTime', '23:45');
    api.appointmentMove.mockResolvedValue(
      refused('invalid', 'An appointment must end on the day it starts.', 'startTime'),
    );
    await fireEvent.click(screen.getByTestId('appointment-move-confirm'));
    expect((await screen.findByTestId('error-moveAppointmentStartTime')).textContent).toContain(
      'end on the day it starts',
    );
    expect(screen.queryByTestId('appointment-move-error')).toBeNull();
    expect(document.activeElement).toBe(field('moveAppointmentStartTime'));
    expect(screen.getByTestId('appointment-move-dialog')).toBeTruthy();
  });

  it('asks for a whole date before sending', async () => {
    await openMove();
    await type('moveAppointmentDate', '');
    await fireEvent.click(screen.getByTestId('appointment-move-confirm'));
    expect((await screen.findByTestId('error-moveAppointmentDate')).textContent).toContain('Enter a date');
    expect(api.appointmentMove).not.toHaveBeenCalled();
  });
});

describe('ScheduleScreen fitting the window', () => {
  /** The width the screen measures itself at (jsdom lays nothing out). */
  let width = 0;
  const real = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth');

  beforeEach(() => {
    width = 0;
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
      configurable: true,
      get: () => width,
    });
  });

  afterEach(() => {
    if (real) Object.defineProperty(HTMLElement.prototype, 'clientWidth', real);
  });

  function dayHeads(): string[] {
    return screen
      .getAllByTestId(/^day-head-/)
      .map((th) => th.getAttribute('data-testid')?.slice('day-head-'.length) ?? '');
  }

  it('shows the seven days side by side where they fit', async () => {
    width = 1000;
    await renderWeek();
    expect(dayHeads()).toHaveLength(7);
    expect(screen.queryByTestId('day-tabs')).toBeNull();
  });

  it('shows one day at a time when the window is narrow, chosen by its tab', async () => {
    width = 600;
    render(ScheduleScreen);
    await screen.findByTestId('week-grid');
    // The week of 25 March is not this week: it opens on its Monday.
    expect(dayHeads()).toEqual(['2030-03-25']);
    const tabs = within(screen.getByTestId('day-tabs')).getAllByRole('button');
    expect(tabs).toHaveLength(7);
    expect(screen.queryByTestId('item-session-5')).toBeNull();

    await fireEvent.click(screen.getByTestId('day-tab-2030-03-26'));
    expect(dayHeads()).toEqual(['2030-03-26']);
    expect(screen.getByTestId('day-tab-2030-03-26').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('item-session-5')).toBeTruthy();

    // Wider again: the whole week comes back.
    width = 1000;
    window.dispatchEvent(new Event('resize'));
    await waitFor(() => expect(dayHeads()).toHaveLength(7));
    expect(screen.queryByTestId('day-tabs')).toBeNull();
  });

  it('remembers Monday to Friday for the person who chose it, not for others', async () => {
    width = 1000;
    await renderWeek();
    expect(screen.getByTestId('span-7').getAttribute('aria-pressed')).toBe('true');
    await fireEvent.click(screen.getByTestId('span-5'));
    expect(dayHeads()).toEqual(['2030-03-25', '2030-03-26', '2030-03-27', '2030-03-28', '2030-03-29']);
    expect(screen.getByTestId('week-heading').textContent).toContain('Fri 29 Mar');

    // Next time the schedule opens, the same person sees the same five days…
    cleanup();
    await renderWeek();
    expect(dayHeads()).toHaveLength(5);
    expect(screen.getByTestId('span-5').getAttribute('aria-pressed')).toBe('true');

    // …someone else signing in on this computer still sees the whole week.
    cleanup();
    signin.signIn(frontDesk({ timezone: 'Europe/London', staffId: 9, username: 'lee' }));
    signin.target = { date: '2030-03-27' };
    await renderWeek();
    expect(dayHeads()).toHaveLength(7);
  });

  it('says when Monday to Friday leaves bookings on the weekend out of view', async () => {
    width = 1000;
    localStorage.setItem('circle.schedule.daySpan.4', '5');
    api.agenda.mockResolvedValue(
      ok(week({ appointments: [{ ...checkIn, startsAt: '2030-03-30T10:00:00Z', endsAt: '2030-03-30T10:30:00Z' }] })),
    );
    await renderWeek();
    expect(dayHeads()).toHaveLength(5);
    expect(screen.getByTestId('weekend-hidden').textContent).toContain('1 booking is on the weekend');
    await fireEvent.click(within(screen.getByTestId('weekend-hidden')).getByRole('button'));
    expect(dayHeads()).toHaveLength(7);
    expect(screen.queryByTestId('weekend-hidden')).toBeNull();
    expect(screen.getByTestId('item-appointment-9')).toBeTruthy();
  });
});
