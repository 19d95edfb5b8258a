/**
 * A small history router. Screens are addressed by real paths (`/observations/<id>`), so a link can be bookmarked
 * and opened directly; the server (and later the service worker) answers every path with the app shell.
 */

export type Route =
  | { name: 'home' }
  | { name: 'people' }
  | { name: 'who' }
  | { name: 'data' }
  /** `request`: start from a colleague's request; `about`: a self-assessment of an observed lesson; `purpose`: preset. */
  | { name: 'new-observation'; request?: string; about?: string; purpose?: 'self' }
  | { name: 'new-request' }
  | { name: 'request'; id: string }
  | { name: 'feedback'; id: string }
  | { name: 'report'; id: string }
  | { name: 'me' }
  | { name: 'portfolio' }
  /** A school leader's to-do list (their home shows the team). */
  | { name: 'todo' }
  /** `item`: show that item (its domain, scrolled to and focused), e.g. from the completion screen's open items. */
  | { name: 'observation'; id: string; item?: string }
  | { name: 'complete-observation'; id: string }
  | { name: 'amend-observation'; id: string }
  | { name: 'instruments' }
  /** `version`: that installed version (an older one beside the newest); without it the newest. */
  | { name: 'instrument'; id: string; version?: string }
  | { name: 'check-instrument' }
  /** The instrument editor: where a new draft starts, a draft being edited, and how the observer will see it. */
  | { name: 'new-instrument' }
  /** `section`: the part of the instrument the editor shows (`general`, `domain-3`, …; see the editor's sections). */
  | { name: 'instrument-draft'; id: string; section?: string }
  | { name: 'instrument-draft-preview'; id: string }
  /**
   * Connecting this tablet to the school server; `code`: the sign-in code, from a QR code's link; `receive`: signed
   * in, now receiving the school (after the reload that opens the account's database).
   */
  | { name: 'connect'; code?: string; receive?: boolean; then?: 'upload' }
  /**
   * Setting up the school on the server with its set-up link (`/setup#token=…`: the token is read by the screen,
   * never routed); `step: 'upload'`: set up, now offering to send this tablet's device-only school.
   */
  | { name: 'setup'; step?: 'upload' }
  /** Accounts on this tablet: who is signed in, sync, signing out, switching. */
  | { name: 'account' }
  | { name: 'not-found'; path: string };

const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

function parseRoute(pathname: string, search = ''): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  switch (parts.length) {
    case 0:
      return { name: 'home' };
    case 1:
      if (first === 'people') return { name: 'people' };
      if (first === 'who') return { name: 'who' };
      if (first === 'data') return { name: 'data' };
      if (first === 'instruments') return { name: 'instruments' };
      if (first === 'check-instrument') return { name: 'check-instrument' };
      if (first === 'me') return { name: 'me' };
      if (first === 'portfolio') return { name: 'portfolio' };
      if (first === 'todo') return { name: 'todo' };
      if (first === 'connect') {
        const query = new URLSearchParams(search);
        const code = query.get('code');
        return {
          name: 'connect',
          ...(code ? { code } : {}),
          ...(query.get('receive') ? { receive: true } : {}),
          ...(query.get('then') === 'upload' ? { then: 'upload' as const } : {}),
        };
      }
      if (first === 'setup')
        return new URLSearchParams(search).get('step') === 'upload'
          ? { name: 'setup', step: 'upload' }
          : { name: 'setup' };
      if (first === 'account') return { name: 'account' };
      break;
    case 2:
      if (first === 'observations' && second === 'new') {
        const query = new URLSearchParams(search);
        const request = query.get('request');
        const about = query.get('about');
        const self = query.get('purpose') === 'self';
        return {
          name: 'new-observation',
          ...(request ? { request } : {}),
          ...(about ? { about } : {}),
          ...(self ? { purpose: 'self' as const } : {}),
        };
      }
      if (first === 'requests' && second === 'new') return { name: 'new-request' };
      if (first === 'requests' && second) return { name: 'request', id: second };
      if (first === 'observations' && second) {
        const item = new URLSearchParams(search).get('item');
        return item ? { name: 'observation', id: second, item } : { name: 'observation', id: second };
      }
      if (first === 'instruments' && second) {
        const version = new URLSearchParams(search).get('version');
        return version ? { name: 'instrument', id: second, version } : { name: 'instrument', id: second };
      }
      // Drafts have their own path: "new" is a valid instrument id, never a draft's (a UUID).
      if (first === 'instrument-drafts' && second === 'new') return { name: 'new-instrument' };
      if (first === 'instrument-drafts' && second) {
        const section = new URLSearchParams(search).get('section');
        return section ? { name: 'instrument-draft', id: second, section } : { name: 'instrument-draft', id: second };
      }
      break;
    case 3:
      if (first === 'observations' && second && third === 'complete')
        return { name: 'complete-observation', id: second };
      if (first === 'observations' && second && third === 'amend') return { name: 'amend-observation', id: second };
      if (first === 'observations' && second && third === 'feedback') return { name: 'feedback', id: second };
      if (first === 'observations' && second && third === 'report') return { name: 'report', id: second };
      if (first === 'instrument-drafts' && second && third === 'preview')
        return { name: 'instrument-draft-preview', id: second };
      break;
  }
  return { name: 'not-found', path };
}

export function href(route: Route): string {
  const path = (() => {
    switch (route.name) {
      case 'home':
        return '/';
      case 'people':
        return '/people';
      case 'who':
        return '/who';
      case 'data':
        return '/data';
      case 'new-observation': {
        const query = new URLSearchParams({
          ...(route.request ? { request: route.request } : {}),
          ...(route.about ? { about: route.about } : {}),
          ...(route.purpose ? { purpose: route.purpose } : {}),
        }).toString();
        return `/observations/new${query ? `?${query}` : ''}`;
      }
      case 'new-request':
        return '/requests/new';
      case 'request':
        return `/requests/${encodeURIComponent(route.id)}`;
      case 'feedback':
        return `/observations/${encodeURIComponent(route.id)}/feedback`;
      case 'report':
        return `/observations/${encodeURIComponent(route.id)}/report`;
      case 'me':
        return '/me';
      case 'portfolio':
        return '/portfolio';
      case 'todo':
        return '/todo';
      case 'observation':
        return `/observations/${encodeURIComponent(route.id)}${route.item ? `?item=${encodeURIComponent(route.item)}` : ''}`;
      case 'complete-observation':
        return `/observations/${encodeURIComponent(route.id)}/complete`;
      case 'amend-observation':
        return `/observations/${encodeURIComponent(route.id)}/amend`;
      case 'instruments':
        return '/instruments';
      case 'instrument':
        return `/instruments/${encodeURIComponent(route.id)}${route.version ? `?${new URLSearchParams({ version: route.version })}` : ''}`;
      case 'check-instrument':
        return '/check-instrument';
      case 'new-instrument':
        return '/instrument-drafts/new';
      case 'instrument-draft':
        return `/instrument-drafts/${encodeURIComponent(route.id)}${route.section ? `?${new URLSearchParams({ section: route.section })}` : ''}`;
      case 'instrument-draft-preview':
        return `/instrument-drafts/${encodeURIComponent(route.id)}/preview`;
      case 'connect': {
        const query = new URLSearchParams({
          ...(route.code ? { code: route.code } : {}),
          ...(route.receive ? { receive: '1' } : {}),
          ...(route.then ? { then: route.then } : {}),
        }).toString();
        return `/connect${query ? `?${query}` : ''}`;
      }
      case 'setup':
        return route.step ? `/setup?step=${route.step}` : '/setup';
      case 'account':
        return '/account';
      case 'not-found':
        return route.path;
    }
  })();
  return `${BASE}${path}`;
}

class RouterState {
  route = $state<Route>(parseRoute(location.pathname, location.search));

  constructor() {
    addEventListener('popstate', () => {
      this.route = parseRoute(location.pathname, location.search);
    });
  }

  /**
   * Goes to a screen; `replace` for redirects that should not leave a step in the history, `scroll: false` to
   * stay where the page is (the same screen, only its address tidied).
   */
  go(route: Route, options: { replace?: boolean; scroll?: boolean } = {}) {
    const target = href(route);
    if (target !== location.pathname + location.search) {
      if (options.replace) history.replaceState(null, '', target);
      else history.pushState(null, '', target);
    }
    this.route = route;
    // A new screen starts at its top, as a page load would.
    if (options.scroll !== false) scrollTo({ top: 0 });
  }
}

export const router = new RouterState();

/**
 * Scrolls a part of the page to the top of the screen, at once. Sections far away may be laid out only when they
 * come near (`content-visibility`, the instrument preview): a smooth scroll past them changes their heights while it
 * runs and stops short of its target. So the jump is instant, and is made again in the next frames until the
 * target stands still.
 */
function jumpTo(target: Element, frames = 4) {
  target.scrollIntoView({ block: 'start', behavior: 'instant' });
  const top = target.getBoundingClientRect().top;
  if (frames > 0)
    requestAnimationFrame(() => {
      if (Math.abs(target.getBoundingClientRect().top - top) > 1) jumpTo(target, frames - 1);
    });
}

/**
 * Lets plain `<a href>` links navigate inside the app. Modified clicks (new tab, download) and links to other
 * origins keep the browser's behaviour.
 */
export function interceptLinks(event: MouseEvent) {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  ) {
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
    jumpTo(target);
    return;
  }
  const route = parseRoute(url.pathname, url.search);
  if (route.name === 'not-found') return; // not a screen of ours (a file, another app on the origin)
  event.preventDefault();
  router.go(route);
}
