/**
 * The practice's locale (a BCP 47 tag such as "en-IE"): how every screen
 * writes dates and times. A practice setting in Rust, mirrored here from the
 * signed-in person's details (App.svelte keeps it current), so a change in
 * Settings shows on every screen at once.
 *
 * Until someone signs in (and in tests) dates are written as in en-GB, the
 * core's own fallback: "Tue 3 Mar, 18:00".
 */

export const DEFAULT_LOCALE = 'en-GB';

const practice = $state({ tag: DEFAULT_LOCALE });

/** The locale dates are written in now (reactive: read it inside a template or $derived). */
export function displayLocale(): string {
  return practice.tag;
}

/** Follows the practice's setting; an unknown or missing tag falls back to en-GB. */
export function setDisplayLocale(tag: string | null | undefined): void {
  let next = DEFAULT_LOCALE;
  if (tag) {
    try {
      next = Intl.getCanonicalLocales(tag)[0] ?? DEFAULT_LOCALE;
    } catch {
      next = DEFAULT_LOCALE;
    }
  }
  if (practice.tag !== next) practice.tag = next;
}
