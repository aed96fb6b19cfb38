import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  CommandError,
  NewStaffForm,
  Result,
  Role,
  RotationOutcome,
  RotationProgress,
  SignedInInfo,
  StaffMember,
  Strength,
} from '../../lib/api';
import type { Channel } from '../../lib/api/channel';
import StaffScreen from './StaffScreen.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  staffList: vi.fn(),
  staffAdd: vi.fn(),
  staffChangeRole: vi.fn(),
  staffResetPassphrase: vi.fn(),
  staffDeactivate: vi.fn(),
  staffSetSupervisor: vi.fn(),
  passphraseStrength: vi.fn(),
  currentSignIn: vi.fn(),
}));
// The role facts are data Rust generated into the bindings: the real ones.
vi.mock('../../lib/api/bindings', async (importOriginal) => ({
  ROLE_FACTS: (await importOriginal<typeof import('../../lib/api/bindings')>()).ROLE_FACTS,
  commands: api,
}));

function ok<T>(data: T): Result<T, CommandError> {
  return { status: 'ok', data };
}

function refused(error: CommandError): Result<never, CommandError> {
  return { status: 'error', error };
}

function member(
  id: number,
  username: string,
  fullName: string,
  role: Role,
  active = true,
  supervisorId: number | null = null,
): StaffMember {
  const clinical = role === 'owner' || role === 'clinician' || role === 'supervisor';
  return { id, username, fullName, role, clinical, active, supervisorId };
}

const owner = member(1, 'mara', 'Mara Lindqvist', 'owner');
const clinician = member(2, 'dana.r', 'Dana Reyes', 'clinician');
const former = member(3, 'olu', 'Olu Bankole', 'frontDesk', false);

const me: SignedInInfo = {
  staffId: 1,
  username: 'mara',
  fullName: 'Mara Lindqvist',
  role: 'owner',
  roleLabel: 'Owner',
  practiceName: 'Harbour Street Groups',
  timezone: 'Europe/Berlin',
  locale: 'en-GB',
  idleLockMinutes: 10,
  mustChangePassphrase: false,
  hasClinicalAccess: true,
  capabilities: ['scheduling', 'readWriteNotes', 'sign', 'coSign', 'administer'],
};

// Channel() registers its callback with Tauri's IPC; in jsdom a stand-in
// registry is enough, and the test plays Rust by calling `onmessage`.
beforeEach(() => {
  Object.assign(window, {
    __TAURI_INTERNALS__: { transformCallback: () => 1, unregisterCallback: () => {} },
  });
  for (const fn of Object.values(api)) fn.mockReset();
  api.currentSignIn.mockResolvedValue(ok(me));
  api.passphraseStrength.mockResolvedValue(
    ok<Strength>({ score: 3, acceptable: true, advice: null }),
  );
});

afterEach(() => {
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});

function row(username: string): HTMLElement {
  return screen.getByTestId(`staff-row-${username}`);
}

function field(name: string): HTMLInputElement | HTMLSelectElement {
  const element = document.querySelector<HTMLInputElement | HTMLSelectElement>(
    `form [name="${name}"]`,
  );
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

async function fillAddForm(form: NewStaffForm) {
  await fireEvent.input(field('fullName'), { target: { value: form.fullName } });
  await fireEvent.input(field('username'), { target: { value: form.username } });
  await fireEvent.change(field('role'), { target: { value: form.role } });
  await fireEvent.input(field('initialPassphrase'), {
    target: { value: form.initialPassphrase },
  });
}

const newcomer: NewStaffForm = {
  fullName: 'Priya Natarajan',
  username: 'priya',
  role: 'clinician',
  initialPassphrase: 'lantern orchard velvet ninety',
};

describe('StaffScreen', () => {
  it('lists each person with a role label and a status word', async () => {
    api.staffList.mockResolvedValue(ok([owner, clinician, former]));
    render(StaffScreen);

    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Staff');
    const dana = await screen.findByTestId('staff-row-dana.r');
    expect(dana.textContent).toContain('Dana Reyes');
    expect(dana.textContent).toContain('Clinician');
    expect(dana.textContent).toContain('Active');
    expect(within(dana).getByRole('button', { name: /Deactivate/ })).toBeTruthy();

    const olu = row('olu');
    expect(olu.textContent).toContain('Front desk');
    expect(olu.textContent).toContain('Deactivated');
    expect(within(olu).queryAllByRole('button')).toHaveLength(0);

    // Your own row: no way to deactivate yourself.
    await waitFor(() => expect(row('mara').textContent).toContain('(you)'));
    expect(within(row('mara')).queryByRole('button', { name: /Deactivate/ })).toBeNull();
    expect(screen.queryByTestId('staff-alone')).toBeNull();
  });

  it('encourages adding colleagues when only one person can sign in', async () => {
    api.staffList.mockResolvedValue(ok([owner]));
    render(StaffScreen);
    expect((await screen.findByTestId('staff-alone')).textContent).toMatch(/Add your colleagues/);
  });

  it('shows a refusal beside the field it names and keeps what was typed', async () => {
    api.staffList.mockResolvedValue(ok([owner]));
    api.staffAdd.mockResolvedValue(
      refused({ kind: 'invalid', message: 'That username is taken. Choose another.', field: 'username' }),
    );
    render(StaffScreen);
    await screen.findByTestId('staff-row-mara');

    await fillAddForm(newcomer);
    await fireEvent.click(screen.getByTestId('staff-add-submit'));

    await waitFor(() => expect(field('username').getAttribute('aria-invalid')).toBe('true'));
    expect(description(field('username'))).toContain('That username is taken. Choose another.');
    expect(field('fullName').getAttribute('aria-invalid')).toBeNull();
    expect(field('initialPassphrase').getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();

    expect(api.staffAdd).toHaveBeenCalledWith(newcomer);
    expect(field('fullName').value).toBe('Priya Natarajan');
    expect(field('username').value).toBe('priya');
    expect(field('role').value).toBe('clinician');
    expect(field('initialPassphrase').value).toBe('lantern orchard velvet ninety');
    expect(api.staffList).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('staff-add-success')).toBeNull();
  });

  it('shows a refusal without a field in a notice', async () => {
    api.staffList.mockResolvedValue(ok([owner]));
    api.staffAdd.mockResolvedValue(
      refused({ kind: 'forbidden', message: 'Only an owner or practice manager can do that.', field: null }),
    );
    render(StaffScreen);
    await screen.findByTestId('staff-row-mara');

    await fillAddForm(newcomer);
    await fireEvent.click(screen.getByTestId('staff-add-submit'));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Only an owner or practice manager can do that.');
    expect(field('username').value).toBe('priya');
  });

  it('starts the role at front desk, the one that sees least, and says what it allows', async () => {
    api.staffList.mockResolvedValue(ok([owner]));
    render(StaffScreen);
    await screen.findByTestId('staff-row-mara');

    const role = field('role') as HTMLSelectElement;
    expect(role.value).toBe('frontDesk');
    // Every choice is a role: there is no empty one to send by mistake.
    expect([...role.options].map((option) => option.value)).not.toContain('');
    expect(description(role)).toContain('Cannot read notes.');
  });

  it('keeps the form to add someone above the list, where opening a row cannot move it', async () => {
    api.staffList.mockResolvedValue(ok([owner, clinician]));
    render(StaffScreen);
    const dana = await screen.findByTestId('staff-row-dana.r');
    const form = field('fullName').closest('form') as HTMLFormElement;
    expect(form.compareDocumentPosition(dana) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('adds a person, clears the form and refreshes the list', async () => {
    const priya = member(4, 'priya', 'Priya Natarajan', 'clinician');
    api.staffList.mockResolvedValueOnce(ok([owner])).mockResolvedValueOnce(ok([owner, priya]));
    api.staffAdd.mockResolvedValue(ok(priya));
    render(StaffScreen);
    await screen.findByTestId('staff-row-mara');
    expect(screen.queryByTestId('staff-row-priya')).toBeNull();

    await fillAddForm(newcomer);
    await fireEvent.click(screen.getByTestId('staff-add-submit'));

    const added = await screen.findByTestId('staff-row-priya');
    expect(added.textContent).toContain('Priya Natarajan');
    expect(added.textContent).toContain('Clinician');
    expect(api.staffAdd).toHaveBeenCalledWith(newcomer);
    expect(api.staffList).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId('staff-add-success').textContent).toBe(
      'Added Priya Natarajan. Give them the initial passphrase in person.',
    );
    expect(field('fullName').value).toBe('');
    expect(field('username').value).toBe('');
    expect(field('role').value).toBe('frontDesk');
    expect(field('initialPassphrase').value).toBe('');
    expect(screen.queryByTestId('staff-alone')).toBeNull();
    // Ready for the next person: focus back in Full name, not left in the passphrase.
    await waitFor(() => expect(document.activeElement).toBe(field('fullName')));
  });

  it('rates the initial passphrase against the username and name', async () => {
    api.staffList.mockResolvedValue(ok([owner]));
    api.passphraseStrength.mockResolvedValue(
      ok<Strength>({
        score: 1,
        acceptable: false,
        advice: 'This is too easy to guess. Add another unrelated word or two.',
      }),
    );
    render(StaffScreen);
    await screen.findByTestId('staff-row-mara');

    await fillAddForm({ ...newcomer, initialPassphrase: 'priya2026!!!' });

    // The same meter as everywhere else a passphrase is chosen.
    const word = await screen.findByTestId('strength-word');
    expect(word.textContent).toBe('Weak');
    expect(screen.getByTestId('strength-advice').textContent).toContain(
      'Add another unrelated word or two.',
    );
    expect(api.passphraseStrength).toHaveBeenLastCalledWith('priya2026!!!', [
      'priya',
      'Priya Natarajan',
    ]);
  });

  it('asks before deactivating and sends nothing on cancel', async () => {
    api.staffList.mockResolvedValue(ok([owner, clinician]));
    render(StaffScreen);
    const dana = await screen.findByTestId('staff-row-dana.r');

    const opener = within(dana).getByRole('button', { name: /Deactivate/ });
    opener.focus();
    await fireEvent.click(opener);

    const dialog = await screen.findByRole('dialog');
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.textContent).toContain('will no longer be able to sign in');
    const rotate = within(dialog).getByLabelText(
      'Also replace the encryption keys (recommended when someone leaves)',
    ) as HTMLInputElement;
    expect(rotate.checked).toBe(true);
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    expect(api.staffDeactivate).not.toHaveBeenCalled();

    await fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.staffDeactivate).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(opener);
  });

  it('deactivates with key rotation, showing each step and the outcome', async () => {
    const deactivated = { ...clinician, active: false };
    api.staffList
      .mockResolvedValueOnce(ok([owner, clinician]))
      .mockResolvedValue(ok([owner, deactivated]));
    let channel: Channel<RotationProgress> | undefined;
    let finish: (outcome: RotationOutcome) => void = () => {};
    api.staffDeactivate.mockImplementation(
      (_id: number, _rotate: boolean, progress: Channel<RotationProgress>) => {
        channel = progress;
        return new Promise((resolve) => {
          finish = (outcome) => resolve(ok(outcome));
        });
      },
    );
    render(StaffScreen);
    const dana = await screen.findByTestId('staff-row-dana.r');
    await fireEvent.click(within(dana).getByRole('button', { name: /Deactivate/ }));
    const dialog = await screen.findByRole('dialog');
    await fireEvent.click(within(dialog).getByTestId('staff-deactivate-confirm'));

    expect(api.staffDeactivate).toHaveBeenCalledTimes(1);
    expect(api.staffDeactivate.mock.calls[0][0]).toBe(2);
    expect(api.staffDeactivate.mock.calls[0][1]).toBe(true);

    channel?.onmessage({ step: 2, of: 3, label: 'Re-encrypting the practice records' });
    const step = await within(dialog).findByTestId('rotation-step');
    expect(step.textContent).toBe('Step 2 of 3: Re-encrypting the practice records');
    expect((within(dialog).getByRole('progressbar') as HTMLProgressElement).value).toBe(2);

    finish({ practiceRotated: true, clinicalRotated: false, colleaguesUpdated: 2 });
    const outcome = await within(dialog).findByTestId('deactivate-outcome');
    expect(outcome.textContent).toContain('The encryption keys were replaced.');
    expect(outcome.textContent).toContain(
      "The clinical records' keys were not replaced, because this login cannot open them",
    );
    expect(outcome.textContent).toContain('An owner should replace them.');

    await fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(row('dana.r').textContent).toContain('Deactivated');
    expect(within(row('dana.r')).queryAllByRole('button')).toHaveLength(0);
  });

  it('passes rotateKeys false when the box is unticked', async () => {
    api.staffList
      .mockResolvedValueOnce(ok([owner, clinician]))
      .mockResolvedValue(ok([owner, { ...clinician, active: false }]));
    api.staffDeactivate.mockResolvedValue(ok(null));
    render(StaffScreen);
    const dana = await screen.findByTestId('staff-row-dana.r');
    await fireEvent.click(within(dana).getByRole('button', { name: /Deactivate/ }));
    const dialog = await screen.findByRole('dialog');

    await fireEvent.click(within(dialog).getByRole('checkbox'));
    await fireEvent.click(within(dialog).getByTestId('staff-deactivate-confirm'));

    expect(api.staffDeactivate).toHaveBeenCalledWith(2, false, expect.anything());
    const outcome = await within(dialog).findByTestId('deactivate-outcome');
    expect(outcome.textContent).toContain('The encryption keys were not replaced.');
  });

  it('keeps the dialog open with the reason when deactivation is refused', async () => {
    api.staffList.mockResolvedValue(ok([owner, clinician]));
    api.staffDeactivate.mockResolvedValue(
      refused({
        kind: 'conflict',
        message: 'This is the last person who can manage staff.',
        field: null,
      }),
    );
    render(StaffScreen);
    const dana = await screen.findByTestId('staff-row-dana.r');
    await fireEvent.click(within(dana).getByRole('button', { name: /Deactivate/ }));
    const dialog = await screen.findByRole('dialog');
    await fireEvent.click(within(dialog).getByTestId('staff-deactivate-confirm'));

    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('This is the last person who can manage staff.');
    expect(within(dialog).getByTestId('staff-deactivate-confirm')).toBeTruthy();
  });

  it('confirms before taking clinical access away with a role change', async () => {
    const moved = { ...clinician, role: 'frontDesk' as const };
    api.staffList.mockResolvedValueOnce(ok([owner, clinician])).mockResolvedValue(ok([owner, moved]));
    api.staffChangeRole.mockResolvedValue(ok(moved));
    render(StaffScreen);
    const dana = await screen.findByTestId('staff-row-dana.r');

    await fireEvent.click(within(dana).getByRole('button', { name: /Change role/ }));
    const panel = screen.getByTestId('staff-panel-dana.r');
    await fireEvent.change(within(panel).getByLabelText('New role'), {
      target: { value: 'frontDesk' },
    });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Save role' }));

    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('access to clinical records');
    expect(api.staffChangeRole).not.toHaveBeenCalled();

    await fireEvent.click(within(dialog).getByRole('button', { name: 'Remove clinical access' }));
    expect(api.staffChangeRole).toHaveBeenCalledWith(2, 'frontDesk');
    await waitFor(() => expect(row('dana.r').textContent).toContain('Front desk'));
    expect(screen.getByTestId('staff-news').textContent).toBe('Dana Reyes is now front desk.');
  });

  it('changes a role without asking when clinical access stays', async () => {
    const promoted = { ...clinician, role: 'supervisor' as const };
    api.staffList.mockResolvedValueOnce(ok([owner, clinician])).mockResolvedValue(ok([owner, promoted]));
    api.staffChangeRole.mockResolvedValue(ok(promoted));
    render(StaffScreen);
    const dana = await screen.findByTestId('staff-row-dana.r');

    await fireEvent.click(within(dana).getByRole('button', { name: /Change role/ }));
    const panel = screen.getByTestId('staff-panel-dana.r');
    await fireEvent.change(within(panel).getByLabelText('New role'), {
      target: { value: 'supervisor' },
    });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Save role' }));

    expect(api.staffChangeRole).toHaveBeenCalledWith(2, 'supervisor');
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(row('dana.r').textContent).toContain('Supervisor'));
  });

  it('resets a passphrase, showing a refusal beside the field', async () => {
    api.staffList.mockResolvedValue(ok([owner, clinician]));
    api.staffResetPassphrase
      .mockResolvedValueOnce(
        refused({
          kind: 'invalid',
          message: 'Use at least 12 characters: a few unrelated words work well.',
          field: 'newPassphrase',
        }),
      )
      .mockResolvedValueOnce(ok(null));
    render(StaffScreen);
    const dana = await screen.findByTestId('staff-row-dana.r');

    await fireEvent.click(within(dana).getByRole('button', { name: /Reset passphrase/ }));
    const panel = screen.getByTestId('staff-panel-dana.r');
    const input = within(panel).getByLabelText('New passphrase') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: 'short' } });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Set new passphrase' }));

    await waitFor(() => expect(input.getAttribute('aria-invalid')).toBe('true'));
    expect(description(input)).toContain('Use at least 12 characters');
    expect(input.value).toBe('short');
    expect(api.staffResetPassphrase).toHaveBeenLastCalledWith(2, 'short');

    await fireEvent.input(input, { target: { value: 'copper meadow harbour violin' } });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Set new passphrase' }));
    expect(api.staffResetPassphrase).toHaveBeenLastCalledWith(2, 'copper meadow harbour violin');
    expect((await screen.findByTestId('staff-news')).textContent).toContain(
      "Dana Reyes's passphrase was reset.",
    );
    expect(screen.queryByTestId('staff-panel-dana.r')).toBeNull();
  });

  it('gives each row its actions as three small buttons that name whom they are for', async () => {
    api.staffList.mockResolvedValue(ok([owner, clinician]));
    render(StaffScreen);
    const dana = await screen.findByTestId('staff-row-dana.r');
    const buttons = within(dana).getAllByRole('button');
    expect(buttons.map((button) => button.textContent?.trim())).toEqual([
      'Role',
      'Passphrase',
      'Deactivate…',
    ]);
    expect(buttons.map((button) => button.getAttribute('aria-label'))).toEqual([
      'Change role for Dana Reyes',
      'Reset passphrase for Dana Reyes',
      'Deactivate Dana Reyes…',
    ]);
  });

  it('closes the reset panel with Escape and puts focus back on its button', async () => {
    api.staffList.mockResolvedValue(ok([owner, clinician]));
    render(StaffScreen);
    const dana = await screen.findByTestId('staff-row-dana.r');
    const opener = within(dana).getByRole('button', { name: /Reset passphrase/ });
    await fireEvent.click(opener);
    const panel = screen.getByTestId('staff-panel-dana.r');
    const input = within(panel).getByLabelText('New passphrase');
    await waitFor(() => expect(document.activeElement).toBe(input));
    expect(opener.getAttribute('aria-expanded')).toBe('true');

    await fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByTestId('staff-panel-dana.r')).toBeNull();
    expect(opener.getAttribute('aria-expanded')).toBe('false');
    await waitFor(() => expect(document.activeElement).toBe(opener));
    expect(api.staffResetPassphrase).not.toHaveBeenCalled();
  });

  it('closes the role panel with Escape too, but Escape in its confirmation closes only that', async () => {
    api.staffList.mockResolvedValue(ok([owner, clinician]));
    render(StaffScreen);
    const dana = await screen.findByTestId('staff-row-dana.r');
    await fireEvent.click(within(dana).getByRole('button', { name: /Change role/ }));
    const panel = screen.getByTestId('staff-panel-dana.r');
    await fireEvent.change(within(panel).getByLabelText('New role'), {
      target: { value: 'frontDesk' },
    });
    await fireEvent.click(within(panel).getByRole('button', { name: 'Save role' }));
    const dialog = await screen.findByRole('dialog');

    await fireEvent.keyDown(within(dialog).getByRole('button', { name: 'Remove clinical access' }), {
      key: 'Escape',
    });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByTestId('staff-panel-dana.r')).toBeTruthy();

    await fireEvent.keyDown(within(panel).getByLabelText('New role'), { key: 'Escape' });
    expect(screen.queryByTestId('staff-panel-dana.r')).toBeNull();
    expect(api.staffChangeRole).not.toHaveBeenCalled();
  });

  it('says why when the list cannot be read', async () => {
    api.staffList.mockResolvedValue(
      refused({ kind: 'forbidden', message: 'Only an owner or practice manager can do that.', field: null }),
    );
    render(StaffScreen);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Only an owner or practice manager can do that.');
    expect(screen.queryByTestId('staff-add-submit')).toBeNull();
  });
});

describe('StaffScreen: supervisors', () => {
  const ines = member(4, 'ines', 'Inés Duarte', 'supervisor');
  const gone = member(5, 'kofi', 'Kofi Mensah', 'supervisor', false);
  const desk = member(6, 'sam', 'Sam Okafor', 'frontDesk');
  const all = [owner, clinician, ines, gone, desk, former];

  function select(id: number): HTMLSelectElement {
    return screen.getByTestId(`supervisor-select-${id}`) as HTMLSelectElement;
  }

  function choices(id: number): string[] {
    return [...select(id).options].map((o) => `${o.value}:${o.textContent}`);
  }

  it('offers a supervisor to each active clinical person, and explains it once', async () => {
    api.staffList.mockResolvedValue(ok(all));
    render(StaffScreen);
    await screen.findByTestId('staff-row-dana.r');

    expect(select(2).value).toBe('');
    expect(choices(2)).toEqual([
      ':No supervisor (signs alone)',
      '4:Inés Duarte',
      '1:Mara Lindqvist',
    ]);
    // Never themselves; never someone deactivated.
    expect(choices(4)).toEqual([':No supervisor (signs alone)', '1:Mara Lindqvist']);
    expect(choices(1)).toEqual([':No supervisor (signs alone)', '4:Inés Duarte']);
    expect(screen.getByLabelText('Supervisor for Dana Reyes')).toBe(select(2));

    // Front desk writes no notes; deactivated people sign nothing.
    expect(screen.queryByTestId('supervisor-select-6')).toBeNull();
    expect(screen.queryByTestId('supervisor-select-5')).toBeNull();
    expect(screen.queryByTestId('supervisor-select-3')).toBeNull();

    expect(screen.getAllByTestId('supervisor-explainer')).toHaveLength(1);
    expect(screen.getByTestId('supervisor-explainer').textContent?.replace(/\s+/g, ' ')).toContain(
      "A clinician with a supervisor signs notes that then wait for the supervisor's co-signature.",
    );
  });

  it('keeps showing a saved supervisor who no longer qualifies', async () => {
    api.staffList.mockResolvedValue(ok([owner, { ...clinician, supervisorId: 5 }, gone]));
    render(StaffScreen);
    await screen.findByTestId('staff-row-dana.r');
    expect(select(2).value).toBe('5');
    expect(choices(2)).toContain('5:Kofi Mensah (deactivated)');
  });

  it('saves a supervisor as soon as it is chosen, and confirms', async () => {
    api.staffList.mockResolvedValue(ok(all));
    api.staffSetSupervisor.mockResolvedValue(ok({ ...clinician, supervisorId: 4 }));
    render(StaffScreen);
    await screen.findByTestId('staff-row-dana.r');

    await fireEvent.change(select(2), { target: { value: '4' } });

    expect(api.staffSetSupervisor).toHaveBeenCalledWith(2, 4);
    expect((await screen.findByTestId('supervisor-saved-2')).textContent).toContain(
      'Saved: Inés Duarte co-signs.',
    );
    expect(select(2).value).toBe('4');
    expect(select(2).getAttribute('aria-invalid')).toBeNull();
  });

  it('clears a supervisor with null', async () => {
    api.staffList.mockResolvedValue(ok([owner, { ...clinician, supervisorId: 1 }, ines]));
    api.staffSetSupervisor.mockResolvedValue(ok({ ...clinician, supervisorId: null }));
    render(StaffScreen);
    await screen.findByTestId('staff-row-dana.r');
    expect(select(2).value).toBe('1');

    await fireEvent.change(select(2), { target: { value: '' } });

    expect(api.staffSetSupervisor).toHaveBeenCalledWith(2, null);
    expect((await screen.findByTestId('supervisor-saved-2')).textContent).toContain(
      'Saved: signs alone.',
    );
    expect(select(2).value).toBe('');
  });

  it('shows a refusal beside the select and puts back what is saved', async () => {
    api.staffList.mockResolvedValue(ok(all));
    api.staffSetSupervisor.mockResolvedValue(
      refused({
        kind: 'invalid',
        message: 'Choose an active supervisor or owner.',
        field: 'supervisorId',
      }),
    );
    render(StaffScreen);
    await screen.findByTestId('staff-row-dana.r');

    await fireEvent.change(select(2), { target: { value: '4' } });

    const error = await screen.findByTestId('error-supervisorId-2');
    expect(error.textContent).toContain('Choose an active supervisor or owner.');
    expect(description(select(2))).toContain('Choose an active supervisor or owner.');
    expect(select(2).getAttribute('aria-invalid')).toBe('true');
    await waitFor(() => expect(select(2).value).toBe(''));
    expect(screen.queryByTestId('supervisor-saved-2')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
