/**
 * Words for the values of session notes, shared by the note screen, the
 * client's chart and note search so a status reads the same everywhere.
 * Each screen adds its own symbol and tone to these words.
 */
import type { NoteStatus, RiskLevel } from './api';

export const NOTE_STATUS_WORDS: Record<NoteStatus, string> = {
  notStarted: 'Not started',
  draft: 'Draft',
  pendingCosign: 'Waiting for co-signature',
  signed: 'Signed',
};

/** Risk levels in rising order, with their words. */
export const RISK_WORDS: Record<RiskLevel, string> = {
  none: 'None',
  low: 'Low',
  moderate: 'Moderate',
  high: 'High',
};
