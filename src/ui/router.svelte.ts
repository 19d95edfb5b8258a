/**
 * A small history router. Screens are addressed by real paths (`/instruments/<id>`), so a link can be bookmarked
 * and opened directly; the server (and later the service worker) answers every path with the app shell.
 */

export type Route =
  | { name: 'instruments' }
  | { name: 'instrument'; id: string }
  | { name: 'check-instrument' }
  | { name: 'not-found'; path: string };

const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

export function parseRoute(pathname: string): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'instruments' };
  if (parts[0] === 'instruments' && parts.length === 1) return { name: 'instruments' };
  if (parts[0] === 'check-instrument' && parts.length === 1) return { name: 'check-instrument' };
  if (parts[0] === 'instruments' && parts.length === 2 && parts[1]) return { name: 'instrument', id: parts[1] };
  return { name: 'not-found', path };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'instruments':
      return `${BASE}/instruments`;
    case 'instrument':
      return `${BASE}/instruments/${encodeURIComponent(route.id)}`;
    case 'check-instrument':
      return `${BASE}/check-instrument`;
    case 'not-found':
      return `${BASE}${route.path}`;
  }
}

class RouterState {
  route = $state<Route>(parseRoute(location.pathname));

  constructor() {
    addEventListener('popstate', () => {
      this.route = parseRoute(location.pathname);
    });
  }

  go(route: Route) {
    const target = href(route);
    if (target !== location.pathname) history.pushState(null, '', target);
    this.route = route;
    // A new screen starts at its top, as a page load would.
    scrollTo({ top: 0 });
  }
}

export const router = new RouterState();

/**
 * Lets plain `<a href>` links navigate inside the app. Modified clicks (new tab, download) and links to other
 * origins keep the browser's behaviour.
 */
export function interceptLinks(event: MouseEvent) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin) return;
  if (url.pathname === location.pathname && url.hash) {
    // In-page anchors (the domain chips): scroll ourselves. Headless Chromium at tablet emulation does not always
    // scroll for a fragment change under `scroll-behavior: smooth`, and this keeps one behaviour on every device.
    const target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
    if (!target) return;
    event.preventDefault();
    history.replaceState(history.state, '', url.hash);
    target.scrollIntoView({ block: 'start' });
    return;
  }
  const route = parseRoute(url.pathname);
  if (route.name === 'not-found') return; // not a screen of ours (a file, another app on the origin)
  event.preventDefault();
  router.go(route);
}
