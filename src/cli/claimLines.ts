import type { ClaimStatus } from '../core/claim';
import type { ResolvedSpec } from '../core/modelSpec/types';
import { claimStateText, partSentence, partStatusText, type Translator } from '../shared/claimText';
import { fill, STRINGS } from '../shared/strings';

const english: Translator = (key, ...args) => fill(STRINGS[key], args);

/** The claim in words, one line for the whole and one per part (rnn-lens train and sweep alike). */
export function claimLines(spec: ResolvedSpec, claim: ClaimStatus): string[] {
  return [
    `${fill(STRINGS['claim.heading'], [])}: ${claimStateText(claim.state, claim.step, english)}`,
    ...spec.claim.map((part, i) => `  ${partSentence(part, spec, english)}: ${partStatusText(claim.parts[i], english)}`),
  ];
}
