import { version as VERSION } from '../../package.json';
import { COMMANDS, usage } from './commands';
import { consoleIo, type Io } from './io';

export type { Io } from './io';

export async function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command.run(rest, io);
  switch (name) {
    case '--version':
      io.out(VERSION);
      return 0;
    case '--help':
    case '-h':
    case 'help':
      io.out(usage());
      return 0;
    default:
      io.err(name ? `rnn-lens: unknown command "${name}".` : 'rnn-lens: no command given.');
      io.err(usage());
      return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      // Never a stack trace: one line that says what went wrong.
      consoleIo.err(`rnn-lens: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 2;
    },
  );
}
