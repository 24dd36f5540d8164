import { isIntIn, isRecord } from '../../guards';
import { measure } from './measure';

/** For seq2seq: how many of a report's time steps belong to the encoder and to the decoder; null otherwise. */
export const segments = measure({
  field: 'segments',
  source: {
    kind: 'step',
    read: ({ pass }): { readonly encoder: number; readonly decoder: number } | null =>
      (pass.parts.length === 2 ? { encoder: pass.parts[0].fwd.steps, decoder: pass.parts[1].fwd.steps } : null),
  },
  isValue: (v) => v === null || (isRecord(v) && isIntIn(v.encoder, 0, 1e6) && isIntIn(v.decoder, 0, 1e6)),
  size: () => 2,
});
