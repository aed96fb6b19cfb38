import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ok } from '../testing/fixtures';
import AttendanceControl from './AttendanceControl.svelte';

const api = vi.hoisted(() => ({
  attendanceRecord: vi.fn(),
  appointmentAttendanceRecord: vi.fn(),
}));
vi.mock('../api/bindings', () => ({ commands: api }));

const ZONE = 'Europe/Dublin';

function input(name: string): HTMLInputElement {
  const element = document.querySelector(`input[name="${name}"]`);
  if (!(element instanceof HTMLInputElement)) throw new Error(`no input named ${name}`);
  return element;
}

beforeEach(() => {
  api.attendanceRecord.mockReset();
  api.appointmentAttendanceRecord.mockReset();
});

describe('AttendanceControl', () => {
  it('shows leaving before arriving beside the leaving time, and sends nothing', async () => {
    render(AttendanceControl, {
      sessionId: 11,
      clientId: 101,
      name: 'Ada Brennan',
      recorded: { status: 'late', arrivedAt: '2030-01-15T18:40:00Z', leftAt: null },
      tz: ZONE,
      onrecorded: vi.fn(),
    });
    const status = screen.getByTestId('attendance-status-101');
    await fireEvent.change(status, { target: { value: 'leftEarly' } });
    // The recorded late arrival is kept for Left early.
    expect(input('arrivedAt-101').value).toBe('18:40');
    await fireEvent.input(input('leftAt-101'), { target: { value: '18:30' } });
    await fireEvent.click(screen.getByTestId('attendance-save-101'));

    const error = await screen.findByTestId('error-leftAt-101');
    expect(error.textContent).toContain('They cannot leave before they arrive');
    expect(input('leftAt-101').getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(input('leftAt-101')));
    expect(api.attendanceRecord).not.toHaveBeenCalled();
  });

  it('asks which status before saving', async () => {
    render(AttendanceControl, {
      sessionId: 11,
      clientId: 101,
      name: 'Ada Brennan',
      recorded: null,
      tz: ZONE,
      onrecorded: vi.fn(),
    });
    expect(screen.getByTestId('attendance-state-101').textContent).toContain('Not recorded yet');
    await fireEvent.click(screen.getByTestId('attendance-save-101'));
    expect((await screen.findByTestId('error-status-101')).textContent).toContain(
      'Choose how Ada Brennan attended.',
    );
    expect(api.attendanceRecord).not.toHaveBeenCalled();
  });

  it('records a press at once and says so', async () => {
    const onrecorded = vi.fn();
    api.attendanceRecord.mockResolvedValue(
      ok({ sessionId: 11, clientId: 101, status: 'absentExcused', arrivedAt: null, leftAt: null }),
    );
    render(AttendanceControl, {
      sessionId: 11,
      clientId: 101,
      name: 'Ada Brennan',
      recorded: null,
      tz: ZONE,
      layout: 'buttons',
      onrecorded,
    });
    await fireEvent.click(screen.getByTestId('attendance-absentExcused-101'));
    expect(api.attendanceRecord).toHaveBeenCalledWith({
      sessionId: 11,
      clientId: 101,
      status: 'absentExcused',
      arrivedAt: null,
      leftAt: null,
    });
    await waitFor(() =>
      expect(screen.getByTestId('attendance-state-101').textContent).toContain(
        'Recorded: Absent (excused)',
      ),
    );
    expect(onrecorded).toHaveBeenCalledTimes(1);
  });

  it("records a client's attendance at an appointment, Late with its arrival time", async () => {
    const onrecorded = vi.fn();
    api.appointmentAttendanceRecord.mockResolvedValue(
      ok({ appointmentId: 21, status: 'late', arrivedAt: '2030-01-15T09:40:00Z', leftAt: null }),
    );
    render(AttendanceControl, {
      appointmentId: 21,
      name: 'Jo Pike',
      recorded: null,
      tz: ZONE,
      layout: 'buttons',
      onrecorded,
    });
    await fireEvent.click(screen.getByTestId('attendance-late-appointment-21'));
    await fireEvent.input(input('arrivedAt-appointment-21'), { target: { value: '09:40' } });
    await fireEvent.click(screen.getByTestId('attendance-save-appointment-21'));
    expect(api.appointmentAttendanceRecord).toHaveBeenCalledWith({
      appointmentId: 21,
      status: 'late',
      arrivedAt: '09:40',
      leftAt: null,
    });
    expect(api.attendanceRecord).not.toHaveBeenCalled();
    await waitFor(() =>
      expect(screen.getByTestId('attendance-state-appointment-21').textContent).toContain(
        'Recorded: Late, arrived 09:40',
      ),
    );
    expect(onrecorded).toHaveBeenCalledWith({
      appointmentId: 21,
      status: 'late',
      arrivedAt: '2030-01-15T09:40:00Z',
      leftAt: null,
    });
  });
});
