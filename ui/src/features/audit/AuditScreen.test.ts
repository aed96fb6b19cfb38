import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  AuditEntry,
  CommandError,
  Result,
  SignedInInfo,
  StaffMember,
  VerifyReport,
} from '../../lib/api';
import AuditScreen from './AuditScreen.svelte';
import { timeFormatter } from './describe';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  auditList: vi.fn(),
  staffList: vi.fn(),
  currentSignIn: vi.fn(),
  verifyVault: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

function ok<T>(data: T): Result<T, CommandError> {
  return { status: 'ok', data };
}

function refused(error: CommandError): Result<never, CommandError> {
  return { status: 'error', error };
}

const ZONE = 'Pacific/Kiritimati'; // UTC+14: a wrong zone cannot go unnoticed.

const session: SignedInInfo = {
  staffId: 1,
  username: 'mara',
  fullName: 'Mara Lindqvist',
  role: 'owner',
  roleLabel: 'Owner',
  practiceName: 'Harbour Street Groups',
  timezone: ZONE,
  locale: 'en-GB',
  idleLockMinutes: 10,
  mustChangePassphrase: false,
  hasClinicalAccess: true,
  capabilities: ['scheduling', 'readWriteNotes', 'sign', 'coSign', 'administer'],
};

const staff: StaffMember[] = [
  { id: 1, username: 'mara', fullName: 'Mara Lindqvist', role: 'owner', clinical: true, active: true, supervisorId: null },
  { id: 2, username: 'dana.r', fullName: 'Dana Reyes', role: 'frontDesk', clinical: false, active: true, supervisorId: null },
  { id: 3, username: 'olu', fullName: 'Olu Bankole', role: 'clinician', clinical: true, active: false, supervisorId: null },
];

function entry(id: number, action: string, more: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    at: '2026-03-03T04:00:00Z',
    actorId: 1,
    action,
    entityKind: null,
    entityId: null,
    detail: null,
    ...more,
  };
}

const newestFirst: AuditEntry[] = [
  entry(14, 'staff.role_changed', { entityKind: 'staff', entityId: 2, detail: 'clinician->front_desk' }),
  entry(13, 'staff.deactivated', { entityKind: 'staff', entityId: 3 }),
  entry(12, 'vault.keys_rotated', { detail: 'practice+clinical' }),
  entry(11, 'session.unlock_failed', { actorId: null, entityKind: 'staff', entityId: 2 }),
  entry(10, 'session.unlock', { entityKind: 'staff', entityId: 1 }),
];

function filterOf(call: number) {
  return api.auditList.mock.calls[call][0];
}

function cells(id: number): string[] {
  return within(screen.getByTestId(`audit-row-${id}`))
    .getAllByRole('cell')
    .map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim() ?? '');
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  api.currentSignIn.mockResolvedValue(ok(session));
  api.staffList.mockResolvedValue(ok(staff));
  api.auditList.mockResolvedValue(ok(newestFirst));
});

describe('AuditScreen', () => {
  it('shows each entry in words, with names from the staff list', async () => {
    render(AuditScreen);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Audit trail');

    await screen.findByTestId('audit-row-14');
    await waitFor(() => expect(cells(14)[1]).toBe('Mara Lindqvist'));
    const when = timeFormatter(ZONE)('2026-03-03T04:00:00Z');
    expect(when).not.toBe(timeFormatter('UTC')('2026-03-03T04:00:00Z'));
    expect(cells(14)).toEqual([
      when.replace(/\s+/g, ' '),
      'Mara Lindqvist',
      'Changed a role clinician → front desk',
      'Staff: Dana Reyes',
    ]);
    expect(cells(13).slice(2)).toEqual(['Deactivated a staff member', 'Staff: Olu Bankole']);
    expect(cells(12).slice(2)).toEqual([
      'Replaced the encryption keys practice and clinical records',
      '—',
    ]);
    expect(cells(11).slice(1)).toEqual(['—', 'Failed sign-in', 'Staff: Dana Reyes']);
    expect(cells(10)[2]).toBe('Signed in');

    const ids = screen.getAllByTestId(/^audit-row-/).map((row) => row.dataset.testid);
    expect(ids).toEqual(['audit-row-14', 'audit-row-13', 'audit-row-12', 'audit-row-11', 'audit-row-10']);
    expect(filterOf(0)).toEqual({ actorId: null, actionPrefix: null, beforeId: null, limit: 100 });
  });

  it('filters by category and by person', async () => {
    render(AuditScreen);
    await screen.findByTestId('audit-row-14');

    await fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'staff.' } });
    await waitFor(() => expect(api.auditList).toHaveBeenCalledTimes(2));
    expect(filterOf(1)).toEqual({ actorId: null, actionPrefix: 'staff.', beforeId: null, limit: 100 });

    const person = await screen.findByLabelText('Person');
    const options = within(person).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Everyone', 'Dana Reyes', 'Mara Lindqvist', 'Olu Bankole (deactivated)']);
    await fireEvent.change(person, { target: { value: '2' } });
    await waitFor(() => expect(api.auditList).toHaveBeenCalledTimes(3));
    expect(filterOf(2)).toEqual({ actorId: 2, actionPrefix: 'staff.', beforeId: null, limit: 100 });
  });

  it('hides the person filter when the staff list is refused', async () => {
    api.staffList.mockResolvedValue(
      refused({ kind: 'forbidden', message: 'Only an owner or practice manager can do that.', field: null }),
    );
    render(AuditScreen);
    await screen.findByTestId('audit-row-14');
    await waitFor(() => expect(api.staffList).toHaveBeenCalled());
    expect(screen.queryByLabelText('Person')).toBeNull();
    expect(cells(14)[1]).toBe('#1');
    expect(cells(14)[3]).toBe('Staff #2');
  });

  it('pages back through older entries', async () => {
    const page = Array.from({ length: 100 }, (_, i) => entry(300 - i, 'session.lock'));
    api.auditList
      .mockResolvedValueOnce(ok(page))
      .mockResolvedValueOnce(ok([entry(200, 'session.unlock'), entry(199, 'vault.setup')]));
    render(AuditScreen);

    const older = await screen.findByRole('button', { name: 'Show older entries' });
    await fireEvent.click(older);

    await screen.findByTestId('audit-row-199');
    expect(filterOf(1)).toEqual({ actorId: null, actionPrefix: null, beforeId: 201, limit: 100 });
    expect(screen.getAllByTestId(/^audit-row-/)).toHaveLength(102);
    expect(screen.queryByRole('button', { name: 'Show older entries' })).toBeNull();
    expect(screen.getByText('That is where the audit trail begins.')).toBeTruthy();
  });

  it('says so when nothing matches', async () => {
    render(AuditScreen);
    await screen.findByTestId('audit-row-14');
    api.auditList.mockResolvedValue(ok([]));

    await fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'practice.' } });
    expect((await screen.findByTestId('audit-empty')).textContent).toContain(
      'No entries match these filters.',
    );
  });

  it('reports a clean integrity check, noting what it could not check', async () => {
    api.verifyVault.mockResolvedValue(ok<VerifyReport>({ findings: [], clinicalChecked: false }));
    render(AuditScreen);

    await fireEvent.click(screen.getByRole('button', { name: 'Check integrity' }));

    const report = await screen.findByTestId('audit-verify-report');
    expect(report.textContent).toContain(
      'Everything checks out: databases intact, audit trail unbroken.',
    );
    expect(report.textContent).toContain('The clinical records were not checked');
  });

  it('lists every finding of the integrity check', async () => {
    api.verifyVault.mockResolvedValue(
      ok<VerifyReport>({
        findings: ['practice.db: page 12 is damaged', 'audit log: the chain breaks at row 40 (mac mismatch)'],
        clinicalChecked: true,
      }),
    );
    render(AuditScreen);

    await fireEvent.click(screen.getByRole('button', { name: 'Check integrity' }));

    const report = await screen.findByTestId('audit-verify-report');
    const items = within(report).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      'practice.db: page 12 is damaged',
      'audit log: the chain breaks at row 40 (mac mismatch)',
    ]);
    expect(report.textContent).not.toContain('Everything checks out');
    expect(report.textContent).not.toContain('were not checked');
  });
});
