// Large imports (20 000 rows) allocate a lot for a short time: SheetJS's parse of the sheet,
// then our rows. V8 only collects its old generation late (it lets garbage grow to ~200 MB
// first), which set the import's peak memory. At a few points where a large amount of memory
// has just become garbage (the workbook once its rows are converted, the plan once written),
// the import asks for a full collection. `gc` is V8's own function, made available at run time.
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/** Runs a full garbage collection now (no-op if the runtime refuses it). About 10–60 ms. */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      const existing = (globalThis as { gc?: () => void }).gc;
      if (typeof existing === 'function') gc = existing;
      else {
        v8.setFlagsFromString('--expose-gc');
        gc = vm.runInNewContext('gc') as () => void;
      }
    } catch {
      gc = null;
    }
  }
  gc?.();
}
