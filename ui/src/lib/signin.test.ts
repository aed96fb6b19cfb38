import { describe, expect, it, vi } from 'vitest';
import { idleLockMessage, signin } from './signin.svelte';
import { appInfo, person } from './testing/fixtures';

vi.mock('./api/bindings', () => ({ commands: {}, events: {} }));

describe('sign-in store', () => {
  it('derives the view from what Rust said', () => {
    signin.clearAll();
    signin.appInfo = appInfo({ vaultExists: false });
    expect(signin.view).toBe('setup');
    signin.appInfo = appInfo({ vaultExists: true });
    expect(signin.view).toBe('unlock');
    signin.signIn(person({ mustChangePassphrase: true }));
    expect(signin.view).toBe('changePassphrase');
    signin.update(person());
    expect(signin.view).toBe('shell');
    signin.finishSetup({ recoveryCode: 'AAAA-BBBB', signedIn: person() });
    expect(signin.view).toBe('recoveryCode');
    expect(signin.recoveryCodeFrom).toBe('setup');
    signin.recoveryCodeStored();
    expect(signin.view).toBe('shell');
    expect(signin.recoveryCodeFrom).toBeNull();
    signin.finishSetup({ recoveryCode: 'CCCC-DDDD', signedIn: person() }, 'recovery');
    expect(signin.view).toBe('recoveryCode');
    expect(signin.recoveryCodeFrom).toBe('recovery');
    signin.recoveryCodeStored();
    expect(signin.view).toBe('shell');
  });

  it('clearAll drops the person, the recovery code, the screen and anything registered', () => {
    const dropDrafts = vi.fn();
    const stop = signin.onClear(dropDrafts);
    signin.appInfo = appInfo();
    signin.finishSetup({ recoveryCode: 'AAAA-BBBB', signedIn: person() });
    signin.screen = 'staff';
    signin.lockMessage = 'something';

    signin.clearAll();

    expect(signin.signedIn).toBeNull();
    expect(signin.recoveryCode).toBeNull();
    expect(signin.recoveryCodeFrom).toBeNull();
    expect(signin.screen).toBe('today');
    expect(signin.lockMessage).toBeNull();
    expect(signin.view).toBe('unlock');
    expect(dropDrafts).toHaveBeenCalledTimes(1);

    stop();
    signin.clearAll();
    expect(dropDrafts).toHaveBeenCalledTimes(1);
  });

  it('answers capability questions only while signed in', () => {
    signin.signIn(person({ capabilities: ['scheduling'] }));
    expect(signin.can('scheduling')).toBe(true);
    expect(signin.can('administer')).toBe(false);
    signin.clearAll();
    expect(signin.can('scheduling')).toBe(false);
  });

  it('words the idle message with the practice limit', () => {
    expect(idleLockMessage(10)).toBe('Circle locked after 10 minutes without activity.');
    expect(idleLockMessage(1)).toBe('Circle locked after 1 minute without activity.');
  });
});
