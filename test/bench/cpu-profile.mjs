// Preloaded into each service (`NODE_OPTIONS=--import …`) when BENCH_CPU_PROF names a folder:
// Node 20 refuses `--cpu-prof` in NODE_OPTIONS, so the profiler is driven through the inspector.
// Writes `<service>-<pid>.cpuprofile` when the process exits (open it in Chrome DevTools).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { basename, dirname, join } from 'node:path';

const dir = process.env.BENCH_CPU_PROF;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  const service = basename(dirname(dirname(process.argv[1] ?? 'node/x/main.js')));
  process.on('exit', () => {
    // A session in the process's own thread answers synchronously, so this runs before exit.
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(join(dir, `${service}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
