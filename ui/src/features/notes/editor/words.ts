/**
 * The words the session note screen shows for its values. Status words
 * always travel with a symbol, so nothing relies on colour alone.
 */
import type { NameWarning, NoteMember, NoteStatus, RiskLevel } from '../../../lib/api';
import { NOTE_STATUS_WORDS, RISK_WORDS } from '../../../lib/notes';

export interface Look {
  label: string;
  /** Says the same as the word, without colour. */
  symbol: string;
  tone: 'neutral' | 'info' | 'warning' | 'success';
}

export const NOTE_STATUS_LOOKS: Record<NoteStatus, Look> = {
  notStarted: { label: NOTE_STATUS_WORDS.notStarted, symbol: '○', tone: 'neutral' },
  draft: { label: NOTE_STATUS_WORDS.draft, symbol: '✎', tone: 'info' },
  pendingCosign: { label: NOTE_STATUS_WORDS.pendingCosign, symbol: '◔', tone: 'warning' },
  signed: { label: NOTE_STATUS_WORDS.signed, symbol: '✓', tone: 'success' },
};

export const RISK_OPTIONS: readonly { value: RiskLevel | ''; label: string }[] = [
  { value: '', label: 'Not chosen' },
  ...(Object.entries(RISK_WORDS) as [RiskLevel, string][]).map(([value, label]) => ({ value, label })),
];

export function riskLabel(level: RiskLevel | null): string {
  return RISK_OPTIONS.find((o) => o.value === (level ?? ''))?.label ?? 'Not chosen';
}

/** "Ana", "Ana and Bo", "Ana, Bo and Cy". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The warning under a shared section that names members in plain text. */
export function nameWarningText(names: readonly string[]): string {
  const who = listNames(names);
  const verb = names.length === 1 ? 'is' : 'are';
  const them = names.length === 1 ? 'the name becomes' : 'each name becomes';
  return (
    `${who} ${verb} named here in plain text. In the other members' records ${them} ` +
    'a neutral label such as “Member B”. Use @ to mention members.'
  );
}

/** The display names a warning for `key` lists, in roster order. */
export function warnedNames(
  warnings: readonly NameWarning[],
  key: string,
  members: readonly NoteMember[],
): string[] {
  const ids = new Set(warnings.filter((w) => w.sectionKey === key).flatMap((w) => w.clientIds));
  return members.filter((m) => ids.has(m.clientId)).map((m) => m.displayName);
}

/** A refusal's message, ready to go before more words ("…: message. Your text…"). */
export function withoutFullStop(message: string): string {
  return message.trim().replace(/[.。]+$/, '');
}
