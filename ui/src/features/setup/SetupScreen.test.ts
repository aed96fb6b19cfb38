import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { appInfo, ok, person, strength } from '../../lib/testing/fixtures';
import { setupProblems } from './check';
import SetupScreen from './SetupScreen.svelte';

const api = vi.hoisted(() => ({ setupPractice: vi.fn(), passphraseStrength: vi.fn() }));
vi.mock('../../lib/api/bindings', () => ({ commands: api, events: {} }));

const TOO_SHORT = 'Use at least 12 characters: a few unrelated words work well.';

function field(name: string): HTMLInputElement | HTMLSelectElement {
  const element = document.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
  if (!element) throw new Error(`no field named ${name}`);
  return element;
}

async function type(name: string, value: string) {
  await fireEvent.input(field(name), { target: { value } });
}

beforeEach(() => {
  api.setupPractice.mockReset();
  api.passphraseStrength.mockReset();
  api.passphraseStrength.mockImplementation(async (passphrase: string) =>
    ok(passphrase.length < 12 ? strength(0, TOO_SHORT) : strength(3)),
  );
});

describe('SetupScreen', () => {
  it('says everything that needs fixing at once, beside each field, with focus on the first', async () => {
    render(SetupScreen, { info: appInfo({ vaultExists: false }) });
    await type('ownerFullName', 'Dana Reyes');
    await type('ownerUsername', 'Dana Reyes');
    await type('passphrase', 'short');
    await type('passphraseConfirm', 'shorter');
    // The meter's tip under the field, as it is typed.
    expect((await screen.findByTestId('strength-advice')).textContent).toContain(TOO_SHORT);
    await fireEvent.click(screen.getByTestId('setup-submit'));

    const practice = await screen.findByTestId('error-practiceName');
    expect(practice.textContent).toContain("Enter the practice's name.");
    expect(screen.getByTestId('error-ownerUsername').textContent).toContain('with no spaces');
    // The passphrase's own advice, said once: beside the field, not again under it.
    expect(screen.getByTestId('error-passphrase').textContent).toContain(TOO_SHORT);
    expect(screen.queryByTestId('strength-advice')).toBeNull();
    expect(screen.getByTestId('error-passphraseConfirm').textContent).toContain('not the same');
    // What is fine says nothing.
    expect(screen.queryByTestId('error-ownerFullName')).toBeNull();
    expect(screen.queryByTestId('error-timezone')).toBeNull();
    for (const name of ['practiceName', 'ownerUsername', 'passphrase', 'passphraseConfirm']) {
      expect(field(name).getAttribute('aria-invalid')).toBe('true');
    }
    await waitFor(() => expect(document.activeElement).toBe(field('practiceName')));
    expect(api.setupPractice).not.toHaveBeenCalled();
    expect(api.passphraseStrength).toHaveBeenLastCalledWith('short', [
      'Dana Reyes',
      'Dana Reyes',
    ]);
    // Nothing typed is lost.
    expect(field('ownerUsername').value).toBe('Dana Reyes');
    expect(field('passphrase').value).toBe('short');
  });

  it('moves focus to the first field with a problem, wherever it is', async () => {
    render(SetupScreen, { info: appInfo({ vaultExists: false }) });
    await type('practiceName', 'Harbour Light Counselling');
    await type('ownerFullName', 'Dana Reyes');
    await type('ownerUsername', 'dana.reyes');
    await type('passphrase', 'quiet lantern orchard tide');
    await type('passphraseConfirm', 'quiet lantern orchard');
    await fireEvent.click(screen.getByTestId('setup-submit'));

    await screen.findByTestId('error-passphraseConfirm');
    expect(screen.queryByTestId('error-passphrase')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(field('passphraseConfirm')));
    expect(api.setupPractice).not.toHaveBeenCalled();
  });

  it('sends the setup once nothing is wrong, and a fixed field loses its message as it is typed', async () => {
    api.setupPractice.mockResolvedValue(ok({ recoveryCode: 'AAAA-BBBB', signedIn: person() }));
    render(SetupScreen, { info: appInfo({ vaultExists: false }) });
    await type('practiceName', 'Harbour Light Counselling');
    await type('ownerFullName', 'Dana Reyes');
    await type('ownerUsername', 'dana.reyes');
    await fireEvent.click(screen.getByTestId('setup-submit'));
    await screen.findByTestId('error-passphrase');

    await type('passphrase', 'quiet lantern orchard tide');
    expect(screen.queryByTestId('error-passphrase')).toBeNull();
    await type('passphraseConfirm', 'quiet lantern orchard tide');
    await fireEvent.click(screen.getByTestId('setup-submit'));
    await waitFor(() => expect(api.setupPractice).toHaveBeenCalledTimes(1));
    expect(api.setupPractice).toHaveBeenCalledWith(
      expect.objectContaining({ ownerUsername: 'dana.reyes', passphrase: 'quiet lantern orchard tide' }),
    );
  });
});

describe('setupProblems', () => {
  const good = {
    practiceName: 'Harbour Light',
    timezone: 'Europe/Dublin',
    ownerFullName: 'Dana Reyes',
    ownerUsername: ' Dana.Reyes ',
    passphrase: 'quiet lantern orchard tide',
    passphraseConfirm: 'quiet lantern orchard tide',
  };

  it('accepts what the core accepts (the username is trimmed and lowercased there)', () => {
    expect(setupProblems(good)).toEqual({});
  });

  it('names each field the core would refuse', () => {
    expect(
      Object.keys(
        setupProblems({
          practiceName: '  ',
          timezone: '',
          ownerFullName: 'x'.repeat(121),
          ownerUsername: 'd',
          passphrase: 'a',
          passphraseConfirm: 'b',
        }),
      ),
    ).toEqual(['practiceName', 'timezone', 'ownerFullName', 'ownerUsername', 'passphraseConfirm']);
  });
});
