// Random inputs for any channel, derived from its zod input schema (zod 4 definitions): values
// of the right shape with random content (so they reach the services and their rules), mixed
// with wrong shapes (missing keys, unknown keys, wrong types, junk) that dispatch must refuse.
import fc from 'fast-check';
import type { z } from 'zod';

type Def = { type: string; [k: string]: unknown };
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

/** Strings that mean something somewhere: dates, codes, SIRET, paths, injections, huge text. */
const meaningful = fc.constantFrom(
  '',
  ' ',
  '2025-01-15',
  '2024-02-30',
  '31/12/2025',
  '23',
  '2A',
  '977',
  '22230001600011',
  '356000000',
  'x@y.fr',
  'contact@mairie.fr',
  '../../etc/passwd',
  '..\\..\\Windows\\win.ini',
  'C:\\Windows',
  '=HYPERLINK("http://x")',
  "'; DROP TABLE conventions; --",
  '\u0000',
  'é'.repeat(300),
  'AN',
  'AC',
  'autre',
  'import:1',
  'bnVsbA==',
  'UEsDBAoAAAAAAA==',
);

function stringArb(def: Def): fc.Arbitrary<string> {
  const checks = (def.checks as { _zod: { def: { check: string; minimum?: number; maximum?: number; value?: number } } }[] | undefined) ?? [];
  let max = 300;
  for (const c of checks) {
    const d = c._zod.def;
    if (d.check === 'max_length' && typeof d.maximum === 'number') max = Math.min(max, d.maximum + 2);
  }
  return fc.oneof({ weight: 2, arbitrary: fc.string({ maxLength: max }) }, { weight: 2, arbitrary: meaningful }, { weight: 1, arbitrary: fc.base64String({ maxLength: 200 }) });
}

function numberArb(): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) }, // ids that exist in the seeded base
    { weight: 2, arbitrary: fc.integer({ min: -5, max: 100_000_00 }) },
    { weight: 1, arbitrary: fc.double({ noNaN: false }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER, 1.5) },
  );
}

/** Values shaped like the schema (not always valid: checks and refinements may still refuse). */
export function shaped(schema: unknown, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (depth > 6) return fc.constant(undefined);
  switch (def.type) {
    case 'string':
      return stringArb(def);
    case 'number':
    case 'int':
      return numberArb();
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant(undefined);
    case 'literal':
      return fc.constantFrom(...((def.values as unknown[]) ?? [undefined]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string | number>));
    case 'optional':
      return fc.option(shaped(def.innerType, depth + 1), { nil: undefined, freq: 3 });
    case 'nullable':
      return fc.option(shaped(def.innerType, depth + 1), { nil: null, freq: 3 });
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return fc.option(shaped(def.innerType, depth + 1), { nil: undefined, freq: 3 });
    case 'pipe':
      return shaped(def.in, depth + 1);
    case 'lazy':
      return shaped((def.getter as () => unknown)(), depth + 1);
    case 'array':
      return fc.array(shaped(def.element, depth + 1), { maxLength: 4 });
    case 'tuple':
      return fc.tuple(...(def.items as unknown[]).map((i) => shaped(i, depth + 1)));
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map((o) => shaped(o, depth + 1)));
    case 'intersection':
      return shaped(def.left, depth + 1);
    case 'record':
      return fc.dictionary(fc.string({ maxLength: 8 }), shaped(def.valueType, depth + 1), { maxKeys: 3 });
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const parts: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(shape)) parts[k] = shaped(v, depth + 1);
      return fc.record(parts).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    }
    default:
      return fc.anything({ maxDepth: 2 });
  }
}

/** Wrong shapes: dispatch must refuse them (invalid_input) without touching anything. */
function broken(schema: unknown): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }),
    shaped(schema).chain((v) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? fc.oneof(
            fc.constant({ ...(v as object), champInconnu: 1 }),
            fc.constant({ ...(v as object), __proto__: { admin: true } }),
            fc.constantFrom(...Object.keys(v as object), '').map((k) => {
              const c = { ...(v as Record<string, unknown>) };
              delete c[k];
              return c;
            }),
            fc.constantFrom(...Object.keys(v as object), 'x').chain((k) => fc.anything({ maxDepth: 1 }).map((junk) => ({ ...(v as object), [k]: junk }))),
          )
        : fc.constant(v),
    ),
  );
}

/** 3 in 4 shaped like the schema, 1 in 4 broken. */
export function inputFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: shaped(schema) }, { weight: 1, arbitrary: broken(schema) });
}
