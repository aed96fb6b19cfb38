import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import TextField from './TextField.svelte';
import BoundTextField from './testing/BoundTextField.svelte';

describe('TextField', () => {
  it('ties its visible label to the input', () => {
    render(TextField, { label: 'Username', name: 'username' });
    const input = screen.getByLabelText('Username') as HTMLInputElement;
    expect(input.tagName).toBe('INPUT');
    expect(input.name).toBe('username');
    expect(input.getAttribute('aria-invalid')).toBeNull();
    expect(input.getAttribute('aria-describedby')).toBeNull();
  });

  it('describes the input with its hint', () => {
    render(TextField, { label: 'Username', hint: 'Lowercase letters, no spaces.' });
    const input = screen.getByLabelText('Username');
    const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
    expect(ids.map((id) => document.getElementById(id)?.textContent)).toEqual([
      'Lowercase letters, no spaces.',
    ]);
  });

  it('shows its error beside the field and marks it invalid', () => {
    render(TextField, {
      label: 'Username',
      hint: 'Lowercase letters, no spaces.',
      error: 'Choose a username.',
    });
    const input = screen.getByLabelText('Username');
    expect(input.getAttribute('aria-invalid')).toBe('true');

    const described = (input.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent?.trim());
    expect(described).toContain('Lowercase letters, no spaces.');
    expect(described.some((text) => text?.includes('Choose a username.'))).toBe(true);
  });

  it('gives each field its own id', () => {
    render(TextField, { label: 'First' });
    render(TextField, { label: 'Second' });
    expect(screen.getByLabelText('First').id).not.toBe(screen.getByLabelText('Second').id);
  });

  it('supports bind:value both ways', async () => {
    render(BoundTextField, { initial: 'amira' });
    const input = screen.getByLabelText('Username') as HTMLInputElement;
    expect(input.value).toBe('amira');

    await fireEvent.input(input, { target: { value: 'amira.k' } });
    expect(screen.getByTestId('bound').textContent).toBe('amira.k');
  });
});

describe('TextField errors', () => {
  it('names its error element after the field, inside a live region', () => {
    render(TextField, { label: 'Passphrase', name: 'passphrase', error: 'That passphrase is not right.' });
    const error = screen.getByTestId('error-passphrase');
    expect(error.textContent).toContain('That passphrase is not right.');
    expect(error.parentElement?.getAttribute('aria-live')).toBe('polite');
    expect((screen.getByLabelText('Passphrase') as HTMLInputElement).name).toBe('passphrase');
  });

  it('keeps the live region when there is no error, so a new one is announced', () => {
    const { container } = render(TextField, { label: 'Passphrase', name: 'passphrase' });
    expect(screen.queryByTestId('error-passphrase')).toBeNull();
    expect(container.querySelector('[aria-live="polite"]')).not.toBeNull();
  });
});
