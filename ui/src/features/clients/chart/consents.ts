/**
 * Words for a client's 42 CFR Part 2 consents and accounting of disclosures:
 * where a consent stands (a word and a symbol, so colour is never the only
 * signal), the span of the record it covers, the add form's draft, and the
 * kinds of release.
 */
import type { Consent, ConsentInput, ConsentState } from '../../../lib/api';
import { formatDateWithYear } from '../../../lib/datetime';
import type { StatusWord } from '../format';

export const CONSENT_STATE: Record<ConsentState, StatusWord> = {
  active: { word: 'Active', symbol: '✓', tone: 'success' },
  notYetSigned: { word: 'Not yet signed', symbol: '◔', tone: 'muted' },
  expired: { word: 'Expired', symbol: '⌛', tone: 'warning' },
  revoked: { word: 'Revoked', symbol: '⊘', tone: 'danger' },
};

/** Said instead of an error when Rust keeps this client's consents from this person. */
export const CONSENTS_OUT_OF_SCOPE =
  'You can see consents and releases only for clients in groups you facilitate.';

/** The add form's fields, named as the core names them in refusals. */
export const CONSENT_FIELDS = [
  'recipient',
  'purpose',
  'scopeFrom',
  'scopeTo',
  'signedOn',
  'expiresOn',
] as const;

/** What the add form holds while typing: every field a string. */
export interface ConsentDraft {
  recipient: string;
  purpose: string;
  /** The whole record, or the span between two dates. */
  scope: 'whole' | 'dates';
  /** "YYYY-MM-DD" from the date picker, or "" when empty. */
  scopeFrom: string;
  scopeTo: string;
  signedOn: string;
  expiresOn: string;
}

/** A new consent: signed today, covering the whole record, no expiry yet. */
export function emptyConsentDraft(today: string): ConsentDraft {
  return {
    recipient: '',
    purpose: '',
    scope: 'whole',
    scopeFrom: '',
    scopeTo: '',
    signedOn: today,
    expiresOn: '',
  };
}

function dateOrNull(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/** What is sent to Rust; it checks every field. The whole record sends no dates. */
export function consentInputOf(draft: ConsentDraft): ConsentInput {
  const dates = draft.scope === 'dates';
  return {
    recipient: draft.recipient.trim(),
    purpose: draft.purpose.trim(),
    scopeFrom: dates ? dateOrNull(draft.scopeFrom) : null,
    scopeTo: dates ? dateOrNull(draft.scopeTo) : null,
    signedOn: draft.signedOn.trim(),
    expiresOn: dateOrNull(draft.expiresOn),
  };
}

/** "3 Mar 2026–30 Jun 2026", "From 3 Mar 2026 on", "Up to 30 Jun 2026", or the whole record. */
export function scopeText(consent: Pick<Consent, 'scopeFrom' | 'scopeTo'>): string {
  const { scopeFrom: from, scopeTo: to } = consent;
  if (from && to) return `${formatDateWithYear(from)} – ${formatDateWithYear(to)}`;
  if (from) return `From ${formatDateWithYear(from)} on`;
  if (to) return `Up to ${formatDateWithYear(to)}`;
  return 'The whole record';
}

/** The kinds of release the accounting lists, as Rust stores them. */
export const DISCLOSURE_KIND: Record<string, string> = {
  member_record: 'Member record',
  session_packet: 'Session packet',
};

/** "Member record", or the stored code when a newer Circle wrote another kind. */
export function disclosureKindText(kind: string): string {
  return DISCLOSURE_KIND[kind] ?? kind.replace(/_/g, ' ');
}

/** "3 Mar 2026 – 31 May 2026", or one date when the span is a single day. */
export function coveredText(from: string, to: string): string {
  return from === to
    ? formatDateWithYear(from)
    : `${formatDateWithYear(from)} – ${formatDateWithYear(to)}`;
}
