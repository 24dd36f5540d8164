import { version as VERSION } from '../../package.json';
import { clip, visible } from '../core/messages';
import { commandHelp, parseArgs } from './args';
import { COMMANDS } from './commands';
import { consoleIo, EXIT, type Io } from './io';

export type { Io } from './io';

const PROGRAM = 'rnn-lens';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length + c.spec.operands.name.length)) + PROGRAM.length + 5;
  return [
    `Usage: ${PROGRAM} COMMAND [options]`,
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${`${PROGRAM} ${c.spec.name} ${c.spec.operands.name}`.padEnd(width)}${c.spec.summary.split('. ')[0].replace(/\.$/, '')}`),
    '',
    `  ${PROGRAM} COMMAND --help     the options of a command`,
    `  ${PROGRAM} --version          the version`,
    '',
    'Exit status: 0 done (a diverged run included), 1 the spec has errors, 2 a wrong command line, 3 a failure while running'
      + ' (an output that cannot be written, a backend that does not start).',
  ].join('\n');
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    io.out(VERSION);
    return EXIT.ok;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.spec.name === rest[0]) : undefined;
    io.out(topic ? commandHelp(PROGRAM, topic.spec) : usage());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.spec.name === name);
  if (!command) {
    io.err(name ? `${PROGRAM}: unknown command "${clip(name)}".` : `${PROGRAM}: no command given.`);
    io.err(usage());
    return EXIT.usage;
  }
  const parsed = parseArgs(command.spec, rest);
  switch (parsed.kind) {
    case 'help':
      io.out(commandHelp(PROGRAM, command.spec));
      return EXIT.ok;
    case 'version':
      io.out(VERSION);
      return EXIT.ok;
    case 'error':
      io.err(`${PROGRAM} ${command.spec.name}: ${parsed.message}.`);
      io.err(`Run "${PROGRAM} ${command.spec.name} --help" for the options.`);
      return EXIT.usage;
    case 'run':
      return command.run(parsed, io);
  }
}

if (require.main === module) {
  const io = consoleIo();
  main(process.argv.slice(2), io).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      // Never a stack trace: one line that says what went wrong (a write error names the file and why).
      try {
        io.err(`${PROGRAM}: ${visible(error instanceof Error ? error.message : String(error))}`);
      } catch {
        // stderr itself cannot be written: the exit status says it.
      }
      process.exitCode = EXIT.failure;
    },
  );
}
