/**
 * Placing a refusal when a form shows only some of its fields at a time
 * (the series form shows either the count or the end date).
 */
import type { FormErrors } from '../../lib/forms.svelte';

/**
 * Shows `error` beside the field it names, or above the form when that
 * field is not on screen right now (so the message is never hidden).
 */
export async function showProblem(
  problems: FormErrors,
  error: unknown,
  form: HTMLFormElement | null | undefined,
): Promise<void> {
  await problems.show(error);
  for (const [field, message] of Object.entries(problems.fields)) {
    if (!form?.elements.namedItem(field)) {
      problems.fields = {};
      problems.form = message;
    }
  }
}
