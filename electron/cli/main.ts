import { runCli } from './run';
import { privateUmask } from '../services/common/private-fs';

// Personal data at rest: every file this process creates is for the officer alone (0600/0700).
privateUmask();
runCli(process.argv.slice(2), {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
}).then((code) => {
  process.exitCode = code;
});
