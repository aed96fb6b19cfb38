import { describe, expect, it, vi } from 'vitest';
import { idleLockMessage, session } from './session.svelte';
import { appInfo, person } from './testing/fixtures';

vi.mock('./api/bindings', () => ({ commands: {}, events: {} }));

describe('session store', () => {
  it('derives the view from what Rust said', () => {
    session.clearAll();
    session.appInfo = appInfo({ vaultExists: false });
    expect(session.view).toBe('setup');
    session.appInfo = appInfo({ vaultExists: true });
    expect(session.view).toBe('unlock');
    session.signIn(person({ mustChangePassphrase: true }));
    expect(session.view).toBe('changePassphrase');
    session.update(person());
    expect(session.view).toBe('shell');
    session.finishSetup({ recoveryCode: 'AAAA-BBBB', session: person() });
    expect(session.view).toBe('recoveryCode');
    session.recoveryCodeStored();
    expect(session.view).toBe('shell');
  });

  it('clearAll drops the person, the recovery code, the screen and anything registered', () => {
    const dropDrafts = vi.fn();
    const stop = session.onClear(dropDrafts);
    session.appInfo = appInfo();
    session.finishSetup({ recoveryCode: 'AAAA-BBBB', session: person() });
    session.screen = 'staff';
    session.lockMessage = 'something';

    session.clearAll();

    expect(session.signedIn).toBeNull();
    expect(session.recoveryCode).toBeNull();
    expect(session.screen).toBe('today');
    expect(session.lockMessage).toBeNull();
    expect(session.view).toBe('unlock');
    expect(dropDrafts).toHaveBeenCalledTimes(1);

    stop();
    session.clearAll();
    expect(dropDrafts).toHaveBeenCalledTimes(1);
  });

  it('answers capability questions only while signed in', () => {
    session.signIn(person({ capabilities: ['scheduling'] }));
    expect(session.can('scheduling')).toBe(true);
    expect(session.can('administer')).toBe(false);
    session.clearAll();
    expect(session.can('scheduling')).toBe(false);
  });

  it('words the idle message with the practice limit', () => {
    expect(idleLockMessage(10)).toBe('Circle locked after 10 minutes without activity.');
    expect(idleLockMessage(1)).toBe('Circle locked after 1 minute without activity.');
  });
});
