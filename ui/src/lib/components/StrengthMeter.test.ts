import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ok, refused, strength } from '../testing/fixtures';
import NewPassphraseFields from './NewPassphraseFields.svelte';
import StrengthMeter, { STRENGTH_WORDS, strengthWord } from './StrengthMeter.svelte';

const passphraseStrength = vi.hoisted(() => vi.fn());
vi.mock('../api/bindings', () => ({ commands: { passphraseStrength } }));

describe('StrengthMeter', () => {
  it.each([
    [0, 'Too easy to guess'],
    [1, 'Weak'],
    [2, 'Fair'],
    [3, 'Strong'],
    [4, 'Very strong'],
  ])('says score %i in words: %s', (score, word) => {
    render(StrengthMeter, { strength: strength(score) });
    expect(screen.getByTestId('strength-word').textContent).toBe(word);
  });

  it('fills one more segment of the bar for each point', () => {
    const { container } = render(StrengthMeter, { strength: strength(2) });
    const segments = container.querySelectorAll('.segment');
    expect(segments).toHaveLength(STRENGTH_WORDS.length);
    expect(container.querySelectorAll('.segment.filled')).toHaveLength(3);
    // The bar only repeats the words, so screen readers skip it.
    expect(container.querySelector('.bar')?.getAttribute('aria-hidden')).toBe('true');
  });

  it("shows Circle's advice when the passphrase falls short", () => {
    render(StrengthMeter, {
      strength: strength(1, 'This is too easy to guess. Add another unrelated word or two.'),
    });
    expect(screen.getByTestId('strength-word').textContent).toBe('Weak');
    expect(screen.getByTestId('strength-advice').textContent).toContain('Add another unrelated word');
  });

  it('says so when the passphrase is good enough', () => {
    render(StrengthMeter, { strength: strength(4) });
    expect(screen.queryByTestId('strength-advice')).toBeNull();
    expect(screen.getByText('Strong enough to use.')).toBeTruthy();
  });

  it('shows nothing before there is a score', () => {
    render(StrengthMeter, { strength: null });
    expect(screen.queryByTestId('strength-word')).toBeNull();
    expect(screen.getByTestId('strength-meter').textContent?.trim()).toBe('');
  });

  it('keeps out-of-range scores on the scale', () => {
    expect(strengthWord(-1)).toBe('Too easy to guess');
    expect(strengthWord(9)).toBe('Very strong');
  });
});

describe('NewPassphraseFields', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    passphraseStrength.mockReset();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  async function typeInto(value: string) {
    const input = document.querySelector('input[name="passphrase"]') as HTMLInputElement;
    await fireEvent.input(input, { target: { value } });
  }

  it('asks Rust once typing pauses, with the context words, and shows the answer in words', async () => {
    passphraseStrength.mockResolvedValue(ok(strength(2)));
    // `context` is also a mount option, so the props go under `props`.
    render(NewPassphraseFields, { props: { context: ['dana.reyes', ' Dana Reyes ', ''] } });

    await typeInto('quiet');
    await typeInto('quiet lantern');
    await vi.advanceTimersByTimeAsync(200);
    expect(passphraseStrength).not.toHaveBeenCalled();
    await typeInto('quiet lantern orchard');
    await vi.advanceTimersByTimeAsync(250);

    expect(passphraseStrength).toHaveBeenCalledTimes(1);
    expect(passphraseStrength).toHaveBeenCalledWith('quiet lantern orchard', ['dana.reyes', 'Dana Reyes']);
    expect(screen.getByTestId('strength-word').textContent).toBe('Fair');
  });

  it('shows only the newest answer when an older one arrives late', async () => {
    let answerFirst: (value: unknown) => void = () => {};
    passphraseStrength
      .mockReturnValueOnce(new Promise((resolve) => (answerFirst = resolve)))
      .mockResolvedValueOnce(ok(strength(4)));
    render(NewPassphraseFields, {});

    await typeInto('short');
    await vi.advanceTimersByTimeAsync(250);
    await typeInto('short but now much longer and odd');
    await vi.advanceTimersByTimeAsync(250);
    expect(screen.getByTestId('strength-word').textContent).toBe('Very strong');

    answerFirst(ok(strength(0, 'Use at least 12 characters: a few unrelated words work well.')));
    await vi.advanceTimersByTimeAsync(0);
    expect(screen.getByTestId('strength-word').textContent).toBe('Very strong');
  });

  it('clears the meter when the field is emptied, without asking Rust', async () => {
    passphraseStrength.mockResolvedValue(ok(strength(3)));
    render(NewPassphraseFields, {});
    await typeInto('copper window autumn');
    await vi.advanceTimersByTimeAsync(250);
    expect(screen.getByTestId('strength-word')).toBeTruthy();
    await typeInto('');
    await vi.advanceTimersByTimeAsync(250);
    expect(screen.queryByTestId('strength-word')).toBeNull();
    expect(passphraseStrength).toHaveBeenCalledTimes(1);
  });

  it('hides the meter if Rust cannot score it (the real check happens on submit)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    passphraseStrength.mockResolvedValue(refused('storage', 'Circle could not read or write its vault.'));
    render(NewPassphraseFields, {});
    await typeInto('copper window autumn');
    await vi.advanceTimersByTimeAsync(250);
    expect(screen.queryByTestId('strength-word')).toBeNull();
  });

  it('puts the given names on the two inputs and can show what is typed', async () => {
    render(NewPassphraseFields, { name: 'newPassphrase', confirmName: 'newPassphraseConfirm' });
    const first = document.querySelector('input[name="newPassphrase"]') as HTMLInputElement;
    const second = document.querySelector('input[name="newPassphraseConfirm"]') as HTMLInputElement;
    expect(first.type).toBe('password');
    expect(second.type).toBe('password');
    await fireEvent.click(screen.getByLabelText('Show what I type'));
    expect(first.type).toBe('text');
    expect(second.type).toBe('text');
  });
});
