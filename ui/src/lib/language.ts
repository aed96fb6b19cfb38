/**
 * The browser's language, made usable for `Intl`.
 *
 * On Linux, WebKitGTK reports the POSIX locale (LANG=C or LANG unset: minimal
 * installs, kiosks, services, our CI) as `navigator.language === "C"`, which
 * is not a language tag: `Intl` constructors given it throw a RangeError.
 * Libraries that pass `navigator.language` straight to `Intl` as they load
 * (uPlot does) would stop the whole window from starting. `main.ts` imports
 * `./repair-language` first, which replaces such a value with the runtime's
 * own default before anything else loads.
 */

/** Whether `tag` is a language tag `Intl` accepts. */
export function isUsableLanguage(tag: unknown): tag is string {
  if (typeof tag !== 'string' || tag.trim() === '') return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** `tag` when usable, otherwise the runtime's default locale (else "en-US"). */
export function usableLanguage(tag: unknown): string {
  if (isUsableLanguage(tag)) return tag;
  const fallback = new Intl.DateTimeFormat().resolvedOptions().locale;
  return isUsableLanguage(fallback) ? fallback : 'en-US';
}

/** Replaces an unusable `navigator.language` (and `languages`) in place. */
export function repairNavigatorLanguage(nav: Navigator = navigator): void {
  if (isUsableLanguage(nav.language)) return;
  const language = usableLanguage(nav.language);
  const languages = [language, ...(nav.languages ?? []).filter(isUsableLanguage)];
  Object.defineProperty(nav, 'language', { value: language, configurable: true });
  Object.defineProperty(nav, 'languages', { value: Object.freeze(languages), configurable: true });
}
