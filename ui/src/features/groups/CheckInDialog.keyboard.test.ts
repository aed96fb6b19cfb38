import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ok } from '../../lib/testing/fixtures';
import AttendanceCard from './AttendanceCard.svelte';
import { ZONE, completion, enrollment, groupSession } from './testing';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  checkInList: vi.fn(),
  seriesCompletion: vi.fn(),
  attendanceRecord: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

const members = [enrollment(1, 101, 'Ada Brennan'), enrollment(2, 102, 'Bo Chen')];
const held = [groupSession(52, 2, '2025-01-14T18:00:00Z')];

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  api.checkInList.mockResolvedValue(
    ok([
      { clientId: 101, clientName: 'Ada Brennan', attendance: null },
      { clientId: 102, clientName: 'Bo Chen', attendance: null },
    ]),
  );
  api.seriesCompletion.mockResolvedValue(ok([completion(101), completion(102)]));
});

describe('the check-in list and the keyboard', () => {
  it("opens on the first member's attendance once the list arrives, and Escape returns to the column", async () => {
    render(AttendanceCard, { sessions: held, members, tz: ZONE, seriesId: 5, version: 0 });
    const column = await screen.findByTestId('attendance-col-52');
    column.focus();
    await fireEvent.click(column);
    const first = await screen.findByTestId('attendance-status-101');
    // Not left on Done, the only control while the list was loading.
    await waitFor(() => expect(document.activeElement).toBe(first));

    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('checkin-dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('attendance-col-52'));
  });
});
