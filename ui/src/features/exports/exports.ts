/**
 * Words for exports: what each stage is doing, what was saved, which
 * scripts could not be printed, and what "Check a PDF" found.
 */
import { parseDate } from '@internationalized/date';
import type { ExportDone, ExportKind, ExportProgress, Verification } from '../../lib/api';
import { formatDateWithYear, formatInstantWithYear } from '../../lib/datetime';

/** What is being exported, and of whom or what. */
export type ExportTarget =
  | { kind: 'memberRecord'; clientId: number }
  | { kind: 'sessionPacket'; sessionId: number }
  | { kind: 'attendance'; groupId: number }
  | { kind: 'daySheet' }
  | { kind: 'disclosures'; clientId: number };

/** The stages in order, for the progress bar. */
export const STAGES: readonly ExportProgress[] = [
  'gathering',
  'choosingFile',
  'typesetting',
  'writing',
  'done',
];

const STAGE_WORDS: Record<ExportProgress, string> = {
  gathering: 'Gathering what goes in…',
  choosingFile: 'Choose where to save the PDF in the window that opened.',
  typesetting: 'Setting the pages… Circle stays usable meanwhile.',
  writing: 'Saving the file and recording its release…',
  done: 'Saved.',
};

export function stageText(stage: ExportProgress): string {
  return STAGE_WORDS[stage];
}

/** How far along `stage` is, as a step of `STAGES.length - 1`. */
export function stageStep(stage: ExportProgress): number {
  return STAGES.indexOf(stage);
}

const KIND_WORDS: Record<ExportKind, string> = {
  memberRecord: 'member record',
  sessionPacket: 'session packet',
  attendance: 'attendance report',
  daySheet: 'day sheet',
  recoverySheet: 'recovery sheet',
  disclosures: 'accounting of disclosures',
};

export function kindText(kind: ExportKind): string {
  return KIND_WORDS[kind];
}

/** "3 pages", "1 page". */
export function pagesText(pages: number): string {
  return pages === 1 ? '1 page' : `${pages} pages`;
}

/** "Hangul", "Arabic and Hebrew", "Arabic, Hebrew and Thai". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The line under a saved export when some writing could not be printed; null when none. */
export function missingScriptsText(done: ExportDone): string | null {
  const missing = done.released.missingScripts;
  if (missing.length === 0) return null;
  return (
    `No font on this computer can show ${listText(missing)} writing, so those letters are ` +
    'printed as empty boxes. Install a font for them (the Noto fonts cover every script) and ' +
    'export again.'
  );
}

/** "From" a year back, "to" today: the record's usual span. */
export function lastTwelveMonths(today: string): { from: string; to: string } {
  try {
    return { from: parseDate(today).subtract({ months: 12 }).toString(), to: today };
  } catch {
    return { from: today, to: today };
  }
}

/** The last three months: an attendance report's usual span. */
export function lastThreeMonths(today: string): { from: string; to: string } {
  try {
    return { from: parseDate(today).subtract({ months: 3 }).toString(), to: today };
  } catch {
    return { from: today, to: today };
  }
}

/** What "Check a PDF" found, as sentences. */
export function verificationText(verification: Verification, tz: string): string[] {
  if (verification.outcome === 'notReleased') {
    return [
      'This file is not one Circle released, or it was changed after it was released: ' +
        'even one changed character makes it a different file.',
      `Its fingerprint (SHA-256) is ${verification.sha256}.`,
    ];
  }
  const when = formatInstantWithYear(verification.releasedAt, tz);
  const by = verification.releasedBy ? ` by ${verification.releasedBy}` : '';
  const lines = [
    `This file is exactly the ${kindText(verification.kind)} Circle released on ${when}${by}, unchanged.`,
  ];
  if (verification.recipients.length > 0) {
    lines.push(`It was released to ${listText(verification.recipients)}.`);
  }
  return lines;
}

/** "3 Mar 2026 to 2 Mar 2027", for a hint under a pair of dates. */
export function spanText(from: string, to: string): string {
  return `${formatDateWithYear(from)} to ${formatDateWithYear(to)}`;
}
