// A table that scrolls through tens of thousands of rows: only the rows in view (plus a margin)
// are in the page, and they are fetched from the services by blocks as the officer scrolls.
// It stays a real <table> (header cells, sort buttons, links keep their meaning for screen
// readers and the keyboard): two hidden spacer rows stand for the rows above and below, and
// aria-rowcount / aria-rowindex tell assistive technologies where a row sits in the whole list.
// Every row has the same height, and a cell's text that does not fit ends with « … » (whole in
// its tooltip and on the record's page): rows measured as they appear would change the height
// of the list while the officer drags the scroll bar, and the list would jump back.
import { Alert, Table, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useReducer, useRef, useState, type ReactNode } from 'react';

const BLOCK = 100;

export interface RowBlocks<T> {
  /** Number of rows the query matches; null until the first block has arrived. */
  total: number | null;
  error: string | null;
  rowAt(index: number): T | undefined;
  /** Asks for the blocks covering rows start..end (inclusive); already loaded or pending ones are not fetched again. */
  ensure(start: number, end: number): void;
  /** Changes each time the rows are fetched anew (the table then asks again for the rows in view). */
  version: number;
}

/**
 * Rows of one query, fetched from the services by blocks of 100 on demand. `query` is what the
 * officer chose (filters, sort): when it changes, the list starts again from its first row.
 * `refresh` changes when the data may have changed elsewhere: the rows are fetched anew where
 * the officer is, without losing the place.
 */
export function useRowBlocks<T>(query: unknown, refresh: unknown, fetchBlock: (offset: number, limit: number) => Promise<{ total: number; rows: T[] }>): RowBlocks<T> {
  const signature = JSON.stringify(query);
  const refreshSignature = JSON.stringify(refresh);
  const lastSignature = useRef<string | null>(null);
  const [version, setVersion] = useState(0);
  const fetchRef = useRef(fetchBlock);
  fetchRef.current = fetchBlock;
  const cache = useRef(new Map<number, T[]>());
  // After a refresh, the rows fetched before stay shown until their block comes back.
  const stale = useRef(new Map<number, T[]>());
  const pending = useRef(new Set<number>());
  const generation = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, rerender] = useReducer((x: number) => x + 1, 0);

  const load = useCallback((block: number) => {
    if (cache.current.has(block) || pending.current.has(block)) return;
    pending.current.add(block);
    const gen = generation.current;
    fetchRef
      .current(block * BLOCK, BLOCK)
      .then((r) => {
        if (gen !== generation.current) return; // an answer to a query the officer has since changed
        cache.current.set(block, r.rows);
        setTotal(r.total);
        setError(null);
        rerender();
      })
      .catch((e: unknown) => gen === generation.current && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => gen === generation.current && pending.current.delete(block));
  }, []);

  useEffect(() => {
    generation.current++;
    const sameQuery = lastSignature.current === signature;
    stale.current = sameQuery ? new Map([...stale.current, ...cache.current]) : new Map();
    cache.current = new Map();
    pending.current = new Set();
    if (!sameQuery) setTotal(null); // another query: back to the top
    lastSignature.current = signature;
    setError(null);
    setVersion((v) => v + 1);
    load(0);
  }, [signature, refreshSignature, load]);

  const ensure = useCallback(
    (start: number, end: number) => {
      for (let b = Math.floor(start / BLOCK); b <= Math.floor(end / BLOCK); b++) load(b);
    },
    [load],
  );
  const rowAt = (index: number) => {
    const block = Math.floor(index / BLOCK);
    return (cache.current.get(block) ?? stale.current.get(block))?.[index % BLOCK];
  };
  return { total, error, rowAt, ensure, version };
}

interface VirtualTableProps<T> {
  /** Accessible name of the table. */
  label: string;
  /** The header row (a Table.Tr of Table.Th). */
  header: ReactNode;
  /** Width of each column (CSS), one per cell of a row. */
  widths: string[];
  rows: RowBlocks<T>;
  renderCells(row: T): ReactNode;
  /** Height of every row, in pixels: 41 holds one line of text, 56 a badge over a line of small text. */
  rowHeight?: number;
  empty?: string;
}

export function VirtualTable<T>({ label, header, widths, rows, renderCells, rowHeight = 41, empty = 'Aucune ligne.' }: VirtualTableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = rows.total ?? 0;
  const columns = widths.length;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure, version } = rows;
  useEffect(() => {
    if (count > 0) ensure(first, last);
  }, [ensure, first, last, count, version]);

  if (rows.error) return <Alert color="red">{rows.error}</Alert>;
  const padTop = items.length ? items[0].start : 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const spacer = (height: number) => (
    <tr aria-hidden="true" style={{ height }}>
      <td colSpan={columns} style={{ padding: 0, border: 0 }} />
    </tr>
  );
  return (
    <div ref={scrollRef} className="virtual-table-scroll" tabIndex={0} role="region" aria-label={`${label} : zone défilante`}>
      <Table highlightOnHover withTableBorder stickyHeader aria-label={label} aria-rowcount={count + 1} className="virtual-table">
        <colgroup>
          {widths.map((w, i) => (
            <col key={i} style={{ width: w }} />
          ))}
        </colgroup>
        <Table.Thead>{header}</Table.Thead>
        <Table.Tbody>
          {padTop > 0 && spacer(padTop)}
          {items.map((item) => {
            const row = rows.rowAt(item.index);
            return (
              <Table.Tr key={item.key} aria-rowindex={item.index + 2} style={{ height: rowHeight }} className={item.index % 2 ? 'virtual-table-odd' : undefined}>
                {row ? (
                  renderCells(row)
                ) : (
                  <Table.Td colSpan={columns} c="dimmed">
                    Chargement…
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
          {padBottom > 0 && spacer(padBottom)}
        </Table.Tbody>
      </Table>
      {rows.total === 0 && (
        <Text c="dimmed" p="sm">
          {empty}
        </Text>
      )}
    </div>
  );
}
