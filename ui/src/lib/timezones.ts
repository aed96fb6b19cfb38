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

/** "Europe/Dublin" → "Dublin"; "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export function zoneCity(zone: string): string {
  const parts = zone.split('/');
  return (parts[parts.length - 1] ?? zone).replaceAll('_', ' ');
}

/** "America/Argentina/Buenos_Aires" → "America, Argentina"; "" for "UTC". */
export function zoneRegion(zone: string): string {
  return zone.split('/').slice(0, -1).join(', ').replaceAll('_', ' ');
}

/** Lower case, underscores and runs of spaces as one space, none around "/". */
function searchable(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[_\s]+/g, ' ')
    .replace(/\s*\/\s*/g, '/')
    .trim();
}

/** The zone whose full name is what was typed ("europe / dublin" → "Europe/Dublin"). */
export function exactZone(zones: readonly string[], query: string): string | undefined {
  const wanted = searchable(query);
  return zones.find((zone) => searchable(zone) === wanted);
}

/**
 * The zones that match what was typed, best first: the exact name
 * ("Europe/Dublin", "europe / dublin"), then cities starting with it
 * ("Dub"), then names containing it ("new york", "Argentina"). Empty
 * typing lists every zone.
 */
export function searchZones(zones: readonly string[], query: string): string[] {
  const wanted = searchable(query);
  if (wanted === '') return [...zones];
  const ranked: { zone: string; rank: number }[] = [];
  for (const zone of zones) {
    const name = searchable(zone);
    const city = searchable(zoneCity(zone));
    let rank = -1;
    if (name === wanted) rank = 0;
    else if (city === wanted) rank = 1;
    else if (city.startsWith(wanted) || name.startsWith(wanted)) rank = 2;
    else if (name.includes(wanted)) rank = 3;
    if (rank >= 0) ranked.push({ zone, rank });
  }
  return ranked
    .sort((a, b) => a.rank - b.rank || a.zone.localeCompare(b.zone))
    .map((entry) => entry.zone);
}
