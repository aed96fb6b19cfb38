/** Outcome-measure fixtures for the UI tests: the forms as Rust sends them. */
import type { MeasureEntry, MeasureForm, MeasureTrend, Severity } from '../../lib/api';

const ANSWERS = ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'];
const STEM = 'Over the last 2 weeks, how often have you been bothered by any of the following problems?';

export const PHQ9: MeasureForm = {
  instrument: 'phq9',
  name: 'PHQ-9',
  stem: STEM,
  items: [
    'Little interest or pleasure in doing things',
    'Feeling down, depressed, or hopeless',
    'Trouble falling or staying asleep, or sleeping too much',
    'Feeling tired or having little energy',
    'Poor appetite or overeating',
    'Feeling bad about yourself',
    'Trouble concentrating on things',
    'Moving or speaking so slowly that other people could have noticed',
    'Thoughts that you would be better off dead or of hurting yourself in some way',
  ],
  answers: ANSWERS,
  bands: [
    { from: 0, to: 4, severity: 'minimal', words: 'minimal' },
    { from: 5, to: 9, severity: 'mild', words: 'mild' },
    { from: 10, to: 14, severity: 'moderate', words: 'moderate' },
    { from: 15, to: 19, severity: 'moderatelySevere', words: 'moderately severe' },
    { from: 20, to: 27, severity: 'severe', words: 'severe' },
  ],
  maxTotal: 27,
  reliableChange: 6,
  caseness: 10,
  riskItem: 9,
};

export const GAD7: MeasureForm = {
  instrument: 'gad7',
  name: 'GAD-7',
  stem: STEM,
  items: [
    'Feeling nervous, anxious or on edge',
    'Not being able to stop or control worrying',
    'Worrying too much about different things',
    'Trouble relaxing',
    'Being so restless that it is hard to sit still',
    'Becoming easily annoyed or irritable',
    'Feeling afraid as if something awful might happen',
  ],
  answers: ANSWERS,
  bands: [
    { from: 0, to: 4, severity: 'minimal', words: 'minimal' },
    { from: 5, to: 9, severity: 'mild', words: 'mild' },
    { from: 10, to: 14, severity: 'moderate', words: 'moderate' },
    { from: 15, to: 21, severity: 'severe', words: 'severe' },
  ],
  maxTotal: 21,
  reliableChange: 4,
  caseness: 8,
  riskItem: null,
};

/** The words Rust sends with each band (Severity::words). */
const WORDS: Readonly<Record<Severity, string>> = {
  minimal: 'minimal',
  mild: 'mild',
  moderate: 'moderate',
  moderatelySevere: 'moderately severe',
  severe: 'severe',
};

export function entry(overrides: Partial<MeasureEntry> & { total: number; severity: Severity }): MeasureEntry {
  return {
    severityWords: WORDS[overrides.severity],
    id: 1,
    sessionId: 40,
    clientId: 12,
    instrument: 'phq9',
    date: '2030-01-15',
    answers: [],
    openRisk: false,
    ...overrides,
  };
}

export function trend(entries: MeasureEntry[], change: MeasureTrend['change'] = null): MeasureTrend {
  return { instrument: entries[0]?.instrument ?? 'phq9', entries, change };
}
