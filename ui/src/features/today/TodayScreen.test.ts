import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Agenda, Appointment, CheckInRow, GroupSession } from '../../lib/api';
import { signin } from '../../lib/signin.svelte';
import { frontDesk, ok, person, refused } from '../../lib/testing/fixtures';
import TodayScreen from './TodayScreen.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  agenda: vi.fn(),
  checkInList: vi.fn(),
  attendanceRecord: vi.fn(),
  appointmentAttendanceRecord: vi.fn(),
  clientGet: vi.fn(),
  currentSignIn: vi.fn(),
  notesToDo: vi.fn(),
  measureRiskFlags: vi.fn(),
  clinicalAccessWaiting: vi.fn(),
  backupStatus: vi.fn(),
}));
// The role facts are data Rust generated into the bindings: the real ones.
vi.mock('../../lib/api/bindings', async (importOriginal) => ({
  commands: api,
  ROLE_FACTS: (await importOriginal<typeof import('../../lib/api/bindings')>()).ROLE_FACTS,
}));

// Winter in Dublin: the practice's clock reads the same as UTC.
const dbt: GroupSession = {
  id: 11,
  groupId: 3,
  groupName: 'DBT Skills',
  format: 'group',
  clientNames: [],
  seriesId: 7,
  seq: 4,
  roomId: 2,
  roomName: 'Garden Room',
  startsAt: '2030-01-15T18:00:00Z',
  endsAt: '2030-01-15T19:30:00Z',
  status: 'scheduled',
  isException: false,
  membersBooked: 7,
  facilitatorIds: [2],
  hasNote: false,
};

const cancelledSession: GroupSession = {
  ...dbt,
  id: 12,
  groupId: 4,
  groupName: 'Grief Circle',
  startsAt: '2030-01-15T10:00:00Z',
  endsAt: '2030-01-15T11:00:00Z',
  status: 'cancelled',
  isException: true,
};

const intake: Appointment = {
  id: 21,
  kind: 'intake',
  clientId: 150,
  clinicianId: 2,
  clientName: 'Jo Pike',
  clinicianName: 'Ines Duarte',
  roomId: 5,
  roomName: 'Blue Room',
  startsAt: '2030-01-15T09:30:00Z',
  endsAt: '2030-01-15T10:30:00Z',
  cancelled: false,
  attendance: null,
};

function agenda(overrides: Partial<Agenda> = {}): Agenda {
  return {
    from: '2030-01-15',
    to: '2030-01-16',
    sessions: [dbt, cancelledSession],
    appointments: [intake],
    waitlists: [{ groupId: 3, groupName: 'DBT Skills', waiting: 3, freeSeats: 1 }],
    ...overrides,
  };
}

const rows: CheckInRow[] = [
  { clientId: 101, clientName: 'Marisol Ortega', attendance: null },
  {
    clientId: 102,
    clientName: 'Tomasz Wrona',
    attendance: { sessionId: 11, clientId: 102, status: 'present', arrivedAt: null, leftAt: null },
  },
];

function input(name: string): HTMLInputElement {
  const element = document.querySelector(`input[name="${name}"]`);
  if (!(element instanceof HTMLInputElement)) throw new Error(`no input named ${name}`);
  return element;
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signIn(frontDesk());
  api.currentSignIn.mockResolvedValue(ok(frontDesk()));
  api.agenda.mockResolvedValue(ok(agenda()));
  api.checkInList.mockResolvedValue(ok(rows));
  api.notesToDo.mockResolvedValue(ok({ toWrite: [], toSign: [], toCosign: [] }));
  api.measureRiskFlags.mockResolvedValue(ok([]));
  api.clinicalAccessWaiting.mockResolvedValue(ok([]));
  api.backupStatus.mockResolvedValue(
    ok({ folder: '/media/backup', keep: 14, lastSuccess: null, lastAttempt: null, warning: null }),
  );
});

afterEach(() => {
  signin.clearAll();
});

async function openCheckIn() {
  render(TodayScreen);
  await fireEvent.click(await screen.findByTestId('today-session-11'));
  return screen.findByTestId('checkin-11-101');
}

describe('TodayScreen', () => {
  it('greets the person and lists the day from the agenda in the practice zone', async () => {
    render(TodayScreen);
    expect(screen.getByTestId('home-heading').textContent).toMatch(
      /^(Hello|Good morning|Good afternoon|Good evening), Sam Okafor$/,
    );
    expect(document.body.textContent).toContain('Harbour Light Counselling');

    const row = await screen.findByTestId('today-session-11');
    expect(row.textContent).toContain('18:00–19:30');
    expect(row.textContent).toContain('DBT Skills');
    expect(row.textContent).toContain('Garden Room');
    expect(row.textContent).toContain('7 booked');
    expect(api.agenda).toHaveBeenCalledWith(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), 1);

    const cancelled = screen.getByTestId('today-session-12');
    expect(cancelled.textContent).toContain('Cancelled');
    expect((cancelled as HTMLButtonElement).disabled).toBe(true);

    const appointment = screen.getByTestId('today-appointment-21');
    expect(appointment.textContent).toContain('09:30');
    expect(appointment.textContent).toContain('Intake screening');
    expect(appointment.textContent).toContain('Blue Room');

    expect(screen.getByTestId('today-waitlist-3').textContent).toContain(
      '3 waiting for DBT Skills, 1 seat free',
    );
    // Nothing about the clinical-access notice for the front desk.
    expect(screen.queryByTestId('clinical-access-pending')).toBeNull();
  });

  it("shows owners the backups' warning with the way to Settings → Backups", async () => {
    const owner = person();
    signin.signIn(owner);
    api.currentSignIn.mockResolvedValue(ok(owner));
    api.backupStatus.mockResolvedValue(
      ok({
        folder: '/media/usb/circle',
        keep: 14,
        lastSuccess: null,
        lastAttempt: null,
        warning:
          'The last backup did not work. The backup folder /media/usb/circle cannot be found. If it is on a drive, plug the drive in; otherwise choose the folder again.',
      }),
    );
    render(TodayScreen);
    const warning = await screen.findByTestId('today-backup-warning');
    expect(warning.textContent).toContain('cannot be found');
    await fireEvent.click(screen.getByTestId('today-backup-settings'));
    expect(signin.screen).toBe('settings');
    expect(signin.target).toEqual({ section: 'backups' });
  });

  it('says nothing about backups when they are in order', async () => {
    const owner = person();
    signin.signIn(owner);
    render(TodayScreen);
    await screen.findByTestId('today-session-11');
    await waitFor(() => expect(api.backupStatus).toHaveBeenCalled());
    expect(screen.queryByTestId('today-backup-warning')).toBeNull();
  });

  it('never asks about backups for the front desk', async () => {
    render(TodayScreen);
    await screen.findByTestId('today-session-11');
    expect(api.backupStatus).not.toHaveBeenCalled();
    expect(screen.queryByTestId('today-backup-warning')).toBeNull();
  });

  it('shows no notes to do to the front desk, and does not ask for them', async () => {
    render(TodayScreen);
    await screen.findByTestId('today-session-11');
    expect(screen.queryByTestId('notes-to-write')).toBeNull();
    expect(screen.queryByText('Notes to do')).toBeNull();
    expect(api.notesToDo).not.toHaveBeenCalled();
    // Nor risk flags: nothing about a client's measures reaches the front desk.
    expect(api.measureRiskFlags).not.toHaveBeenCalled();
    expect(screen.queryByText('Risk to act on')).toBeNull();
  });

  it('puts the notes to do first for a clinician', async () => {
    const clinician = person({
      fullName: 'Priya Nair',
      role: 'clinician',
      roleLabel: 'Clinician',
      capabilities: ['scheduling', 'readWriteNotes', 'sign'],
    });
    signin.signIn(clinician);
    api.notesToDo.mockResolvedValue(
      ok({
        toWrite: [
          {
            sessionId: 11,
            groupId: 3,
            groupName: 'DBT Skills',
            format: 'group',
            clientNames: [],
            startsAt: '2030-01-15T18:00:00Z',
            by: null,
          },
        ],
        toSign: [],
        toCosign: [],
      }),
    );
    const navigate = vi.spyOn(signin, 'navigate');
    render(TodayScreen);

    const task = await screen.findByTestId('note-task-11');
    expect(api.notesToDo).toHaveBeenCalledTimes(1);
    // Above the day's sessions: the first thing after the greeting.
    const sessions = await screen.findByRole('heading', { name: 'Sessions' });
    expect(task.compareDocumentPosition(sessions) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.queryByTestId('notes-to-cosign')).toBeNull();

    await fireEvent.click(task);
    expect(navigate).toHaveBeenCalledWith('session', { sessionId: 11, groupId: 3 });
  });

  it('tells a clinician without clinical access yet when it will come', async () => {
    signin.signIn(
      person({
        fullName: 'Priya Nair',
        hasClinicalAccess: false,
        capabilities: ['scheduling', 'readWriteNotes', 'sign'],
      }),
    );
    render(TodayScreen);
    expect(screen.getByTestId('clinical-access-pending').textContent).toContain(
      'needs to approve your access first',
    );
    // Notes cannot be read yet, so they are not asked for.
    expect(api.notesToDo).not.toHaveBeenCalled();
  });

  it('shows a clinical-key holder who waits for clinical access, and nobody else', async () => {
    api.clinicalAccessWaiting.mockResolvedValue(
      ok([
        {
          staffId: 6,
          fullName: 'Priya Nair',
          role: 'clinician',
          changedBy: 'Dana Reyes',
          changedAt: '2030-01-14T10:00:00Z',
          keyringMatches: true,
        },
      ]),
    );
    // The front desk holds no clinical key: nothing is asked or shown.
    const first = render(TodayScreen);
    await screen.findByTestId('today-session-11');
    expect(api.clinicalAccessWaiting).not.toHaveBeenCalled();
    expect(screen.queryByRole('region', { name: 'Waiting for clinical access' })).toBeNull();
    first.unmount();

    signin.signIn(person());
    render(TodayScreen);
    const region = await screen.findByRole('region', { name: 'Waiting for clinical access' });
    expect(region.textContent).toContain('Priya Nair');
    expect(api.clinicalAccessWaiting).toHaveBeenCalledTimes(1);
  });

  it('shows no clinical-access card to a holder when nobody waits', async () => {
    signin.signIn(person());
    render(TodayScreen);
    await screen.findByTestId('today-session-11');
    expect(api.clinicalAccessWaiting).toHaveBeenCalledTimes(1);
    expect(screen.queryByText('Waiting for clinical access')).toBeNull();
  });

  it('records Late with the arrival time in the practice zone', async () => {
    const row = await openCheckIn();
    expect(api.checkInList).toHaveBeenCalledWith(11);
    expect(row.textContent).toContain('Marisol Ortega');
    expect(row.textContent).toContain('Not recorded yet');
    expect(screen.getByTestId('checkin-11-102-state').textContent).toContain('✓');
    expect(screen.getByTestId('checkin-11-102-state').textContent).toContain('Present');

    await fireEvent.click(screen.getByTestId('checkin-11-101-late'));
    const arrived = input('arrivedAt-101');
    expect(arrived.value).toMatch(/^\d{2}:\d{2}$/);
    await fireEvent.input(arrived, { target: { value: '18:10' } });

    api.attendanceRecord.mockResolvedValue(
      ok({
        sessionId: 11,
        clientId: 101,
        status: 'late',
        arrivedAt: '2030-01-15T18:10:00Z',
        leftAt: null,
      }),
    );
    await fireEvent.click(screen.getByTestId('checkin-11-101-save'));

    expect(api.attendanceRecord).toHaveBeenCalledWith({
      sessionId: 11,
      clientId: 101,
      status: 'late',
      arrivedAt: '18:10',
      leftAt: null,
    });
    await waitFor(() =>
      expect(screen.getByTestId('checkin-11-101-state').textContent).toContain(
        'Late, arrived 18:10',
      ),
    );
    expect(document.querySelector('input[name="arrivedAt-101"]')).toBeNull();
    expect(screen.getByTestId('checkin-11-101-late').getAttribute('aria-pressed')).toBe('true');
  });

  it('asks for the arrival time beside the field when it is missing, and sends nothing', async () => {
    await openCheckIn();
    await fireEvent.click(screen.getByTestId('checkin-11-101-late'));
    await fireEvent.input(input('arrivedAt-101'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('checkin-11-101-save'));

    const error = await screen.findByTestId('error-arrivedAt-101');
    expect(error.textContent).toContain('Enter when they arrived');
    expect(api.attendanceRecord).not.toHaveBeenCalled();
    expect(input('arrivedAt-101').getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(document.activeElement).toBe(input('arrivedAt-101')));
  });

  it("puts Rust's refusal of a time beside that time", async () => {
    await openCheckIn();
    await fireEvent.click(screen.getByTestId('checkin-11-101-leftEarly'));
    await fireEvent.input(input('leftAt-101'), { target: { value: '21:00' } });
    api.attendanceRecord.mockResolvedValue(
      refused('invalid', 'That time is outside the session.', 'leftAt'),
    );
    await fireEvent.click(screen.getByTestId('checkin-11-101-save'));

    expect((await screen.findByTestId('error-leftAt-101')).textContent).toContain(
      'outside the session',
    );
    expect(api.attendanceRecord).toHaveBeenCalledWith({
      sessionId: 11,
      clientId: 101,
      status: 'leftEarly',
      arrivedAt: null,
      leftAt: '21:00',
    });
    expect(input('leftAt-101').value).toBe('21:00');
  });

  it('saves the statuses without a time straight away', async () => {
    await openCheckIn();
    api.attendanceRecord.mockResolvedValue(
      ok({ sessionId: 11, clientId: 101, status: 'noShow', arrivedAt: null, leftAt: null }),
    );
    await fireEvent.click(screen.getByTestId('checkin-11-101-noShow'));
    expect(api.attendanceRecord).toHaveBeenCalledWith({
      sessionId: 11,
      clientId: 101,
      status: 'noShow',
      arrivedAt: null,
      leftAt: null,
    });
    await waitFor(() =>
      expect(screen.getByTestId('checkin-11-101-state').textContent).toContain('✕'),
    );
    expect(screen.getByTestId('checkin-11-101-state').textContent).toContain('No-show');
  });

  it("names an appointment's client on the row, for the front desk who booked it", async () => {
    render(TodayScreen);
    const row = await screen.findByTestId('today-appointment-21');
    expect(screen.getByTestId('today-appointment-21-client').textContent).toBe('Jo Pike');
    expect(row.textContent).toContain('09:30–10:30');
    expect(row.textContent).toContain('Intake screening');
    expect(row.textContent).toContain('Ines Duarte · Blue Room');
    expect(row.textContent).toContain('Check in');
    expect(row.textContent).not.toContain('Show client');
    // The name comes with the day: nothing more is looked up.
    expect(api.clientGet).not.toHaveBeenCalled();
    expect(screen.queryByTestId('today-appointment-21-status')).toBeNull();
  });

  it('checks the client of an appointment in as present, and the row says so', async () => {
    const navigate = vi.spyOn(signin, 'navigate');
    render(TodayScreen);
    const row = await screen.findByTestId('today-appointment-21');
    await fireEvent.click(row);
    expect(row.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByTestId('appointment-21-state').textContent).toContain('Not recorded yet');
    // The same choices, in the same words, as a session's check-in.
    const choices = screen.getByRole('group', { name: 'Attendance for Jo Pike' });
    expect(choices.textContent).toContain('Present');
    expect(choices.textContent).toContain('Late…');
    expect(choices.textContent).toContain('Left early…');
    expect(choices.textContent).toContain('Absent (excused)');
    expect(choices.textContent).toContain('No-show');
    expect(choices.textContent).toContain('Late cancellation');

    api.appointmentAttendanceRecord.mockResolvedValue(
      ok({ appointmentId: 21, status: 'present', arrivedAt: null, leftAt: null }),
    );
    await fireEvent.click(screen.getByTestId('appointment-21-present'));
    expect(api.appointmentAttendanceRecord).toHaveBeenCalledWith({
      appointmentId: 21,
      status: 'present',
      arrivedAt: null,
      leftAt: null,
    });
    expect(api.attendanceRecord).not.toHaveBeenCalled();
    await waitFor(() =>
      expect(screen.getByTestId('today-appointment-21-status').textContent).toContain(
        '✓ Present',
      ),
    );
    expect(screen.getByTestId('appointment-21-state').textContent).toContain('Recorded: Present');
    expect(screen.getByTestId('appointment-21-present').getAttribute('aria-pressed')).toBe('true');

    await fireEvent.click(screen.getByRole('button', { name: "Open Jo Pike's chart" }));
    expect(navigate).toHaveBeenCalledWith('clients', { clientId: 150 });
  });

  it('shows what is recorded for an appointment when the day loads', async () => {
    api.agenda.mockResolvedValue(
      ok(
        agenda({
          appointments: [
            {
              ...intake,
              attendance: {
                appointmentId: 21,
                status: 'late',
                arrivedAt: '2030-01-15T09:40:00Z',
                leftAt: null,
              },
            },
          ],
        }),
      ),
    );
    render(TodayScreen);
    expect((await screen.findByTestId('today-appointment-21-status')).textContent).toContain(
      'Late, arrived 09:40',
    );
  });

  it('refuses leaving before arriving at an appointment beside the leaving time', async () => {
    render(TodayScreen);
    await fireEvent.click(await screen.findByTestId('today-appointment-21'));
    await fireEvent.click(screen.getByTestId('appointment-21-leftEarly'));
    await fireEvent.input(input('arrivedAt-appointment-21'), { target: { value: '10:00' } });
    await fireEvent.input(input('leftAt-appointment-21'), { target: { value: '09:50' } });
    await fireEvent.click(screen.getByTestId('appointment-21-save'));

    expect((await screen.findByTestId('error-leftAt-appointment-21')).textContent).toContain(
      'They cannot leave before they arrive: enter a time after 10:00.',
    );
    expect(api.appointmentAttendanceRecord).not.toHaveBeenCalled();

    // Rust's refusals land beside their field too.
    await fireEvent.input(input('leftAt-appointment-21'), { target: { value: '11:00' } });
    api.appointmentAttendanceRecord.mockResolvedValue(
      refused('invalid', 'That time is outside the appointment.', 'leftAt'),
    );
    await fireEvent.click(screen.getByTestId('appointment-21-save'));
    expect((await screen.findByTestId('error-leftAt-appointment-21')).textContent).toContain(
      'outside the appointment',
    );
    expect(api.appointmentAttendanceRecord).toHaveBeenCalledWith({
      appointmentId: 21,
      status: 'leftEarly',
      arrivedAt: '10:00',
      leftAt: '11:00',
    });
  });

  it('offers no check-in for a cancelled appointment', async () => {
    api.agenda.mockResolvedValue(ok(agenda({ appointments: [{ ...intake, cancelled: true }] })));
    render(TodayScreen);
    const row = await screen.findByTestId('today-appointment-21');
    expect(row.textContent).toContain('Cancelled');
    expect(row.textContent).toContain('Jo Pike');
    expect((row as HTMLButtonElement).disabled).toBe(true);
    expect(row.textContent).not.toContain('Check in');
  });

  it('names individual and family/couple sessions by their kind and clients, and checks them in', async () => {
    const kwame: GroupSession = {
      ...dbt,
      id: 31,
      groupId: 40,
      groupName: 'Individual session',
      format: 'individual',
      clientNames: ['Kwame Mensah'],
      startsAt: '2030-01-15T08:00:00Z',
      endsAt: '2030-01-15T08:50:00Z',
      membersBooked: 1,
    };
    const reyes: GroupSession = {
      ...kwame,
      id: 32,
      groupId: 41,
      groupName: 'Family/couple session',
      format: 'family',
      clientNames: ['Ana Reyes', 'Luis Reyes'],
      startsAt: '2030-01-15T12:00:00Z',
      endsAt: '2030-01-15T13:00:00Z',
      membersBooked: 2,
    };
    api.agenda.mockResolvedValue(ok(agenda({ sessions: [dbt, kwame, reyes] })));
    api.checkInList.mockResolvedValue(
      ok([{ clientId: 140, clientName: 'Kwame Mensah', attendance: null }]),
    );
    render(TodayScreen);
    const row = await screen.findByTestId('today-session-31');
    expect(row.textContent).toContain('Individual session · Kwame Mensah');
    expect(screen.getByTestId('today-session-32').textContent).toContain(
      'Family/couple session · Ana Reyes, Luis Reyes',
    );
    expect(screen.getByTestId('today-session-11').textContent).toContain('DBT Skills');
    await fireEvent.click(row);
    expect(await screen.findByTestId('checkin-31-140')).toBeTruthy();
    expect(api.checkInList).toHaveBeenCalledWith(31);
  });

  it('opens the group from a waitlist line', async () => {
    const navigate = vi.spyOn(signin, 'navigate');
    render(TodayScreen);
    await fireEvent.click(await screen.findByTestId('today-waitlist-3'));
    expect(navigate).toHaveBeenCalledWith('groups', { groupId: 3 });
  });

  it('says what to do next on a quiet day', async () => {
    api.agenda.mockResolvedValue(ok(agenda({ sessions: [], appointments: [], waitlists: [] })));
    render(TodayScreen);
    expect((await screen.findByTestId('today-no-sessions')).textContent).toContain(
      'No sessions today. Groups and their series are set up under Groups.',
    );
    expect(screen.getByTestId('today-no-appointments').textContent).toContain('Schedule');
  });

  it('says plainly when the day cannot be loaded', async () => {
    api.agenda.mockResolvedValue(refused('locked', 'Circle is locked. Unlock to continue.'));
    render(TodayScreen);
    expect((await screen.findByTestId('today-error')).textContent).toContain('Circle is locked');
  });
});
