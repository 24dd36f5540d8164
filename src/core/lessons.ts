/**
 * The lessons, in the order of the lecture: from an RNN unrolled over time to seq2seq and attention. Each is a spec with a
 * claim, shipped in every display language under lessons/<language>/<file>; the files of one lesson differ
 * only in their comments and description (a test checks it). The walkthrough's steps and the "Open Lesson"
 * picker follow this order; a step is done once the lesson's claim is decided in the preview.
 */
export const LESSONS = [
  { id: 'unrolled', file: '01-unrolled.rnn.json' },
  { id: 'exact', file: '02-vanishing-exact.rnn.json' },
  { id: 'vanishing', file: '03-vanishing-tanh.rnn.json' },
  { id: 'exploding', file: '04-exploding.rnn.json' },
  { id: 'clipping', file: '05-clipping-no-cure.rnn.json' },
  { id: 'lstm', file: '06-lstm.rnn.json' },
  { id: 'gru', file: '07-gru.rnn.json' },
  { id: 'limits', file: '08-limits.rnn.json' },
  { id: 'depth', file: '09-depth.rnn.json' },
  { id: 'seq2seq', file: '10-seq2seq.rnn.json' },
  { id: 'depends', file: '11-depends.rnn.json' },
  { id: 'bottleneck', file: '12-bottleneck.rnn.json' },
] as const;

export type LessonId = (typeof LESSONS)[number]['id'];
export type Lesson = (typeof LESSONS)[number];

/** The languages the lessons are written in; any other display language gets English. */
export const LESSON_LANGUAGES = ['en', 'ko'] as const;
export type LessonLanguage = (typeof LESSON_LANGUAGES)[number];

export function lessonLanguage(displayLanguage: string): LessonLanguage {
  return displayLanguage.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export function findLesson(id: unknown): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}

/** The context key the extension sets once a lesson's claim is decided; its walkthrough step completes on it. */
export function trainedContextKey(id: LessonId): string {
  return `rnnLens.trained.${id}`;
}
