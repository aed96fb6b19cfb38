/**
 * Small helpers for forms that send to a command and show its refusal
 * beside the field it names.
 */
import { tick } from 'svelte';
import { ApiError, errorMessage, type ErrorKind } from './api';

/** Where a caught error belongs: beside one of the form's fields, or above the form. */
export interface Problem {
  /** A field of this form, or null for a message about the whole form. */
  field: string | null;
  message: string;
}

export interface PlaceOptions {
  /** Names the core uses for the same fields elsewhere, mapped to this form's names. */
  aliases?: Readonly<Record<string, string>>;
  /** Refusals of these kinds belong beside this field, whatever field they name. */
  kinds?: Readonly<Partial<Record<ErrorKind, string>>>;
}

/**
 * Places a caught error. An `ApiError` of one of `kinds`, or whose field is
 * one of `fields` (or maps to one through `aliases`), goes beside that
 * field; anything else is a message for the whole form.
 */
export function placeProblem(
  error: unknown,
  fields: readonly string[],
  { aliases = {}, kinds = {} }: PlaceOptions = {},
): Problem {
  const message = errorMessage(error);
  if (error instanceof ApiError) {
    const field = kinds[error.kind] ?? (error.field ? (aliases[error.field] ?? error.field) : null);
    if (field !== null && fields.includes(field)) return { field, message };
  }
  return { field: null, message };
}

/** Moves keyboard focus to the form control named `name`, if there is one. */
export function focusField(form: HTMLFormElement | null | undefined, name: string): void {
  const control =
    // A DateField: its first typed part (day, month or year, in the locale's order).
    form?.querySelector(`[data-date-field="${name.replace(/["\\]/g, '\\$&')}"] [contenteditable="true"]`) ??
    form?.elements.namedItem(name);
  if (control instanceof HTMLElement) control.focus();
}

/** The same words the core's passphrase rules compare against, minus blanks. */
export function contextWords(...words: string[]): string[] {
  return words.map((word) => word.trim()).filter((word) => word.length > 0);
}

export interface FormErrorsOptions extends PlaceOptions {
  /** The form, to move focus to the field that has a message. */
  element?: () => HTMLFormElement | null | undefined;
  /** Called just before a field's message shows, e.g. to empty a secret to retype. */
  onField?: (field: string) => void;
}

/**
 * A form's messages: at most one beside a field (`fields`), or one about
 * the whole form (`form`). `show` places a caught error with `placeProblem`
 * and moves focus to the field it names.
 */
export class FormErrors {
  /** Messages beside fields, by the field's name. */
  fields: Record<string, string> = $state({});
  /** A message about the whole form. */
  form: string | null = $state(null);

  readonly #names: readonly string[];
  readonly #options: FormErrorsOptions;

  /** `fields`: the names of this form's fields that a message may sit beside. */
  constructor(fields: readonly string[], options: FormErrorsOptions = {}) {
    this.#names = fields;
    this.#options = options;
  }

  /** Before sending again: no messages. */
  clear(): void {
    this.fields = {};
    this.form = null;
  }

  /** The person changed `field`: its message has served its purpose. */
  edited = (field: string): void => {
    if (this.fields[field]) delete this.fields[field];
  };

  /** Shows `message` beside `field` (and nowhere else), and moves focus there. */
  async showField(field: string, message: string): Promise<void> {
    this.#options.onField?.(field);
    this.fields = { [field]: message };
    this.form = null;
    await tick();
    focusField(this.#options.element?.(), field);
  }

  /**
   * Shows every message at once, each beside its field (and nothing above
   * the form), and moves focus to the first of those fields in form order.
   * Nothing to show clears the messages and leaves focus where it is.
   */
  async showAll(messages: Readonly<Record<string, string>>): Promise<void> {
    const first = this.#names.find((name) => messages[name]);
    for (const field of this.#names) if (messages[field]) this.#options.onField?.(field);
    this.fields = { ...messages };
    this.form = null;
    if (!first) return;
    await tick();
    focusField(this.#options.element?.(), first);
  }

  /** Shows a caught error beside the field it names, or above the form. */
  async show(error: unknown): Promise<void> {
    const problem = placeProblem(error, this.#names, this.#options);
    if (problem.field) await this.showField(problem.field, problem.message);
    else this.form = problem.message;
  }
}
