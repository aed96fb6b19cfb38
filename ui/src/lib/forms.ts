/**
 * Small helpers for forms that send to a command and show its refusal
 * beside the field it names.
 */
import { ApiError, errorMessage } from './api';

/** Where a caught error belongs: beside one of the form's fields, or above the form. */
export interface Problem {
  /** A field of this form, or null for a message about the whole form. */
  field: string | null;
  message: string;
}

/**
 * Places a caught error. An `ApiError` whose field is one of `fields` (or
 * maps to one through `aliases`) goes beside that field; anything else is a
 * message for the whole form.
 */
export function placeProblem(
  error: unknown,
  fields: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): Problem {
  const message = errorMessage(error);
  if (error instanceof ApiError && error.field) {
    const field = aliases[error.field] ?? error.field;
    if (fields.includes(field)) return { field, message };
  }
  return { field: null, message };
}

/** Moves keyboard focus to the form control named `name`, if there is one. */
export function focusField(form: HTMLFormElement | null | undefined, name: string): void {
  const control = form?.elements.namedItem(name);
  if (control instanceof HTMLElement) control.focus();
}

/** The same words the core's passphrase rules compare against, minus blanks. */
export function contextWords(...words: string[]): string[] {
  return words.map((word) => word.trim()).filter((word) => word.length > 0);
}
