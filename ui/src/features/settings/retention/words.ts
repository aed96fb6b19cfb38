/**
 * The sentences of Settings → Retention that depend on a number.
 */
import type { PurgeReport, RetentionSettings } from '../../../lib/api';

/** "1 record", "3 records". */
export function recordsWord(count: number): string {
  return count === 1 ? '1 record' : `${count} records`;
}

/** "1 year", "7 years". */
export function yearsWord(count: number): string {
  return count === 1 ? '1 year' : `${count} years`;
}

/** Record numbers named in the sentence after a purge; the rest are counted. */
const NAMED = 10;

/**
 * "Purged 2 records (C-000012, C-000013)." — and, when shared session
 * notes now name a purged member by a label, how many.
 */
export function purgedSentence(report: PurgeReport): string {
  const numbers = report.purged.slice(0, NAMED).join(', ');
  const more = report.purged.length - NAMED;
  const list = more > 0 ? `${numbers} and ${more} more` : numbers;
  let sentence = `Purged ${recordsWord(report.purged.length)}${list ? ` (${list})` : ''}.`;
  if (report.notesRelabelled > 0) {
    sentence +=
      report.notesRelabelled === 1
        ? ' 1 signed note of a shared session now names a purged member by a label.'
        : ` ${report.notesRelabelled} signed notes of shared sessions now name purged members by a label.`;
  }
  return sentence;
}

/** "Saved. …": what the periods now mean, after the owner changed them. */
export function savedSentence(periods: RetentionSettings): string {
  const minor =
    periods.yearsAfterMajority === 0
      ? 'their 18th birthday'
      : `${yearsWord(periods.yearsAfterMajority)} after they turn 18`;
  return (
    `Saved. A record becomes due ${yearsWord(periods.yearsAfterContact)} after the client's last contact` +
    `; for a client who was a minor, no sooner than ${minor}.`
  );
}
