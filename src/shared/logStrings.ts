/**
 * The preview's sentences about a replayed run log (part of STRINGS, strings.ts; Korean in the l10n bundle).
 */
export const LOG_STRINGS = {
  // Where the log came from, at the top of the page.
  'log.origin': 'A recorded run, replayed: written by {0}, started {1}.',
  'log.origin.source': 'Trained from {0}.',
  'log.ranks': '{0} ranks',
  'log.origin.tip': 'This page replays a run log (JSON lines) instead of training. Nothing here trains: the numbers are those the run recorded.',

  // The replay's controls.
  'log.controls.play': 'Play the recorded steps',
  'log.controls.pause': 'Pause the replay',
  'log.controls.step': 'One recorded report forward',
  'log.controls.reset': 'Back to the start of the log',
  'log.controls.scrub': 'Where the replay is: drag to any recorded report',
  'log.status': 'Report {0} of {1} · step {2} of {3}',
  'log.state.playing': 'playing',
  'log.state.paused': 'paused',
  'log.state.following': 'following the log',
  'log.state.end': 'end of the log',
  'log.state.problem': 'cannot be shown (see the message above)',

  // How reading the log goes.
  'log.waiting': 'Waiting for the run log\'s first line.',
  'log.following': 'No summary line yet: the run may still be writing this log (new lines show within a second), or it stopped before its end.',
  'log.malformed': 'Lines skipped because they are not lines of a run log: {0} (the first is line {1}).',
  'log.pending': 'The last line is not complete ({0} characters): a run still writing it, or a log cut short. It shows once it ends.',
  'log.tooLong': '{0} lines longer than 64 MB were skipped unread.',
  'log.samplesDropped': 'At {0} reports one sequence\'s gate values were too many to keep (more than 65,536 numbers); the gate heatmaps are empty there.',
  'log.sweepLines': 'This is the log of rnn-lens sweep: {0} lines give whole runs\' results, not their reports, so the views stay empty. Open the spec itself to see its horizon view.',
  'log.nextRun': 'Another run starts at line {0} of this file; only the first is shown.',
  'log.diverged': '{0} diverged at step {1}: {2}',
  'log.problem.noHeader': 'This file does not start with a run header ({"type":"run",...}), so RNN Lens cannot tell which spec it records. Write the log again with rnn-lens train --json, Export Run or an exported PyTorch script\'s --json.',
  'log.problem.format': 'This run log is in format {0}; this version of RNN Lens reads format {1}. Update RNN Lens to open it.',
  'log.problem.badHeader': 'The run header\'s "{0}" is not one RNN Lens can draw, so the log cannot be shown.',
  'log.problem.tooLarge': 'This log is {0}; RNN Lens opens run logs up to {1}. Write fewer reports (--every K) or fewer steps.',
  'log.problem.unreadable': 'The run log cannot be read: {0}',

  // What a log lacks.
  'log.notRecorded': 'Not in this run log: the program that wrote it did not record {0}.',
  'log.field.hiddenGradNorms': '||dL/dh_t||',
  'log.field.inputGradNorms': '||dL/dx_t||',
  'log.field.gates': 'the gate activations',
  'log.field.sample': 'the gates of one sequence, unit by unit (or they were too many to keep)',
  'log.field.vanishing': 'the RNN\'s derivative and σ_max(W_hh)',
  'log.field.metric': 'the held-out score',
  'log.field.seq2seq': 'the held-out token and sequence accuracy',
  'log.noDecodes': 'Run logs do not carry the held-out decodes, so no example is shown here; the scores over training below are the log\'s.',
  'log.noUnclipped': 'A run log has no copy of the run without clipping.',
} as const;
