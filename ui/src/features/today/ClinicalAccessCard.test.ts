import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClinicalAccessRequest } from '../../lib/api';
import { signin } from '../../lib/signin.svelte';
import { frontDesk, ok, person, refused } from '../../lib/testing/fixtures';
import ClinicalAccessCard from './ClinicalAccessCard.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  clinicalAccessWaiting: vi.fn(),
  clinicalAccessApprove: vi.fn(),
  currentSignIn: vi.fn(),
}));
vi.mock('../../lib/api/bindings', async (importOriginal) => ({
  commands: api,
  ROLE_FACTS: (await importOriginal<typeof import('../../lib/api/bindings')>()).ROLE_FACTS,
}));

const TZ = 'Europe/Dublin';

const owner = person();

// Winter in Dublin: the practice's calendar reads the same as UTC.
const recorded: ClinicalAccessRequest = {
  staffId: 6,
  fullName: 'Priya Nair',
  role: 'clinician',
  changedBy: 'Dana Reyes',
  changedAt: '2030-01-14T10:00:00Z',
  keyringMatches: true,
};
const unexplained: ClinicalAccessRequest = {
  staffId: 7,
  fullName: 'Inés Duarte',
  role: 'supervisor',
  changedBy: null,
  changedAt: null,
  keyringMatches: true,
};
const mismatched: ClinicalAccessRequest = {
  staffId: 8,
  fullName: 'Tomasz Wrona',
  role: 'clinician',
  changedBy: 'Dana Reyes',
  changedAt: '2030-01-12T09:00:00Z',
  keyringMatches: false,
};

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  signin.signIn(owner);
  api.currentSignIn.mockResolvedValue(ok(owner));
  api.clinicalAccessWaiting.mockResolvedValue(ok([recorded, unexplained, mismatched]));
  api.clinicalAccessApprove.mockResolvedValue(ok(null));
});

afterEach(() => {
  signin.clearAll();
});

async function card() {
  render(ClinicalAccessCard, { tz: TZ });
  return screen.findByRole('region', { name: 'Waiting for clinical access' });
}

describe('ClinicalAccessCard', () => {
  it('lists who waits, with their role and who set it and when', async () => {
    const region = await card();
    expect(api.clinicalAccessWaiting).toHaveBeenCalledTimes(1);
    expect(api.clinicalAccessWaiting).toHaveBeenCalledWith();

    const row = within(region).getByTestId('clinical-access-6');
    expect(row.textContent).toContain('Priya Nair');
    expect(row.textContent).toContain('Clinician');
    const setBy = within(row).getByTestId('clinical-access-6-set-by');
    expect(setBy.textContent).toMatch(/^Role set by Dana Reyes on \S+ 14 Jan$/);
    expect(within(row).queryByTestId('clinical-access-6-no-record')).toBeNull();
    expect(within(row).queryByTestId('clinical-access-6-mismatch')).toBeNull();
    const approve = within(row).getByRole('button', {
      name: 'Approve clinical access for Priya Nair',
    });
    expect(approve.textContent?.trim()).toBe('Approve clinical access');
    expect(approve.getAttribute('aria-haspopup')).toBe('dialog');
  });

  it('warns, in words and with a symbol, when nobody is recorded as giving the role', async () => {
    await card();
    const row = screen.getByTestId('clinical-access-7');
    expect(row.textContent).toContain('Inés Duarte');
    expect(row.textContent).toContain('Supervisor');
    expect(within(row).queryByTestId('clinical-access-7-set-by')).toBeNull();
    const warning = within(row).getByTestId('clinical-access-7-no-record');
    expect(warning.textContent).toContain(
      'No record of who gave this role — check with them before approving.',
    );
    expect(warning.querySelector('[aria-hidden="true"]')?.textContent).toBe('!');
    // Approving is still possible: the holder checks first.
    expect(
      within(row).getByRole('button', { name: 'Approve clinical access for Inés Duarte' }),
    ).toBeTruthy();
  });

  it('offers no approval when the login file does not match the record', async () => {
    await card();
    const row = screen.getByTestId('clinical-access-8');
    expect(row.textContent).toContain('Tomasz Wrona');
    expect(within(row).getByTestId('clinical-access-8-set-by').textContent).toContain(
      'Role set by Dana Reyes',
    );
    expect(within(row).getByTestId('clinical-access-8-mismatch').textContent).toMatch(
      /Their login file does not match Circle's record; approving is not possible\.\s+Reset their passphrase from Staff\./,
    );
    expect(within(row).queryAllByRole('button')).toHaveLength(0);
  });

  it('asks first, then approves, removes the row and confirms', async () => {
    await card();
    const row = screen.getByTestId('clinical-access-6');
    await fireEvent.click(within(row).getByRole('button', { name: /Approve clinical access/ }));

    let dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('Give Priya Nair access to clinical records?');
    expect(dialog.textContent).toContain('from their next sign-in');
    expect(api.clinicalAccessApprove).not.toHaveBeenCalled();

    // Cancel sends nothing and keeps the row.
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.clinicalAccessApprove).not.toHaveBeenCalled();
    expect(screen.getByTestId('clinical-access-6')).toBeTruthy();

    await fireEvent.click(screen.getByTestId('clinical-access-6-approve'));
    dialog = await screen.findByRole('dialog');
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Approve clinical access' }));

    expect(api.clinicalAccessApprove).toHaveBeenCalledTimes(1);
    expect(api.clinicalAccessApprove).toHaveBeenCalledWith(6);
    await vi.waitFor(() => expect(screen.queryByTestId('clinical-access-6')).toBeNull());
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('clinical-access-done').textContent).toBe(
      'Priya Nair can read clinical notes from their next sign-in.',
    );
    // The row's button is gone: focus goes to the news, not to the page's start.
    await vi.waitFor(() =>
      expect(document.activeElement).toBe(screen.getByTestId('clinical-access-done')),
    );
    // The others still wait.
    expect(screen.getByTestId('clinical-access-7')).toBeTruthy();
    expect(screen.getByTestId('clinical-access-8')).toBeTruthy();
  });

  it('mentions the missing record again in the question', async () => {
    await card();
    await fireEvent.click(screen.getByTestId('clinical-access-7-approve'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('no record of who gave them this role');
  });

  it('keeps the confirmation after the last person is approved', async () => {
    api.clinicalAccessWaiting.mockResolvedValue(ok([recorded]));
    await card();
    await fireEvent.click(screen.getByTestId('clinical-access-6-approve'));
    await fireEvent.click(await screen.findByTestId('clinical-access-confirm-approve'));
    await vi.waitFor(() => expect(screen.queryByTestId('clinical-access-6')).toBeNull());
    expect(screen.getByTestId('clinical-access-done').textContent).toContain('Priya Nair');
  });

  it('shows a refusal beside the row it belongs to, and keeps the row', async () => {
    api.clinicalAccessApprove.mockResolvedValue(
      refused(
        'conflict',
        'This person has not signed in since Circle began checking logins. Ask them to sign in once, then approve.',
      ),
    );
    await card();
    await fireEvent.click(screen.getByTestId('clinical-access-7-approve'));
    await fireEvent.click(await screen.findByTestId('clinical-access-confirm-approve'));

    const error = await screen.findByTestId('clinical-access-7-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain('Ask them to sign in once, then approve.');
    const row = screen.getByTestId('clinical-access-7');
    expect(row.contains(error)).toBe(true);
    expect(screen.getByTestId('clinical-access-7-approve').getAttribute('aria-describedby')).toBe(
      error.id,
    );
    expect(screen.queryByTestId('clinical-access-6-error')).toBeNull();
    expect(screen.queryByTestId('clinical-access-done')).toBeNull();
  });

  it('shows nothing when nobody is waiting', async () => {
    api.clinicalAccessWaiting.mockResolvedValue(ok([]));
    render(ClinicalAccessCard, { tz: TZ });
    await vi.waitFor(() => expect(api.clinicalAccessWaiting).toHaveBeenCalledTimes(1));
    await Promise.resolve();
    expect(screen.queryByText('Waiting for clinical access')).toBeNull();
    expect(document.body.textContent?.trim()).toBe('');
  });

  it('neither asks nor shows anything to someone without the clinical key', async () => {
    for (const who of [
      person({ fullName: 'Priya Nair', role: 'clinician', hasClinicalAccess: false }),
      frontDesk(),
    ]) {
      signin.signIn(who);
      const { unmount } = render(ClinicalAccessCard, { tz: TZ });
      await Promise.resolve();
      expect(screen.queryByText('Waiting for clinical access')).toBeNull();
      unmount();
    }
    expect(api.clinicalAccessWaiting).not.toHaveBeenCalled();
  });

  it('says calmly when the list did not load, and tries again', async () => {
    api.clinicalAccessWaiting
      .mockResolvedValueOnce(refused('forbidden', 'Only someone with clinical access can see this.'))
      .mockResolvedValue(ok([recorded]));
    render(ClinicalAccessCard, { tz: TZ });

    const line = await screen.findByTestId('clinical-access-error');
    expect(line.textContent).toContain('Could not check who is waiting for clinical access');
    expect(line.textContent).toContain('Only someone with clinical access can see this.');
    expect(screen.queryByRole('region')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();

    await fireEvent.click(within(line).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('clinical-access-6')).toBeTruthy();
    expect(api.clinicalAccessWaiting).toHaveBeenCalledTimes(2);
  });

  it('forgets who waits when Circle locks', async () => {
    await card();
    signin.clearAll();
    await vi.waitFor(() => expect(screen.queryByTestId('clinical-access-6')).toBeNull());
    expect(document.body.textContent).not.toContain('Priya Nair');
  });
});
