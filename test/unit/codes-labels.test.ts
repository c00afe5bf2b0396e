// Every code the app stores or sends has its French label, defined once in shared/codes.ts:
// audit actions and entities, pièce roles, job kinds, error codes — and every database column a
// history line may show. A code added without its label fails here.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  auditActionLabels,
  auditActions,
  auditEntities,
  auditEntityLabels,
  errorCodeLabels,
  errorCodes,
  jobKindLabels,
  jobKinds,
  pieceRoleCodes,
  pieceRoleLabels,
} from '../../shared/codes';
import { pieceRoles } from '../../electron/services/pieces/roles';
import { fieldLabel, hasFieldLabel } from '../../electron/services/sauvegarde/history-format';

const root = path.join(__dirname, '../..');

/** A label the officer can read: not the code, no snake_case, no English word of ours. */
function expectFrench(code: string, label: string | undefined) {
  expect(label, `label of « ${code} »`).toBeTypeOf('string');
  expect(label!.trim().length, `label of « ${code} »`).toBeGreaterThan(1);
  expect(label, `label of « ${code} »`).not.toBe(code);
  expect(label, `label of « ${code} »`).not.toMatch(/_|\b(backup|restored|previous|create|update|delete|import job|error|invalid|not found)\b/i);
  expect(label!.charAt(0), `label of « ${code} »`).toBe(label!.charAt(0).toUpperCase());
}

const sets: [string, readonly string[], Record<string, string>][] = [
  ['audit actions', auditActions, auditActionLabels],
  ['audit entities', auditEntities, auditEntityLabels],
  ['pièce roles', pieceRoleCodes, pieceRoleLabels],
  ['job kinds', jobKinds, jobKindLabels],
  ['error codes', errorCodes, errorCodeLabels],
];

describe('every code has a French label', () => {
  for (const [name, codes, labels] of sets) {
    it(`${name}: each code, and no label without its code`, () => {
      for (const c of codes) expectFrench(c, Object.prototype.hasOwnProperty.call(labels, c) ? labels[c] : undefined);
      expect(Object.keys(labels).sort()).toEqual([...new Set(codes)].sort());
    });
  }

  it('the roles a pièce can take per owner use the shared labels', () => {
    for (const roles of Object.values(pieceRoles)) for (const r of roles) expect(r.label).toBe(pieceRoleLabels[r.role]);
  });

  it('every column of the database has a French label for the history (bookkeeping columns aside)', () => {
    const dir = path.join(root, 'electron/db/tables');
    const hidden = new Set(['id', 'created_at', 'updated_at']);
    const missing: string[] = [];
    for (const f of fs.readdirSync(dir)) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      // Members of the `…Table` interfaces only (not the DB map of table names).
      for (const block of src.matchAll(/export interface \w+Table \{([\s\S]*?)\n\}/g)) {
        for (const m of block[1].matchAll(/^\s+([a-z][a-z0-9_]*)\??:/gm)) {
          if (!hidden.has(m[1]) && !hasFieldLabel(m[1])) missing.push(`${f}: ${m[1]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('a field label is looked up as an own entry only', () => {
    expect(hasFieldLabel('constructor')).toBe(false);
    expect(fieldLabel('constructor')).toBe('Constructor');
    expect(fieldLabel('amount_ht_cents')).toBe('Montant HT');
  });
});

describe('audit rows are written with typed codes', () => {
  it('every raw INSERT INTO audit_log types its action and entity', () => {
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const n of fs.readdirSync(d)) {
        const p = path.join(d, n);
        if (fs.statSync(p).isDirectory()) walk(p);
        else if (/\.ts$/.test(n)) {
          const src = fs.readFileSync(p, 'utf8');
          if (/INSERT INTO audit_log/i.test(src) && !(/satisfies AuditAction/.test(src) && /satisfies AuditEntity/.test(src))) offenders.push(path.relative(root, p));
        }
      }
    };
    walk(path.join(root, 'electron'));
    expect(offenders).toEqual([]);
  });
});
