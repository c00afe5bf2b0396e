// A tiny hash router: #/convention/3 → { path: ['convention', '3'] }. Enough for five steps,
// and it keeps the app a single file:// page in Electron.
import { useEffect, useState } from 'react';

export function currentPath(): string[] {
  const h = window.location.hash.replace(/^#\/?/, '');
  if (h.startsWith('token=')) return [];
  return h.split('?')[0].split('/').filter(Boolean);
}

export function navigate(path: string): void {
  window.location.hash = '#/' + path.replace(/^\//, '');
}

export function useRoute(): string[] {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const on = () => setPath(currentPath());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return path;
}
