// Types of scripts/lint-electron.mjs for the tests that import it.
export interface Finding {
  id: string;
  severity: 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
  confidence: string;
  file: string;
  line: number;
  manualReview: boolean;
  description: string;
  sample: string;
}
export interface LintResult {
  files: string[];
  findings: Finding[];
  parseErrors: { file: string; message: string }[];
  checks: number;
  reviewed: { file: string; line: number; text: string }[];
}
export const ROOT: string;
export const APP_INPUTS: string[];
export function installedElectronVersion(): string;
export function analyse(folder: string, options?: { electronVersion?: string }): Promise<Pick<LintResult, 'findings' | 'parseErrors' | 'checks'>>;
export function isBlocking(finding: Finding): boolean;
export function stageApp(root?: string, inputs?: string[]): string;
export function analysedFiles(dir: string): string[];
export function reviewedExceptions(dir: string): LintResult['reviewed'];
export function lintApp(root?: string): Promise<LintResult>;
export function lintFolder(folder: string): Promise<LintResult>;
