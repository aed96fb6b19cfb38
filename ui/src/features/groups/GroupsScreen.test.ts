import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { frontDesk, ok, person, refused } from '../../lib/testing/fixtures';
import { signin } from '../../lib/signin.svelte';
import GroupsScreen from './GroupsScreen.svelte';
import { ZONE, enrollment, group, rooms, staff, waiting } from './testing';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  groupList: vi.fn(),
  groupGet: vi.fn(),
  groupCreate: vi.fn(),
  groupUpdate: vi.fn(),
  groupSetArchived: vi.fn(),
  groupRoster: vi.fn(),
  groupSessions: vi.fn(),
  roomList: vi.fn(),
  roomCreate: vi.fn(),
  staffDirectory: vi.fn(),
  checkInList: vi.fn(),
  seriesCompletion: vi.fn(),
  currentSignIn: vi.fn(),
  clientSearch: vi.fn(),
  measureForms: vi.fn(),
  measureGroupSummary: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

function field(name: string): HTMLInputElement | HTMLSelectElement {
  const element = document.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
  if (!element) throw new Error(`no field named ${name}`);
  return element;
}

/** The text that aria-describedby points at. */
function description(element: HTMLElement): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

const dbt = group();
const recovery = group({
  id: 8,
  name: 'Thursday Recovery',
  kind: 'rolling',
  capacity: 12,
  activeMembers: 12,
  waitlisted: 0,
  primaryFacilitatorId: 4,
  substanceUse: true,
});

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signedIn = person({ timezone: ZONE });
  signin.target = {};
  api.groupList.mockResolvedValue(ok([dbt, recovery]));
  api.staffDirectory.mockResolvedValue(ok(staff));
  api.roomList.mockResolvedValue(ok(rooms));
  api.groupGet.mockResolvedValue(ok(dbt));
  api.groupRoster.mockResolvedValue(
    ok([enrollment(1, 101, 'Ada Brennan'), waiting(2, 102, 'Bo Chen', 1)]),
  );
  api.groupSessions.mockResolvedValue(ok([]));
  api.checkInList.mockResolvedValue(ok([]));
  api.seriesCompletion.mockResolvedValue(ok([]));
  api.measureForms.mockResolvedValue(ok([]));
  api.measureGroupSummary.mockResolvedValue(ok([]));
  api.currentSignIn.mockResolvedValue(ok(signin.signedIn));
});

afterEach(() => {
  signin.signedIn = null;
  signin.target = {};
});

describe('GroupsScreen', () => {
  it('lists each group with its kind, seats, waitlist and lead facilitator', async () => {
    render(GroupsScreen);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Groups');

    const row = await screen.findByTestId('group-row-7');
    expect(row.textContent).toContain('Tuesday DBT Skills');
    expect(row.textContent).toContain('Closed cohort');
    expect(row.textContent).toContain('8 of 10');
    expect(row.textContent).toContain('2 waiting');
    expect(row.textContent).toContain('Led by Dana Reyes');

    const other = screen.getByTestId('group-row-8');
    expect(other.textContent).toContain('Rolling');
    expect(other.textContent).toContain('12 of 12');
    expect(other.textContent).toContain('No one waiting');
    expect(other.textContent).toContain('Led by Inés Duarte');
    expect(api.groupList).toHaveBeenCalledWith(false);
  });

  it('asks for archived groups too when the toggle is on', async () => {
    render(GroupsScreen);
    await screen.findByTestId('group-row-7');
    await fireEvent.click(field('showArchived'));
    await waitFor(() => expect(api.groupList).toHaveBeenLastCalledWith(true));
  });

  it('invites creating the first group when there is none', async () => {
    api.groupList.mockResolvedValue(ok([]));
    render(GroupsScreen);
    const empty = await screen.findByTestId('groups-empty');
    expect(empty.textContent).toContain('No groups yet. Create the first one:');
  });

  it('shows a refusal beside capacity and keeps what was typed', async () => {
    api.groupCreate.mockResolvedValue(
      refused('invalid', 'Capacity must be between 1 and 100.', 'capacity'),
    );
    render(GroupsScreen);
    await screen.findByTestId('group-row-7');
    await fireEvent.click(screen.getByTestId('group-new'));

    await fireEvent.input(field('name'), { target: { value: 'Monday Anxiety' } });
    await fireEvent.change(field('kind'), { target: { value: 'rolling' } });
    await fireEvent.input(field('modality'), { target: { value: 'CBT' } });
    await fireEvent.input(field('capacity'), { target: { value: '400' } });
    await fireEvent.change(field('primaryFacilitatorId'), { target: { value: '2' } });
    // Only clinical staff can lead or co-lead; the lead is not offered as a co-facilitator.
    const options = [...(field('primaryFacilitatorId') as HTMLSelectElement).options].map((o) => o.text);
    expect(options).not.toContain('Sam Okafor');
    const co = [...document.querySelectorAll<HTMLInputElement>('[name="coFacilitatorIds"]')];
    expect(co.map((c) => c.value)).toEqual(['1', '4']);
    await fireEvent.click(co[1]);
    await fireEvent.click(screen.getByTestId('group-save'));

    await waitFor(() => expect(field('capacity').getAttribute('aria-invalid')).toBe('true'));
    expect(description(field('capacity'))).toContain('Capacity must be between 1 and 100.');
    expect(screen.getByTestId('error-capacity').textContent).toContain('Capacity must be between');
    expect(field('name').getAttribute('aria-invalid')).toBeNull();
    expect(api.groupCreate).toHaveBeenCalledWith({
      name: 'Monday Anxiety',
      kind: 'rolling',
      modality: 'CBT',
      capacity: 400,
      primaryFacilitatorId: 2,
      coFacilitatorIds: [4],
      defaultRoomId: null,
      noteTemplate: 'girp',
      substanceUse: false,
    });
    expect(field('name').value).toBe('Monday Anxiety');
    expect(field('capacity').value).toBe('400');
    expect(field('primaryFacilitatorId').value).toBe('2');
  });

  it('asks for a number of seats before sending anything', async () => {
    render(GroupsScreen);
    await screen.findByTestId('group-row-7');
    await fireEvent.click(screen.getByTestId('group-new'));
    await fireEvent.input(field('name'), { target: { value: 'Monday Anxiety' } });
    await fireEvent.input(field('capacity'), { target: { value: 'ten' } });
    await fireEvent.click(screen.getByTestId('group-save'));
    await waitFor(() => expect(field('capacity').getAttribute('aria-invalid')).toBe('true'));
    expect(api.groupCreate).not.toHaveBeenCalled();
  });

  it('adds a room inline and makes it the usual room', async () => {
    const added = { id: 33, name: 'Garden Room', capacity: 14, active: true };
    api.roomCreate.mockResolvedValue(ok(added));
    render(GroupsScreen);
    await screen.findByTestId('group-row-7');
    await fireEvent.click(screen.getByTestId('group-new'));
    await fireEvent.input(field('roomName'), { target: { value: 'Garden Room' } });
    await fireEvent.input(field('roomCapacity'), { target: { value: '14' } });
    await fireEvent.click(screen.getByTestId('room-add'));
    await waitFor(() => expect(field('defaultRoomId').value).toBe('33'));
    expect(api.roomCreate).toHaveBeenCalledWith({ name: 'Garden Room', capacity: 14 });
    expect(field('roomName').value).toBe('');
  });

  it('opens a group from its row, with Archive for an owner', async () => {
    api.groupSetArchived.mockResolvedValue(ok({ ...dbt, archived: true }));
    render(GroupsScreen);
    await fireEvent.click(await screen.findByTestId('group-row-7'));

    const header = await screen.findByTestId('group-header');
    expect(header.textContent).toContain('Tuesday DBT Skills');
    expect(header.textContent).toContain('8 of 10');
    expect(header.textContent).toContain('Dana Reyes (lead), with Inés Duarte');
    expect(await screen.findByTestId('member-row-101')).toBeTruthy();
    expect(screen.getByTestId('waitlist-row-102').textContent).toContain('Bo Chen');

    await fireEvent.click(screen.getByTestId('group-archive'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('Archive Tuesday DBT Skills?');
    await fireEvent.click(within(dialog).getByTestId('group-archive-confirm'));
    await waitFor(() => expect(api.groupSetArchived).toHaveBeenCalledWith(7, true));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByTestId('group-news').textContent).toContain('is archived');
  });

  it('hides Archive from someone who may not administer', async () => {
    signin.signedIn = frontDesk({ timezone: ZONE });
    render(GroupsScreen);
    await fireEvent.click(await screen.findByTestId('group-row-7'));
    await screen.findByTestId('group-header');
    expect(screen.getByTestId('group-edit')).toBeTruthy();
    expect(screen.queryByTestId('group-archive')).toBeNull();
    expect(screen.queryByTestId('group-restore')).toBeNull();
  });

  it('lets the front desk edit a group but not create one or choose its facilitators', async () => {
    signin.signedIn = frontDesk({ timezone: ZONE });
    render(GroupsScreen);
    await fireEvent.click(await screen.findByTestId('group-row-7'));
    await fireEvent.click(await screen.findByTestId('group-edit'));
    const fixed = await screen.findByTestId('group-facilitators-fixed');
    expect(fixed.textContent?.replace(/\s+/g, ' ')).toContain(
      'only the owner, a practice manager or a supervisor',
    );
    expect(document.querySelector('[name="primaryFacilitatorId"]')).toBeNull();
    await fireEvent.click(screen.getByTestId('groups-back'));
    await screen.findByTestId('group-row-7');
    expect(screen.queryByTestId('group-new')).toBeNull();
  });

  it('opens the group it was sent to', async () => {
    signin.target = { groupId: 7 };
    render(GroupsScreen);
    const header = await screen.findByTestId('group-header');
    expect(header.textContent).toContain('Tuesday DBT Skills');
    expect(api.groupGet).toHaveBeenCalledWith(7);

    await fireEvent.click(screen.getByTestId('groups-back'));
    expect(await screen.findByTestId('group-row-7')).toBeTruthy();
  });

  it('offers the seat after an edit raises the capacity', async () => {
    api.groupUpdate.mockResolvedValue(
      ok({ group: { ...dbt, capacity: 11 }, seatOffer: waiting(2, 102, 'Bo Chen', 1) }),
    );
    render(GroupsScreen);
    await fireEvent.click(await screen.findByTestId('group-row-7'));
    await fireEvent.click(await screen.findByTestId('group-edit'));
    await fireEvent.input(field('capacity'), { target: { value: '11' } });
    await fireEvent.click(screen.getByTestId('group-save'));

    const offer = await screen.findByTestId('seat-offer');
    expect(offer.textContent).toContain('A seat is free. First on the waitlist: Bo Chen.');
    expect(api.groupUpdate).toHaveBeenCalledWith(7, expect.objectContaining({ capacity: 11 }));
  });

  it('forgets everything when Circle locks', async () => {
    render(GroupsScreen);
    await fireEvent.click(await screen.findByTestId('group-row-7'));
    await screen.findByTestId('group-header');
    signin.clearAll();
    await waitFor(() => expect(screen.queryByTestId('group-header')).toBeNull());
    expect(screen.queryByTestId('group-row-7')).toBeNull();
  });
});
