import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckInRow } from '../../lib/api';
import { ok, refused } from '../../lib/testing/fixtures';
import AttendanceCard from './AttendanceCard.svelte';
import { ZONE, completion, enrollment, groupSession } from './testing';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  checkInList: vi.fn(),
  seriesCompletion: vi.fn(),
  attendanceRecord: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

function field(name: string): HTMLInputElement | HTMLSelectElement {
  const element = document.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
  if (!element) throw new Error(`no field named ${name}`);
  return element;
}

const members = [enrollment(1, 101, 'Ada Brennan'), enrollment(2, 102, 'Bo Chen')];
// Held in January 2025 (in the past whenever the tests run).
const held = [
  groupSession(51, 1, '2025-01-07T18:00:00Z'),
  groupSession(52, 2, '2025-01-14T18:00:00Z'),
];

function rows(sessionId: number): CheckInRow[] {
  if (sessionId === 51) {
    return [
      {
        clientId: 101,
        clientName: 'Ada Brennan',
        attendance: { sessionId, clientId: 101, status: 'present', arrivedAt: null, leftAt: null },
      },
      {
        clientId: 102,
        clientName: 'Bo Chen',
        attendance: {
          sessionId,
          clientId: 102,
          status: 'late',
          arrivedAt: '2025-01-07T18:20:00Z',
          leftAt: null,
        },
      },
    ];
  }
  return [
    { clientId: 101, clientName: 'Ada Brennan', attendance: null },
    { clientId: 102, clientName: 'Bo Chen', attendance: null },
  ];
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  api.checkInList.mockImplementation((id: number) => Promise.resolve(ok(rows(id))));
  api.seriesCompletion.mockResolvedValue(
    ok([completion(101), completion(102, { attended: 1, booked: 12, excused: 0, unexcused: 0, late: 1, unrecorded: 11 })]),
  );
});

describe('AttendanceCard', () => {
  it("shows each member's completion of the series", async () => {
    render(AttendanceCard, { sessions: held, members, tz: ZONE, seriesId: 5, version: 0 });
    const ada = await screen.findByTestId('completion-101');
    expect(ada.textContent).toBe('9 of 12 attended (1 excused, 2 unexcused)');
    expect(screen.getByTestId('completion-102').textContent).toBe(
      '1 of 12 attended (0 excused, 0 unexcused)',
    );
    expect(api.seriesCompletion).toHaveBeenCalledWith(5);
  });

  it('marks every cell with a symbol and a word, explained in a legend', async () => {
    render(AttendanceCard, { sessions: held, members, tz: ZONE, seriesId: 5, version: 0 });
    await waitFor(() =>
      expect(screen.getByTestId('attendance-51-102').textContent).toContain('Late 18:20'),
    );
    expect(screen.getByTestId('attendance-51-101').textContent).toContain('✓');
    expect(screen.getByTestId('attendance-51-101').textContent).toContain('Present');
    expect(screen.getByTestId('attendance-52-101').textContent).toContain('Not recorded');
    const legend = screen.getByRole('region', { name: 'Legend' });
    const words = ['Present', 'Late', 'Left early', 'Absent (excused)', 'No-show', 'Late cancellation'];
    for (const word of [...words, 'Not booked']) {
      expect(legend.textContent).toContain(word);
    }
  });

  it("opens a session's check-in list and records a late arrival with its time", async () => {
    api.attendanceRecord.mockResolvedValue(
      ok({ sessionId: 52, clientId: 101, status: 'late', arrivedAt: '2025-01-14T18:15:00Z', leftAt: null }),
    );
    render(AttendanceCard, { sessions: held, members, tz: ZONE, seriesId: 5, version: 0 });
    await fireEvent.click(await screen.findByTestId('attendance-col-52'));
    const dialog = await screen.findByTestId('checkin-dialog');
    await within(dialog).findByTestId('checkin-row-101');

    await fireEvent.change(field('status-101'), { target: { value: 'late' } });
    await fireEvent.input(field('arrivedAt-101'), { target: { value: '18:15' } });
    await fireEvent.click(within(dialog).getByTestId('attendance-save-101'));

    await waitFor(() =>
      expect(api.attendanceRecord).toHaveBeenCalledWith({
        sessionId: 52,
        clientId: 101,
        status: 'late',
        arrivedAt: '18:15',
        leftAt: null,
      }),
    );
    expect((await within(dialog).findByTestId('attendance-state-101')).textContent).toContain(
      'Recorded: Late',
    );
    // The grid and completion catch up.
    await waitFor(() => expect(api.seriesCompletion).toHaveBeenCalledTimes(2));
  });

  it('shows a refusal beside the leaving time of that member', async () => {
    api.attendanceRecord.mockResolvedValue(
      refused('invalid', 'That time is outside the session.', 'leftAt'),
    );
    render(AttendanceCard, { sessions: held, members, tz: ZONE, seriesId: 5, version: 0 });
    await fireEvent.click(await screen.findByTestId('attendance-col-52'));
    await screen.findByTestId('checkin-row-102');
    await fireEvent.change(field('status-102'), { target: { value: 'leftEarly' } });
    await fireEvent.input(field('leftAt-102'), { target: { value: '21:00' } });
    await fireEvent.click(screen.getByTestId('attendance-save-102'));
    expect((await screen.findByTestId('error-leftAt-102')).textContent).toContain(
      'outside the session',
    );
    expect(field('leftAt-102').value).toBe('21:00');
  });
});
