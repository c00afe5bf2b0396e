// `npm run bench [-- module…]`: runs each benchmark module in this process and prints its
// figures, then the peak RSS of the run. Add a module by importing it into MODULES.
import { cliBench } from './cli';
import { defilementBench } from './defilement';
import { dossierBench } from './dossier';
import { recensementBench } from './recensement';
import type { BenchModule } from './types';

const MODULES: BenchModule[] = [recensementBench, cliBench, defilementBench, dossierBench];

async function main() {
  const wanted = process.argv.slice(2);
  const modules = wanted.length ? MODULES.filter((m) => wanted.includes(m.name)) : MODULES;
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  let failed = false;
  for (const m of modules) {
    console.log(`\n== ${m.name} ==`);
    for (const r of await m.run()) {
      console.log(r.name);
      for (const [k, v] of Object.entries(r.figures)) console.log(`  ${k.padEnd(30)} ${v}`);
      for (const c of r.checks) {
        console.log(`  [${c.ok ? 'ok' : 'ÉCHEC'}] ${c.label}`);
        failed ||= !c.ok;
      }
    }
  }
  clearInterval(timer);
  // resourceUsage().maxRSS is the kernel's own peak (kilobytes), sampling can miss a spike.
  const maxRss = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  const mb = maxRss / 1024 / 1024;
  // The whole run also holds the generated files and the bare SheetJS parses: information only;
  // each module checks the peak of its own work in a child process.
  console.log(`\nMémoire du processus de mesure (fichiers générés + parses de référence) : pic RSS ${mb.toFixed(0)} Mo`);
  process.exitCode = failed ? 1 : 0;
}

void main();
