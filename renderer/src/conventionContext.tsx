import { createContext, useContext } from 'react';

/** The convention the officer is working on (null: none yet). Chosen in the header. */
export const ConventionContext = createContext<{ conventionId: number | null; setConventionId: (id: number | null) => void; refreshKey: number; refresh: () => void }>({
  conventionId: null,
  setConventionId: () => {},
  refreshKey: 0,
  refresh: () => {},
});

export function useConvention() {
  return useContext(ConventionContext);
}
