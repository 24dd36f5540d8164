import * as zlib from 'zlib';
import { checkSpec } from '../core/modelSpec/check';
import { formatProblem } from '../core/modelSpec/problems';
import { shareLink } from '../core/share/link';
import type { ShareArgs } from './commandSpecs';
import { EXIT, type Io } from './io';
import { readSpecFile } from './readSpec';

/**
 * `rnn-lens share FILE`: the spec as a link that opens it in VS Code (src/core/share/link.ts), on stdout. A
 * file that `check` refuses gets its problems on stderr and no link (exit 1): a link only ever carries a spec
 * that opens. The text goes as it is, comments and layout included.
 */
export async function runShare(args: ShareArgs, io: Io): Promise<number> {
  const file = args.operands[0];
  const read = readSpecFile(file);
  const result = read.problem ? { spec: null, problems: [read.problem] } : checkSpec(read.text);
  for (const p of result.problems) io.err(formatProblem(file, p));
  if (!result.spec || read.text === undefined) return EXIT.problems;
  const deflated = zlib.deflateRawSync(Buffer.from(read.text, 'utf8'), { level: zlib.constants.Z_BEST_COMPRESSION });
  io.out(shareLink(deflated));
  return EXIT.ok;
}
