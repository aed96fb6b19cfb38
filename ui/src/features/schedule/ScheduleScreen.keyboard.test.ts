import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Agenda, Appointment, GroupSession, Room, StaffMember } from '../../lib/api';
import { signin } from '../../lib/signin.svelte';
import { frontDesk, ok, refused } from '../../lib/testing/fixtures';
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
  currentSignIn: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

const rooms: Room[] = [
  { id: 1, name: 'Garden Room', capacity: 10, active: true },
  { id: 2, name: 'Blue Room', capacity: 3, active: true },
];

const staff: StaffMember[] = [
  { id: 2, username: 'ana', fullName: 'Ana Lindqvist', role: 'clinician', clinical: true, active: true, supervisorId: null },
  { id: 3, username: 'ben', fullName: 'Ben Osei', role: 'supervisor', clinical: true, active: true, supervisorId: null },
];

// The week of Monday 25 March 2030 in London.
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

const byId = (testid: string) => screen.getByTestId(testid);

/** Presses a key on whatever has focus, as the keyboard does. */
async function press(key: string, init: KeyboardEventInit = {}) {
  const target = document.activeElement ?? document.body;
  await fireEvent.keyDown(target, { key, ...init });
}

async function focusMovesTo(testid: string) {
  await waitFor(() => expect(document.activeElement?.getAttribute('data-testid')).toBe(testid));
}

/** The grid's places that Tab stops on: there must be exactly one. */
function tabStops(): HTMLElement[] {
  return [...byId('week-grid').querySelectorAll<HTMLElement>('button')].filter(
    (button) => button.tabIndex === 0,
  );
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
});

afterEach(() => {
  cleanup();
  signin.clearAll();
});

async function renderWeek() {
  render(ScheduleScreen);
  await screen.findByTestId('item-session-5');
}

describe('the week grid by keyboard', () => {
  it('is one Tab stop, a grid that says which keys move in it', async () => {
    await renderWeek();
    const grid = byId('week-grid');
    expect(grid.getAttribute('role')).toBe('grid');
    expect(document.getElementById(grid.getAttribute('aria-describedby') ?? '')?.textContent).toContain(
      'Page Down',
    );
    // Today is not in this week: Tab enters on the first day, first room.
    expect(tabStops().map((b) => b.dataset.testid)).toEqual(['book-cell-1-2030-03-25']);
  });

  it('moves by day with ← and →, and down the day through bookings and rooms with ↓ and ↑', async () => {
    await renderWeek();
    byId('book-cell-1-2030-03-25').focus();

    await press('ArrowRight');
    await focusMovesTo('item-session-5');
    // The Tab stop follows: Tab out and back lands here again.
    expect(tabStops().map((b) => b.dataset.testid)).toEqual(['item-session-5']);

    await press('ArrowDown');
    await focusMovesTo('book-cell-1-2030-03-26');
    await press('ArrowDown');
    await focusMovesTo('book-cell-2-2030-03-26');
    await press('ArrowUp');
    await focusMovesTo('book-cell-1-2030-03-26');
    await press('ArrowDown');
    await press('ArrowRight');
    await press('ArrowRight');
    await focusMovesTo('item-appointment-9');
    await press('ArrowLeft');
    await focusMovesTo('book-cell-2-2030-03-27');
  });

  it('goes to the first and last day with Home and End, and the corners with Ctrl', async () => {
    await renderWeek();
    byId('item-appointment-9').focus();
    await press('End');
    await focusMovesTo('book-cell-2-2030-03-31');
    await press('Home');
    await focusMovesTo('book-cell-2-2030-03-25');
    await press('Home', { ctrlKey: true });
    await focusMovesTo('book-cell-1-2030-03-25');
    await press('End', { ctrlKey: true });
    await focusMovesTo('book-cell-2-2030-03-31');
  });

  it("changes the week with PageDown and lands on that weekday's first booking", async () => {
    await renderWeek();
    const next = { ...checkIn, id: 12, startsAt: '2030-04-04T09:00:00Z', endsAt: '2030-04-04T09:30:00Z' };
    api.agenda.mockResolvedValue(
      ok(week({ from: '2030-04-01', to: '2030-04-08', sessions: [], appointments: [next] })),
    );
    byId('item-appointment-9').focus();
    await press('PageDown');
    expect(api.agenda).toHaveBeenLastCalledWith('2030-04-01', 7);
    await focusMovesTo('item-appointment-12');
    expect(byId('week-heading').textContent).toContain('Mon 1 Apr');

    api.agenda.mockResolvedValue(ok(week()));
    await press('PageUp');
    await focusMovesTo('item-appointment-9');
  });

  it('reads each booking with its day, time, room and what it is', async () => {
    await renderWeek();
    expect(byId('item-session-5').getAttribute('aria-label')).toBe(
      'Tue 26 Mar, Garden Room: 18:00–19:30, DBT Skills, 7 booked',
    );
    expect(byId('item-appointment-9').getAttribute('aria-label')).toBe(
      'Thu 28 Mar, Blue Room: 10:00–10:30, Check-in, Mari Ortega, Ana Lindqvist',
    );
  });

  it("reaches a clinician's Hours… with ← from Monday in the clinician view", async () => {
    await renderWeek();
    await fireEvent.click(byId('view-by-clinician'));
    const monday = await screen.findByTestId('book-cell-2-2030-03-25');
    // The view changed: the grid starts again on its first place.
    expect(tabStops().map((b) => b.dataset.testid)).toEqual(['book-cell-2-2030-03-25']);
    monday.focus();
    await press('ArrowLeft');
    await focusMovesTo('availability-2');
    await press('ArrowDown');
    await focusMovesTo('availability-3');
    await press('ArrowRight');
    await focusMovesTo('book-cell-3-2030-03-25');
  });

  it('keeps its keys to itself when Shift or Alt is held (Shift+Tab leaves the grid)', async () => {
    await renderWeek();
    byId('item-session-5').focus();
    await press('ArrowRight', { shiftKey: true });
    await press('ArrowRight', { altKey: true });
    expect(document.activeElement).toBe(byId('item-session-5'));
  });
});

describe('focus around the grid and its dialogs', () => {
  it('opens a booking from the grid and comes back to it when Escape closes the summary', async () => {
    await renderWeek();
    const session = byId('item-session-5');
    session.focus();
    // Enter on a button is its click.
    await fireEvent.click(session);
    const popover = byId('session-popover');
    await waitFor(() => expect(popover.contains(document.activeElement)).toBe(true));
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('session-popover')).toBeNull();
    expect(document.activeElement).toBe(byId('item-session-5'));
  });

  it('puts focus on a moved appointment in its new cell once the week is drawn again', async () => {
    api.clientGet.mockResolvedValue(refused('notFound', 'That client is not in this practice.'));
    await renderWeek();
    const entry = byId('item-appointment-9');
    entry.focus();
    await fireEvent.click(entry);
    await fireEvent.click(byId('appointment-move'));
    const dialog = byId('appointment-move-dialog');
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));

    const moved = {
      ...checkIn,
      roomId: 1,
      roomName: 'Garden Room',
      startsAt: '2030-03-29T14:30:00Z',
      endsAt: '2030-03-29T15:00:00Z',
    };
    api.appointmentMove.mockResolvedValue(ok(moved));
    api.agenda.mockResolvedValue(ok(week({ appointments: [moved] })));
    await fireEvent.input(document.querySelector('[name="moveAppointmentStartTime"]')!, {
      target: { value: '14:30' },
    });
    await fireEvent.click(byId('appointment-move-confirm'));
    await waitFor(() => expect(screen.queryByTestId('appointment-move-dialog')).toBeNull());
    // Friday, Garden Room: the same appointment, and focus on it, not lost to the page.
    await waitFor(() =>
      expect(byId('item-appointment-9').closest('td')?.querySelector('[data-testid="book-cell-1-2030-03-29"]')).not.toBeNull(),
    );
    await focusMovesTo('item-appointment-9');
  });
});
