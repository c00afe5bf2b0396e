// A benchmark module: runs its measures and reports figures and pass/fail checks.
export interface BenchResult {
  name: string;
  figures: Record<string, number>;
  checks: { label: string; ok: boolean }[];
}
export interface BenchModule {
  name: string;
  run(): Promise<BenchResult[]>;
}
