import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  BackupSummary,
  ChosenBackup,
  CommandError,
  RestoreOutcome,
  RestoreProgress,
  Result,
} from '../../lib/api';
import type { Channel } from '../../lib/api/channel';
import { appInfo, ok, refused } from '../../lib/testing/fixtures';
import RestoreDialog from './RestoreDialog.svelte';

// The generated bindings are the IPC boundary; everything above them is real.
const api = vi.hoisted(() => ({
  backupChooseFile: vi.fn(),
  backupRestore: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api }));

function summary(overrides: Partial<BackupSummary> = {}): BackupSummary {
  return {
    practiceName: 'Harbour Light Counselling',
    practiceId: 'p-1',
    createdAt: '2030-03-05T18:00:00Z',
    appVersion: '0.4.2',
    counts: {
      staff: 4,
      clients: 12,
      groups: 3,
      sessions: 40,
      attendance: 210,
      auditRows: 1200,
      signedNotes: 85,
      goals: 9,
    },
    sizeBytes: 4_200_000,
    partsMatch: true,
    problem: null,
    clinicalCopiedWithoutKey: false,
    ...overrides,
  };
}

function chosen(overrides: Partial<BackupSummary> = {}): ChosenBackup {
  return { token: 5, summary: summary(overrides), otherPracticeHere: false };
}

const OUTCOME: RestoreOutcome = {
  vaultDir: '/srv/clinic/vault',
  movedAside: '/srv/clinic/vault-before-restore-20300306-091500',
};

/** A restore that waits: the test plays Rust, sending progress and then the answer. */
function pending() {
  let channel: Channel<RestoreProgress> | undefined;
  let answer: (result: Result<RestoreOutcome | null, CommandError>) => void = () => {};
  const command = (...args: unknown[]) => {
    channel = args[args.length - 1] as Channel<RestoreProgress>;
    return new Promise<Result<RestoreOutcome | null, CommandError>>((resolve) => (answer = resolve));
  };
  return {
    command,
    send: (step: RestoreProgress) => channel?.onmessage(step),
    finish: (result: Result<RestoreOutcome | null, CommandError>) => answer(result),
  };
}

function words(element: HTMLElement): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
}

// Channel() registers its callback with Tauri's IPC; in jsdom a stand-in
// registry is enough, and the test plays Rust by calling `onmessage`.
beforeEach(() => {
  Object.assign(window, {
    __TAURI_INTERNALS__: { transformCallback: () => 1, unregisterCallback: () => {} },
  });
  for (const fn of Object.values(api)) fn.mockReset();
  api.backupChooseFile.mockResolvedValue(ok(chosen()));
});

afterEach(() => {
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});

function open(props: { vaultExists?: boolean; username?: string } = {}) {
  const onClose = vi.fn();
  const onRestored = vi.fn();
  render(RestoreDialog, {
    props: {
      info: appInfo({ vaultExists: props.vaultExists ?? true }),
      username: props.username,
      onClose,
      onRestored,
    },
  });
  return { dialog: screen.getByRole('dialog'), onClose, onRestored };
}

async function chooseFile(dialog: HTMLElement) {
  await fireEvent.click(within(dialog).getByTestId('restore-choose-file'));
  return within(dialog).findByTestId('restore-summary');
}

async function signInAs(dialog: HTMLElement, username: string, passphrase: string) {
  await fireEvent.input(within(dialog).getByLabelText(/Username/), {
    target: { value: username },
  });
  await fireEvent.input(within(dialog).getByLabelText(/Passphrase/), {
    target: { value: passphrase },
  });
}

describe('RestoreDialog', () => {
  it('shows what the chosen backup holds before anything changes', async () => {
    const { dialog } = open();
    const facts = await chooseFile(dialog);
    expect(words(within(facts).getByTestId('restore-practice'))).toBe('Harbour Light Counselling');
    expect(words(within(facts).getByTestId('restore-made'))).toMatch(/5 Mar 2030/);
    expect(words(within(facts).getByTestId('restore-version'))).toBe('version 0.4.2');
    expect(words(within(facts).getByTestId('restore-holds'))).toBe(
      '12 clients, 3 groups, 40 sessions',
    );
    expect(words(within(facts).getByTestId('restore-notes'))).toBe('85 signed notes');
    expect(words(within(facts).getByTestId('restore-size'))).toBe('4.2 MB');
    expect(api.backupRestore).not.toHaveBeenCalled();
  });

  it('says why signed notes were not counted in a backup made without the clinical key', async () => {
    api.backupChooseFile.mockResolvedValue(
      ok(chosen({ counts: { ...summary().counts, signedNotes: null, goals: null } })),
    );
    const { dialog } = open();
    await chooseFile(dialog);
    expect(words(within(dialog).getByTestId('restore-notes'))).toBe(
      'not counted: made by a login without the clinical key',
    );
  });

  it('names the damaged part and offers no way to restore it', async () => {
    api.backupChooseFile.mockResolvedValue(
      ok(
        chosen({
          partsMatch: false,
          problem:
            'clinical.db: its contents do not match the manifest (the backup was damaged or changed)',
        }),
      ),
    );
    const { dialog } = open();
    await chooseFile(dialog);
    expect(words(within(dialog).getByTestId('restore-problem'))).toContain(
      'clinical.db: its contents do not match the manifest',
    );
    expect(within(dialog).queryByTestId('restore-submit')).toBeNull();
    expect(within(dialog).queryByLabelText(/Passphrase/)).toBeNull();
    // Another, older file can still be chosen.
    expect(within(dialog).getByTestId('restore-choose-another')).toBeTruthy();
  });

  it('says at the top when the file is not a backup at all', async () => {
    api.backupChooseFile.mockResolvedValue(
      refused(
        'corrupt',
        'This backup cannot be used: manifest.json: it cannot be read (it is damaged). Nothing was changed.',
      ),
    );
    const { dialog } = open();
    await fireEvent.click(within(dialog).getByTestId('restore-choose-file'));
    expect(words(await within(dialog).findByTestId('restore-choose-error'))).toContain(
      'manifest.json: it cannot be read',
    );
    expect(within(dialog).queryByTestId('restore-summary')).toBeNull();
  });

  it('asks for the username and passphrase beside their fields before sending anything', async () => {
    const { dialog } = open();
    await chooseFile(dialog);
    await fireEvent.click(within(dialog).getByTestId('restore-submit'));
    expect(words(await within(dialog).findByTestId('error-username'))).toContain('Enter a username');
    expect(words(within(dialog).getByTestId('error-passphrase'))).toContain('Enter their passphrase');
    expect(api.backupRestore).not.toHaveBeenCalled();
  });

  it('restores into this vault folder after asking, showing progress, and says where the old vault is', async () => {
    const rust = pending();
    api.backupRestore.mockImplementation(rust.command);
    const { dialog, onClose, onRestored } = open({ username: 'dana' });
    await chooseFile(dialog);
    expect((within(dialog).getByLabelText(/Username/) as HTMLInputElement).value).toBe('dana');
    expect((within(dialog).getByTestId('restore-this-vault') as HTMLInputElement).checked).toBe(
      true,
    );
    expect(words(dialog)).toContain('The vault there now is kept beside it as vault-before-restore-');
    await signInAs(dialog, 'dana', 'quiet lantern orchard tide');
    await fireEvent.click(within(dialog).getByTestId('restore-submit'));

    // It asks first: a big action.
    expect(words(await within(dialog).findByTestId('restore-confirm-text'))).toContain(
      'The vault in /srv/clinic/vault is moved aside (kept, not deleted)',
    );
    expect(api.backupRestore).not.toHaveBeenCalled();
    await fireEvent.click(within(dialog).getByTestId('restore-confirm'));
    expect(api.backupRestore).toHaveBeenCalledWith(
      5,
      { kind: 'passphrase', username: 'dana', passphrase: 'quiet lantern orchard tide' },
      'thisVault',
      expect.anything(),
    );

    rust.send({ stage: 'reading', fraction: 0.5 });
    await waitFor(() =>
      expect((within(dialog).getByRole('progressbar') as HTMLProgressElement).value).toBe(0.5),
    );
    expect(words(within(dialog).getByTestId('restore-stage'))).toContain('Reading the backup');
    // Nothing closes it halfway.
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(onClose).not.toHaveBeenCalled();

    rust.finish(ok(OUTCOME));
    await waitFor(() =>
      expect(onRestored).toHaveBeenCalledWith(
        'Restored. The vault that was here is kept at /srv/clinic/vault-before-restore-20300306-091500. Sign in to continue.',
      ),
    );
  });

  it('puts a wrong passphrase beside the passphrase, emptied', async () => {
    api.backupRestore.mockResolvedValue(
      refused('wrongPassphrase', 'That passphrase is not right. Check it and try again.'),
    );
    const { dialog, onRestored } = open();
    await chooseFile(dialog);
    await signInAs(dialog, 'dana', 'wrong words');
    await fireEvent.click(within(dialog).getByTestId('restore-submit'));
    await fireEvent.click(await within(dialog).findByTestId('restore-confirm'));
    expect(words(await within(dialog).findByTestId('error-passphrase'))).toContain(
      'That passphrase is not right',
    );
    expect((within(dialog).getByLabelText(/Passphrase/) as HTMLInputElement).value).toBe('');
    expect((within(dialog).getByLabelText(/Username/) as HTMLInputElement).value).toBe('dana');
    expect(onRestored).not.toHaveBeenCalled();
  });

  it('uses the recovery code instead, and puts its refusal beside it', async () => {
    api.backupRestore.mockResolvedValue(
      refused(
        'invalid',
        'That recovery code does not open this backup. Use the code that was current when it was made.',
        'recoveryCode',
      ),
    );
    const { dialog } = open();
    await chooseFile(dialog);
    await fireEvent.click(within(dialog).getByTestId('restore-switch-credential'));
    expect(within(dialog).queryByLabelText(/Passphrase/)).toBeNull();
    await fireEvent.input(within(dialog).getByLabelText(/Recovery code/), {
      target: { value: 'ABCD-EFGH-JKLM' },
    });
    await fireEvent.click(within(dialog).getByTestId('restore-submit'));
    await fireEvent.click(await within(dialog).findByTestId('restore-confirm'));
    expect(api.backupRestore).toHaveBeenCalledWith(
      5,
      { kind: 'recoveryCode', code: 'ABCD-EFGH-JKLM' },
      'thisVault',
      expect.anything(),
    );
    expect(words(await within(dialog).findByTestId('error-recoveryCode'))).toContain(
      'Use the code that was current',
    );
  });

  it('restores into a new folder, and a folder that is not empty is refused beside the choice', async () => {
    api.backupRestore.mockResolvedValueOnce(
      refused(
        'invalid',
        'Choose an empty folder: Circle restores a vault only into a folder of its own.',
        'folder',
      ),
    );
    api.backupRestore.mockResolvedValueOnce(
      ok({ vaultDir: '/media/usb/Circle vault', movedAside: null }),
    );
    const { dialog, onRestored } = open();
    await chooseFile(dialog);
    await signInAs(dialog, 'dana', 'quiet lantern orchard tide');
    await fireEvent.click(within(dialog).getByTestId('restore-new-folder'));
    await fireEvent.click(within(dialog).getByTestId('restore-submit'));
    expect(words(await within(dialog).findByTestId('restore-confirm-text'))).toContain(
      'Circle asks for an empty folder next',
    );
    await fireEvent.click(within(dialog).getByTestId('restore-confirm'));
    expect(api.backupRestore).toHaveBeenLastCalledWith(
      5,
      expect.objectContaining({ kind: 'passphrase' }),
      'newFolder',
      expect.anything(),
    );
    expect(words(await within(dialog).findByTestId('error-folder'))).toContain(
      'Choose an empty folder',
    );

    // The passphrase was not what was refused: it stays for the next try.
    await fireEvent.click(within(dialog).getByTestId('restore-submit'));
    await fireEvent.click(await within(dialog).findByTestId('restore-confirm'));
    await waitFor(() =>
      expect(onRestored).toHaveBeenCalledWith(
        'Restored into /media/usb/Circle vault. Circle opens the vault there from now on. Sign in to continue.',
      ),
    );
  });

  it('says nothing was restored when the folder dialog was closed', async () => {
    api.backupRestore.mockResolvedValue(ok(null));
    const { dialog, onRestored } = open();
    await chooseFile(dialog);
    await signInAs(dialog, 'dana', 'quiet lantern orchard tide');
    await fireEvent.click(within(dialog).getByTestId('restore-new-folder'));
    await fireEvent.click(within(dialog).getByTestId('restore-submit'));
    await fireEvent.click(await within(dialog).findByTestId('restore-confirm'));
    expect(words(await within(dialog).findByTestId('restore-not-done'))).toBe(
      'No folder was chosen, so nothing was restored.',
    );
    expect(onRestored).not.toHaveBeenCalled();
  });

  it("shows a damaged backup's refusal at the top", async () => {
    api.backupRestore.mockResolvedValue(
      refused(
        'corrupt',
        'This backup cannot be used: manifest.json: its MAC does not check out. Nothing was changed.',
      ),
    );
    const { dialog } = open();
    await chooseFile(dialog);
    await signInAs(dialog, 'dana', 'quiet lantern orchard tide');
    await fireEvent.click(within(dialog).getByTestId('restore-submit'));
    await fireEvent.click(await within(dialog).findByTestId('restore-confirm'));
    expect(words(await within(dialog).findByTestId('restore-error'))).toContain(
      'its MAC does not check out',
    );
  });

  it('offers only a new folder for a backup of another practice than the vault here', async () => {
    api.backupChooseFile.mockResolvedValue(
      ok({ ...chosen({ practiceName: 'Quayside Groups' }), otherPracticeHere: true }),
    );
    const { dialog } = open();
    await chooseFile(dialog);
    const here = within(dialog).getByTestId('restore-this-vault') as HTMLInputElement;
    expect(here.disabled).toBe(true);
    expect((within(dialog).getByTestId('restore-new-folder') as HTMLInputElement).checked).toBe(
      true,
    );
    expect(words(dialog)).toContain('The vault there is of another practice');
  });

  it('on a fresh computer says there is no vault to move aside', async () => {
    api.backupRestore.mockResolvedValue(
      ok({ vaultDir: '/srv/clinic/vault', movedAside: '/srv/clinic/vault-before-restore-1' }),
    );
    const { dialog, onRestored } = open({ vaultExists: false });
    await chooseFile(dialog);
    expect(words(dialog)).toContain('There is no vault there yet.');
    await signInAs(dialog, 'dana', 'quiet lantern orchard tide');
    await fireEvent.click(within(dialog).getByTestId('restore-submit'));
    expect(words(await within(dialog).findByTestId('restore-confirm-text'))).toContain(
      'The backup is restored into /srv/clinic/vault.',
    );
    await fireEvent.click(within(dialog).getByTestId('restore-confirm'));
    await waitFor(() =>
      expect(onRestored).toHaveBeenCalledWith(
        'Restored. What was in the folder before is kept at /srv/clinic/vault-before-restore-1. Sign in to continue.',
      ),
    );
  });
});
