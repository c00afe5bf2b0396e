// No channel of the contract takes a path: files and folders come from the officer (native
// dialogs of the desktop app → opaque handles; uploads and downloads in the web host). This walks
// every channel's input schema down to its strings and tries absolute paths of every kind on each.
// A string field that takes them must be a known free-text or content field (a name, a note, a
// file's content…) — a new field gets here only by being listed, and no path-like name can be.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { channelNames, contract } from '../../shared/ipc/contract';
import { pickedHandleSchema } from '../../shared/ipc/common';

const ABSOLUTE_PATHS = ['/etc/passwd', 'C:\\x', 'C:/x', '\\\\srv\\share', '//srv/share', '\\\\?\\C:\\x', '/'];

/**
 * Fields that hold free text or a file's content, never used to open, write or list anything on
 * disk (keys, as they appear in the schemas). `fileName` is the display name of an uploaded
 * file: the services keep contents by their SHA-256 and never build a path from it.
 */
const TEXT_FIELDS = new Set([
  'label', 'beneficiaireNom', 'beneficiaireSiret', 'role', 'fileName', 'mimeType', 'contentBase64', 'note', 'notes', 'sheet',
  'search', 'reason', 'warning', 'nom', 'prenom', 'email', 'phone', 'profession', 'statut', 'trainingOrg', 'comment', 'name',
  'siret', 'type', 'address', 'postcode', 'city', 'nda', 'contactPhone', 'title', 'query', 'text', 'reference', 'number',
  'otherProcedureRef', 'mandateRef', 'place', 'trainers', 'overrideReason', 'entity', 'batchId', 'returnTo', 'contextText', 'departement',
  // a list's column headers (the CLI's --map « En-tête=champ »); a file's bytes in pieces (content)
  'map', 'bytesBase64',
]);
/** Names that would say "this is where to read or write": never acceptable as free text. */
const PATH_LIKE = /path|dir|dossier|folder|chemin|fichier|^file$|destination|dest$|^out|target|location/i;

type Leaf = { channel: string; field: string; key: string; schema: z.ZodType };

function stringLeaves(schema: unknown, channel: string, field: string, key: string, out: Leaf[], seen = new Set<unknown>()): void {
  if (!schema || seen.has(schema)) return;
  seen.add(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> & { type: string } } })._zod?.def;
  if (!def) throw new Error(`${channel} ${field}: not a zod schema`);
  const walk = (s: unknown, f = field, k = key) => stringLeaves(s, channel, f, k, out, seen);
  switch (def.type) {
    case 'string':
      out.push({ channel, field, key, schema: schema as z.ZodType });
      return;
    case 'object':
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) walk(v, `${field}.${k}`, k);
      return;
    case 'array':
      return walk(def.element);
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return walk(def.innerType);
    case 'pipe': {
      // A text read by a function (an amount): the whole pipe is the leaf — what it refuses, it refuses.
      const inner = (def.in as { _zod?: { def?: { type: string; options?: { _zod?: { def?: { type: string } } }[] } } })._zod?.def;
      const takesText = inner?.type === 'string' || (inner?.type === 'union' && (inner.options ?? []).some((o) => o._zod?.def?.type === 'string'));
      if (takesText) {
        out.push({ channel, field, key, schema: schema as z.ZodType });
        return;
      }
      walk(def.in);
      walk(def.out);
      return;
    }
    case 'transform':
      // The function step of a pipe (an amount read from its text): its input was walked above.
      return;
    case 'union':
      for (const o of def.options as unknown[]) walk(o);
      return;
    case 'intersection':
      walk(def.left);
      walk(def.right);
      return;
    case 'record':
      walk(def.keyType, `${field}{key}`, key);
      walk(def.valueType, `${field}{}`, key);
      return;
    case 'tuple':
      (def.items as unknown[]).forEach((o, i) => walk(o, `${field}[${i}]`, key));
      return;
    case 'lazy':
      return walk((def.getter as () => unknown)());
    case 'number':
    case 'int':
    case 'boolean':
    case 'enum':
    case 'literal':
    case 'null':
    case 'undefined':
    case 'bigint':
    case 'date':
      return;
    default:
      // unknown/any would let a path through unseen: refuse to pass.
      throw new Error(`${channel} ${field}: schema type « ${def.type} » not walked (a path could hide there)`);
  }
}

const leaves: Leaf[] = [];
for (const name of channelNames) stringLeaves(contract[name].input, name, '', '(entrée)', leaves);

describe('contract: no channel input takes a path', () => {
  it('walks real schemas (sanity: many string fields found)', () => {
    expect(leaves.length).toBeGreaterThan(50);
  });

  it('the path-like fields of sauvegarde and justification take opaque handles only', () => {
    const pathLike = leaves.filter((l) => PATH_LIKE.test(l.key));
    expect(pathLike.map((l) => `${l.channel}${l.field}`).sort()).toEqual(
      ['justification.dossier.start.destination', 'sauvegarde.dossier.dossier', 'sauvegarde.restaurer.fichier'].sort(),
    );
    for (const l of pathLike) for (const p of ABSOLUTE_PATHS) expect(l.schema.safeParse(p).success, `${l.channel}${l.field} ← ${p}`).toBe(false);
  });

  it('no input schema accepts an absolute path (POSIX, Windows, UNC) except in listed free-text fields', () => {
    const offenders: string[] = [];
    for (const l of leaves) {
      const accepted = ABSOLUTE_PATHS.filter((p) => l.schema.safeParse(p).success);
      if (accepted.length === 0) continue;
      if (!TEXT_FIELDS.has(l.key) || PATH_LIKE.test(l.key)) offenders.push(`${l.channel}${l.field} accepte ${accepted.join(', ')}`);
    }
    expect(offenders).toEqual([]);
    for (const k of TEXT_FIELDS) expect(PATH_LIKE.test(k), k).toBe(false);
  });

  it('whole inputs with a path in place of a handle are refused', () => {
    for (const p of ABSOLUTE_PATHS) {
      expect(contract['sauvegarde.dossier'].input.safeParse({ dossier: p }).success, p).toBe(false);
      expect(contract['sauvegarde.restaurer'].input.safeParse({ name: p }).success, p).toBe(false);
      expect(contract['sauvegarde.restaurer'].input.safeParse({ fichier: p }).success, p).toBe(false);
      expect(contract['justification.dossier.start'].input.safeParse({ conventionId: 1, destination: p }).success, p).toBe(false);
      expect(contract['justification.dossier.start'].input.safeParse({ conventionId: 1, outDir: p }).success, p).toBe(false);
    }
    for (const rel of ['../x', 'fne-formations_../../x.sqlite', '..\\x']) expect(contract['sauvegarde.restaurer'].input.safeParse({ name: rel }).success, rel).toBe(false);
    expect(pickedHandleSchema.safeParse('h' + 'a'.repeat(32)).success).toBe(true);
  });

  it('importing the public list from a path is not a channel (the CLI calls the service)', () => {
    expect(channelNames).not.toContain('marche.publicList.importFile');
  });
});
