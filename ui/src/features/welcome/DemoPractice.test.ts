import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Channel } from '../../lib/api/channel';
import type { CommandError, DemoCreated, GenProgress, Result } from '../../lib/api';
import { signin } from '../../lib/signin.svelte';
import { appInfo, ok, person, refused } from '../../lib/testing/fixtures';
import SetupScreen from '../setup/SetupScreen.svelte';

const api = vi.hoisted(() => ({
  demoCreate: vi.fn(),
  appInfo: vi.fn(),
  unlock: vi.fn(),
  setupPractice: vi.fn(),
  passphraseStrength: vi.fn(),
}));
vi.mock('../../lib/api/bindings', () => ({ commands: api, events: {} }));

const DEMO: DemoCreated = {
  vaultDir: '/home/ana/.local/share/care.circle.desktop-demo',
  practiceName: 'Riverside Group Practice',
  logins: [
    {
      username: 'owner',
      fullName: 'Mai Nguyễn',
      role: 'Owner',
      passphrase: 'kettle orbit lantern moss',
    },
    {
      username: 'desk',
      fullName: 'Yosef Levi',
      role: 'Front desk',
      passphrase: 'copper meadow violin harbor',
    },
  ],
  recoveryCode: 'ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567',
};

/** A demo being made: the test plays Rust, sending progress and then the answer. */
function pending() {
  let channel: Channel<GenProgress> | undefined;
  let answer: (result: Result<DemoCreated, CommandError>) => void = () => {};
  api.demoCreate.mockImplementation((onProgress: Channel<GenProgress>) => {
    channel = onProgress;
    return new Promise<Result<DemoCreated, CommandError>>((resolve) => (answer = resolve));
  });
  return {
    send: (step: GenProgress) => channel?.onmessage(step),
    finish: (result: Result<DemoCreated, CommandError>) => answer(result),
  };
}

function field(name: string): HTMLInputElement {
  const element = document.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!element) throw new Error(`no field named ${name}`);
  return element;
}

beforeEach(() => {
  for (const fn of Object.values(api)) fn.mockReset();
  api.passphraseStrength.mockResolvedValue(ok({ score: 4, acceptable: true, advice: null }));
  // Channel() registers its callback with Tauri's IPC; a stand-in is enough here.
  Object.assign(window, {
    __TAURI_INTERNALS__: { transformCallback: () => 1, unregisterCallback: () => {} },
  });
  signin.signedIn = null;
  signin.appInfo = appInfo({ vaultExists: false });
});

afterEach(() => {
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});

describe('Explore a demo practice', () => {
  it('shows progress, then every login with its passphrase, and "Sign in as" fills the form and signs in', async () => {
    const demo = pending();
    render(SetupScreen, { info: appInfo({ vaultExists: false }) });
    await fireEvent.click(screen.getByTestId('demo-create'));
    expect(api.demoCreate).toHaveBeenCalledTimes(1);
    expect((screen.getByTestId('demo-create') as HTMLButtonElement).disabled).toBe(true);

    demo.send({ phase: 'sessions', done: 30, total: 60 });
    const progress = await screen.findByTestId('demo-progress');
    await waitFor(() => expect(progress.textContent).toContain('sessions and notes'));
    expect(progress.textContent).toContain('50 %');

    demo.finish(ok(DEMO));
    const table = await screen.findByTestId('demo-logins');
    // The setup form gives way to the demo.
    expect(screen.queryByTestId('setup-submit')).toBeNull();
    expect(screen.getByTestId('welcome-heading').textContent).toContain(DEMO.practiceName);
    expect(screen.getByTestId('demo-vault-dir').textContent).toBe(DEMO.vaultDir);
    expect(screen.getByTestId('demo-recovery-code').textContent).toBe(DEMO.recoveryCode);
    const rows = within(table).getAllByTestId('demo-login');
    expect(rows).toHaveLength(2);
    expect(rows[1].textContent).toContain('Yosef Levi');
    expect(rows[1].textContent).toContain('Front desk');
    expect(rows[1].textContent).toContain('copper meadow violin harbor');

    await fireEvent.click(screen.getByTestId('demo-use-desk'));
    expect(field('username').value).toBe('desk');
    expect(field('passphrase').value).toBe('copper meadow violin harbor');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('demo-sign-in')));

    const desk = person({ username: 'desk', fullName: 'Yosef Levi' });
    api.unlock.mockResolvedValue(ok(desk));
    api.appInfo.mockResolvedValue(
      ok(appInfo({ vaultDir: DEMO.vaultDir, vaultExists: true, isDemo: true })),
    );
    await fireEvent.click(screen.getByTestId('demo-sign-in'));
    await waitFor(() => expect(signin.signedIn?.username).toBe('desk'));
    expect(api.unlock).toHaveBeenCalledWith('desk', 'copper meadow violin harbor');
    // Circle now opens the demo's folder, and knows it is a demo.
    expect(signin.appInfo?.isDemo).toBe(true);
    expect(signin.appInfo?.vaultDir).toBe(DEMO.vaultDir);
  });

  it('says why when no demo could be made, and keeps the setup form', async () => {
    api.demoCreate.mockResolvedValue(
      refused('conflict', 'A demo practice was made before, in /x/vault-demo.'),
    );
    render(SetupScreen, { info: appInfo({ vaultExists: false }) });
    await fireEvent.click(screen.getByTestId('demo-create'));
    expect((await screen.findByTestId('demo-error')).textContent).toContain(
      'A demo practice was made before',
    );
    expect(screen.getByTestId('setup-submit')).toBeTruthy();
    expect((screen.getByTestId('demo-create') as HTMLButtonElement).disabled).toBe(false);
  });
});
