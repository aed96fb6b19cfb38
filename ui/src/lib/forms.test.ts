import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, UNEXPECTED_MESSAGE } from './api';
import { FormErrors, placeProblem } from './forms.svelte';

function refusal(kind: ApiError['kind'], message: string, field: string | null = null): ApiError {
  return new ApiError({ kind, message, field });
}

function makeForm(...names: string[]): HTMLFormElement {
  const form = document.createElement('form');
  for (const name of names) {
    const input = document.createElement('input');
    input.name = name;
    form.append(input);
  }
  document.body.append(form);
  return form;
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('placeProblem', () => {
  it("puts a refusal beside the field it names, through the form's aliases", () => {
    const fields = ['ownerUsername', 'passphrase'];
    expect(placeProblem(refusal('invalid', 'Taken.', 'username'), fields, {
      aliases: { username: 'ownerUsername' },
    })).toEqual({ field: 'ownerUsername', message: 'Taken.' });
    expect(placeProblem(refusal('invalid', 'Odd.', 'practiceName'), fields)).toEqual({
      field: null,
      message: 'Odd.',
    });
  });

  it('puts refusals of the given kinds beside their field, whatever they name', () => {
    const problem = placeProblem(refusal('rateLimited', 'Wait a minute.'), ['passphrase'], {
      kinds: { rateLimited: 'passphrase' },
    });
    expect(problem).toEqual({ field: 'passphrase', message: 'Wait a minute.' });
  });
});

describe('FormErrors', () => {
  it('shows a field refusal beside that field only, and moves focus there', async () => {
    const form = makeForm('username', 'passphrase');
    const onField = vi.fn();
    const problems = new FormErrors(['username', 'passphrase'], { element: () => form, onField });

    await problems.show(refusal('invalid', 'Unknown username.', 'username'));
    await problems.show(refusal('wrongPassphrase', 'Not right.', 'passphrase'));

    expect(problems.fields).toEqual({ passphrase: 'Not right.' });
    expect(problems.form).toBeNull();
    expect(onField).toHaveBeenLastCalledWith('passphrase');
    expect(document.activeElement).toBe(form.elements.namedItem('passphrase'));

    problems.edited('passphrase');
    expect(problems.fields).toEqual({});
  });

  it('says anything else above the form', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const problems = new FormErrors(['username']);

    await problems.show(refusal('storage', 'Circle could not read its vault.'));
    expect(problems.form).toBe('Circle could not read its vault.');
    await problems.show(new TypeError('bug'));
    expect(problems.form).toBe(UNEXPECTED_MESSAGE);
    expect(problems.fields).toEqual({});

    problems.clear();
    expect(problems.form).toBeNull();
  });
});
