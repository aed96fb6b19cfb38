/**
 * Outcome measures (PHQ-9, GAD-7, issue 19) in the window: the forms come
 * from Rust (`measureForms`, wording and bands as published) and so do the
 * words of a band and of a change (`severityWords`, `Change.words`): this
 * file only pairs each severity with a symbol and builds sentences.
 */
import {
  commands,
  unwrap,
  type Change,
  type Instrument,
  type MeasureForm,
  type Severity,
} from '../../lib/api';

/**
 * A shape per band, filling as severity rises, so the band reads without
 * colour (and the words always sit beside it).
 */
export const SEVERITY_SYMBOL: Readonly<Record<Severity, string>> = {
  minimal: '○',
  mild: '◔',
  moderate: '◑',
  moderatelySevere: '◕',
  severe: '●',
};

/** "18 → 9: reliable and clinically significant improvement". */
export function changeSentence(change: Change): string {
  return `${change.first} → ${change.latest}: ${change.words}`;
}

let cached: Promise<MeasureForm[]> | null = null;

/** The forms, asked for once per window (they never change while it is open). */
export function measureForms(): Promise<MeasureForm[]> {
  cached ??= commands.measureForms().then(unwrap).catch((error: unknown) => {
    cached = null;
    throw error;
  });
  return cached;
}

/** For tests: forget the forms asked for. */
export function forgetForms(): void {
  cached = null;
}

export function formOf(forms: readonly MeasureForm[], instrument: Instrument): MeasureForm | undefined {
  return forms.find((form) => form.instrument === instrument);
}

/** The risk notice's words, the same on Today and in the note. */
export const RISK_NOTICE = 'PHQ-9 item 9 answered above 0 — acknowledge with a safety note';
