/** The IANA time zones this computer knows, for the practice's time zone. */

/** This computer's own zone, e.g. "Europe/Berlin" ("UTC" when it cannot say). */
export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * Every zone the JavaScript engine lists, sorted, always including `include`
 * (an engine's own zone, such as "UTC", is not always in its list). Empty
 * when the engine cannot list zones; the caller then offers a text field.
 */
export function timeZones(include: string): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  if (typeof intl.supportedValuesOf !== 'function') return [];
  let zones: string[];
  try {
    zones = intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
  const all = new Set(zones);
  if (include) all.add(include);
  return [...all].sort((a, b) => a.localeCompare(b));
}

/** "America/Argentina/Buenos_Aires" → "America / Argentina / Buenos Aires". */
export function timeZoneLabel(zone: string): string {
  return zone.replaceAll('_', ' ').split('/').join(' / ');
}
