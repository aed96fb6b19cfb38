import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientSummary, Enrollment } from '../../lib/api';
import { todayInPracticeZone } from '../../lib/datetime';
import { signin } from '../../lib/signin.svelte';
import { frontDesk, ok, person, refused } from '../../lib/testing/fixtures';
import RosterCard from './RosterCard.svelte';
import { ZONE, enrollment, group, waiting } from './testing';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  clientSearch: vi.fn(),
  enroll: vi.fn(),
  discharge: vi.fn(),
  acceptFromWaitlist: vi.fn(),
  reorderWaitlist: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

function field(name: string): HTMLInputElement {
  const element = document.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!element) throw new Error(`no field named ${name}`);
  return element;
}

function client(id: number, displayName: string): ClientSummary {
  return {
    id,
    recordNumber: `C-000${id}`,
    displayName,
    legalName: displayName,
    dateOfBirth: null,
    status: 'active',
  };
}

const NAMES = ['Ada Brennan', 'Bea Cole', 'Cy Dunne', 'Dee Ennis', 'Eli Farr', 'Fay Grey', 'Gus Hale', 'Hal Ives', 'Ivy Joyce', 'Jo Kerr'];
/** Ten members: the group is full. */
const full: Enrollment[] = NAMES.map((name, i) => enrollment(i + 1, 101 + i, name));

let onChanged: ReturnType<typeof vi.fn<() => Promise<void>>>;

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signedIn = person({ timezone: ZONE });
  onChanged = vi.fn(() => Promise.resolve());
});

afterEach(() => {
  signin.signedIn = null;
});

async function pick(query: string, found: ClientSummary) {
  api.clientSearch.mockResolvedValue(ok({ items: [found], total: 1 }));
  await fireEvent.input(field('enrollClientQuery'), { target: { value: query } });
  await fireEvent.click(await screen.findByTestId(`enroll-pick-${found.id}`));
}

describe('RosterCard', () => {
  it('says "Add to waitlist" on the button and its hint when the group is full', async () => {
    render(RosterCard, {
      group: group({ capacity: 10, activeMembers: 10, waitlisted: 0 }),
      roster: full,
      tz: ZONE,
      onChanged,
    });
    const button = screen.getByTestId('enroll-submit');
    expect(button.textContent?.trim()).toBe('Add to waitlist');
    expect(document.body.textContent).toContain(
      'The group is full: whoever you add goes on the waitlist.',
    );
  });

  it('says "Enroll" while seats are free, and "Add to waitlist" once the waitlist is asked for', async () => {
    render(RosterCard, {
      group: group({ capacity: 10, activeMembers: 3, waitlisted: 0 }),
      roster: full.slice(0, 3),
      tz: ZONE,
      onChanged,
    });
    const button = screen.getByTestId('enroll-submit');
    expect(button.textContent?.trim()).toBe('Enroll');
    expect(document.body.textContent).not.toContain('The group is full');
    await fireEvent.click(field('enrollWaitlist'));
    expect(button.textContent?.trim()).toBe('Add to waitlist');
  });

  it('puts the eleventh person of a ten-seat group on the waitlist and says so', async () => {
    api.enroll.mockResolvedValue(
      ok({ enrollment: waiting(11, 111, 'Kim Lowe', 1), sessionsBooked: 0, fullSessions: [] }),
    );
    render(RosterCard, {
      group: group({ capacity: 10, activeMembers: 10, waitlisted: 0 }),
      roster: full,
      tz: ZONE,
      onChanged,
    });
    expect(screen.getAllByTestId(/^member-row-/)).toHaveLength(10);
    expect(field('enrollFromDate').value).toBe(todayInPracticeZone(ZONE));

    await pick('Kim', client(111, 'Kim Lowe'));
    await fireEvent.click(screen.getByTestId('enroll-submit'));

    const outcome = await screen.findByTestId('enroll-outcome');
    expect(outcome.textContent).toBe('The group is full: added to the waitlist, place 1.');
    expect(api.enroll).toHaveBeenCalledWith(7, 111, false, todayInPracticeZone(ZONE));
    expect(onChanged).toHaveBeenCalled();
  });

  it('says how many sessions a new member was booked into', async () => {
    api.enroll.mockResolvedValue(
      ok({ enrollment: enrollment(12, 112, 'Lou Marsh'), sessionsBooked: 12, fullSessions: [] }),
    );
    render(RosterCard, {
      group: group({ activeMembers: 1 }),
      roster: [full[0]],
      tz: ZONE,
      onChanged,
    });
    await pick('Lou', client(112, 'Lou Marsh'));
    await fireEvent.input(field('enrollFromDate'), { target: { value: '2030-02-05' } });
    await fireEvent.click(field('enrollWaitlist'));
    await fireEvent.click(screen.getByTestId('enroll-submit'));

    const outcome = await screen.findByTestId('enroll-outcome');
    expect(outcome.textContent).toBe('Enrolled; booked into 12 sessions.');
    expect(api.enroll).toHaveBeenCalledWith(7, 112, true, '2030-02-05');
  });

  it('asks for a client before enrolling, and shows a conflict above the form', async () => {
    api.enroll.mockResolvedValue(
      refused('conflict', 'This client is already enrolled in Tuesday DBT Skills.'),
    );
    render(RosterCard, { group: group(), roster: full.slice(0, 8), tz: ZONE, onChanged });
    await fireEvent.click(screen.getByTestId('enroll-submit'));
    expect((await screen.findByTestId('error-enrollClientQuery')).textContent).toContain(
      'pick them from the list',
    );
    expect(api.enroll).not.toHaveBeenCalled();

    await pick('Ada', client(101, 'Ada Brennan'));
    await fireEvent.click(screen.getByTestId('enroll-submit'));
    expect((await screen.findByTestId('enroll-error')).textContent).toContain('already enrolled');
    expect(screen.queryByTestId('enroll-outcome')).toBeNull();
  });

  it('after a discharge offers the seat, and accepting sends the chosen from-date', async () => {
    const bo = waiting(20, 120, 'Bo Chen', 1);
    api.discharge.mockResolvedValue(
      ok({
        enrollment: { ...full[0], status: 'discharged', dischargedOn: '2030-03-10' },
        sessionsReleased: 6,
        seatOffer: bo,
      }),
    );
    api.acceptFromWaitlist.mockResolvedValue(
      ok({
        enrollment: { ...bo, status: 'active', waitlistPlace: null },
        sessionsBooked: 9,
        fullSessions: [],
      }),
    );
    render(RosterCard, {
      group: group({ activeMembers: 10, waitlisted: 1 }),
      roster: [...full, bo],
      tz: ZONE,
      onChanged,
    });

    await fireEvent.click(screen.getByTestId('discharge-101'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('Discharge Ada Brennan?');
    expect(field('dischargeDate').value).toBe(todayInPracticeZone(ZONE));
    await fireEvent.input(field('dischargeDate'), { target: { value: '2030-03-10' } });
    await fireEvent.change(field('dischargeReason'), { target: { value: 'completed' } });
    await fireEvent.click(within(dialog).getByTestId('discharge-confirm'));

    const offer = await screen.findByTestId('seat-offer');
    // Nothing typed in the clinical note: none is sent.
    expect(api.discharge).toHaveBeenCalledWith(1, '2030-03-10', 'completed', null);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(offer.textContent).toContain('A seat is free. First on the waitlist: Bo Chen.');
    // The day after the discharge, unless changed.
    expect(field('acceptFromDate').value).toBe('2030-03-11');
    expect(screen.getByTestId('discharge-outcome').textContent).toContain('6 later sessions');

    await fireEvent.input(field('acceptFromDate'), { target: { value: '2030-03-12' } });
    await fireEvent.click(screen.getByTestId('seat-offer-accept'));

    const outcome = await screen.findByTestId('enroll-outcome');
    expect(api.acceptFromWaitlist).toHaveBeenCalledWith(20, '2030-03-12');
    expect(outcome.textContent).toBe('Bo Chen now has a seat: booked into 9 remaining sessions.');
    expect(screen.queryByTestId('seat-offer')).toBeNull();
  });

  it('says which full sessions an accepted seat was not booked into', async () => {
    const bo = waiting(20, 120, 'Bo Chen', 1);
    api.acceptFromWaitlist.mockResolvedValue(
      ok({
        enrollment: { ...bo, status: 'active', waitlistPlace: null },
        sessionsBooked: 3,
        fullSessions: [{ sessionId: 43, date: '2030-01-22', startsAt: '2030-01-22T18:00:00Z' }],
      }),
    );
    render(RosterCard, {
      group: group({ activeMembers: 9, waitlisted: 1 }),
      roster: [...full.slice(0, 9), bo],
      tz: ZONE,
      onChanged,
    });
    await fireEvent.click(screen.getByTestId('waitlist-offer-120'));
    await fireEvent.input(field('acceptFromDate'), { target: { value: '2030-01-22' } });
    await fireEvent.click(screen.getByTestId('seat-offer-accept'));

    const outcome = await screen.findByTestId('enroll-outcome');
    expect(api.acceptFromWaitlist).toHaveBeenCalledWith(20, '2030-01-22');
    expect(outcome.textContent).toBe(
      'Bo Chen now has a seat: booked into 3 remaining sessions. ' +
        'Not booked into 1 full session: Tue 22 Jan 2030.',
    );
  });

  it('asks for a reason, and keeps the dialog open with a refusal beside the date', async () => {
    api.discharge.mockResolvedValue(
      refused('invalid', 'The discharge date is before they joined.', 'date'),
    );
    render(RosterCard, { group: group(), roster: full.slice(0, 8), tz: ZONE, onChanged });
    await fireEvent.click(screen.getByTestId('discharge-102'));
    await fireEvent.click(await screen.findByTestId('discharge-confirm'));
    expect((await screen.findByTestId('error-dischargeReason')).textContent).toContain(
      'Choose a reason',
    );
    expect(api.discharge).not.toHaveBeenCalled();

    await fireEvent.change(field('dischargeReason'), { target: { value: 'movedAway' } });
    await fireEvent.click(screen.getByTestId('discharge-confirm'));
    expect((await screen.findByTestId('error-dischargeDate')).textContent).toContain(
      'before they joined',
    );
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('lets clinical staff add a clinical note to a discharge', async () => {
    api.discharge.mockResolvedValue(
      ok({
        enrollment: { ...full[1], status: 'discharged', dischargeReason: 'stoppedAttending' },
        sessionsReleased: 0,
        seatOffer: null,
      }),
    );
    render(RosterCard, { group: group(), roster: full.slice(0, 8), tz: ZONE, onChanged });
    await fireEvent.click(screen.getByTestId('discharge-102'));
    await screen.findByRole('dialog');
    await fireEvent.change(field('dischargeReason'), { target: { value: 'stoppedAttending' } });
    await fireEvent.input(field('dischargeClinicalNote'), {
      target: { value: 'Disclosed a relapse; referred on.' },
    });
    await fireEvent.click(screen.getByTestId('discharge-confirm'));
    await waitFor(() =>
      expect(api.discharge).toHaveBeenCalledWith(
        2,
        todayInPracticeZone(ZONE),
        'stoppedAttending',
        'Disclosed a relapse; referred on.',
      ),
    );
  });

  it('shows the front desk the reason but no clinical note', async () => {
    signin.signedIn = frontDesk({ timezone: ZONE });
    api.discharge.mockResolvedValue(
      ok({
        enrollment: { ...full[1], status: 'discharged', dischargeReason: 'movedAway' },
        sessionsReleased: 0,
        seatOffer: null,
      }),
    );
    render(RosterCard, { group: group(), roster: full.slice(0, 8), tz: ZONE, onChanged });
    await fireEvent.click(screen.getByTestId('discharge-102'));
    const dialog = await screen.findByRole('dialog');
    expect(document.querySelector('[name="dischargeClinicalNote"]')).toBeNull();
    expect(dialog.textContent).not.toContain('Clinical note');
    await fireEvent.change(field('dischargeReason'), { target: { value: 'movedAway' } });
    await fireEvent.click(within(dialog).getByTestId('discharge-confirm'));
    await waitFor(() =>
      expect(api.discharge).toHaveBeenCalledWith(2, todayInPracticeZone(ZONE), 'movedAway', null),
    );
  });

  it('moves people on the waitlist and offers a free seat to any of them', async () => {
    const list = [waiting(20, 120, 'Bo Chen', 1), waiting(21, 121, 'Cat Dole', 2)];
    api.reorderWaitlist.mockResolvedValue(ok([]));
    render(RosterCard, {
      group: group({ activeMembers: 9, waitlisted: 2 }),
      roster: [...full.slice(0, 9), ...list],
      tz: ZONE,
      onChanged,
    });
    const rows = screen.getAllByTestId(/^waitlist-row-/);
    expect(rows.map((r) => r.dataset.testid)).toEqual(['waitlist-row-120', 'waitlist-row-121']);
    expect(rows[0].textContent).toContain('1');
    expect((screen.getByTestId('waitlist-up-120') as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.click(screen.getByTestId('waitlist-up-121'));
    await waitFor(() => expect(api.reorderWaitlist).toHaveBeenCalledWith(7, [21, 20]));
    expect((await screen.findByTestId('waitlist-news')).textContent).toBe(
      'Cat Dole is now number 1 on the waitlist.',
    );

    await fireEvent.click(screen.getByTestId('waitlist-offer-121'));
    const offer = await screen.findByTestId('seat-offer');
    expect(offer.textContent).toContain('Cat Dole');
    expect(field('acceptFromDate').value).toBe(todayInPracticeZone(ZONE));
  });

  it('opens the client from a member name', async () => {
    api.currentSignIn.mockResolvedValue(ok(signin.signedIn));
    render(RosterCard, { group: group(), roster: full.slice(0, 8), tz: ZONE, onChanged });
    await fireEvent.click(screen.getByTestId('member-open-103'));
    expect(signin.screen).toBe('clients');
    expect(signin.target).toEqual({ clientId: 103 });
  });
});
