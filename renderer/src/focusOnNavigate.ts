// Keyboard users: after a change of screen, focus goes to the new screen's h1 (or the main region
// while it loads) instead of being lost on <body> — otherwise the next Tab starts again from the top
// of the window. Focus that is still on a control of the page (e.g. a tab switched with the arrow keys,
// which changes the route) is left where it is.
import { useEffect, useRef } from 'react';

export const MAIN_ID = 'contenu';

function mainEl(): HTMLElement | null {
  return document.getElementById(MAIN_ID);
}

/** Focuses the page's h1 (made focusable by script, not in the Tab order), else the main region. */
export function focusMainHeading(): boolean {
  const main = mainEl();
  if (!main) return false;
  const h1 = main.querySelector<HTMLElement>('h1');
  const target = h1 ?? main;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: false });
  return h1 !== null;
}

/**
 * Focuses the h1 now, or — while the screen is still loading — the main region, then the h1 as
 * soon as it appears (within 5 s) unless the user has moved the focus meanwhile. Returns a cancel.
 */
export function focusHeadingSoon(): () => void {
  if (focusMainHeading()) return () => undefined;
  const main = mainEl();
  if (!main) return () => undefined;
  const obs = new MutationObserver(() => {
    const a = document.activeElement;
    if (a !== main && a !== document.body && a !== null) return stop();
    if (main.querySelector('h1')) {
      stop();
      focusMainHeading();
    }
  });
  const t = window.setTimeout(() => obs.disconnect(), 5000);
  function stop() {
    obs.disconnect();
    window.clearTimeout(t);
  }
  obs.observe(main, { childList: true, subtree: true });
  return stop;
}

/** Focus was lost (on body or removed) or is in the navigation/header: the user left the old screen. */
function focusIsOutsidePage(): boolean {
  const a = document.activeElement;
  if (!a || a === document.body || !a.isConnected) return true;
  const main = mainEl();
  if (a === main) return true;
  return !main?.contains(a);
}

export function useFocusOnRouteChange(routeKey: string): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false; // first load: leave the skip link as the first Tab stop
      return;
    }
    if (!focusIsOutsidePage()) return;
    // Inside an open modal (e.g. a dialog that navigates), leave Mantine's focus trap alone.
    if (document.activeElement?.closest('[role="dialog"]')) return;
    return focusHeadingSoon();
  }, [routeKey]);
}

/**
 * Focus lost inside the page — the focused control was removed by a re-render (a wizard's next
 * step, a form replaced by the saved record, a row deleted): put it on the page's h1 so the next
 * Tab continues in the page instead of starting again from the top of the window. Focus in a modal
 * (rendered outside main) is left to the modal, which gives it back itself.
 */
export function useFocusRescue(): void {
  useEffect(() => {
    const main = mainEl();
    if (!main) return;
    let last: Element | null = null;
    let lastInMain = false;
    const onFocusIn = (e: FocusEvent) => {
      last = e.target as Element;
      lastInMain = main.contains(last);
    };
    document.addEventListener('focusin', onFocusIn);
    const obs = new MutationObserver(() => {
      if (!last || last.isConnected || !lastInMain) return;
      const a = document.activeElement;
      if (a !== null && a !== document.body) return;
      last = null;
      focusHeadingSoon();
    });
    obs.observe(main, { childList: true, subtree: true });
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      obs.disconnect();
    };
  }, []);
}
