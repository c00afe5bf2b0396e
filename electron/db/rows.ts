// Types of rows read with raw SQL (prepared statements), taken from the kysely table types of
// ./tables/ rather than re-declared by hand: a renamed or retyped column breaks the build here.
import type { Selectable } from 'kysely';
import type { DB } from './schema';

/** A whole row of a table, as SELECT * returns it. */
export type Row<T extends keyof DB> = Selectable<DB[T]>;

/** Some columns of a table, as `SELECT a, b FROM t` returns them. */
export type Cols<T extends keyof DB, K extends keyof Row<T>> = Pick<Row<T>, K>;
