/**
 * Installing the app to the home screen. Chromium browsers offer it through `beforeinstallprompt`; Safari on
 * iPad has no prompt, so there we explain "Add to Home Screen" — worth it, because Safari may clear the storage of
 * a site in a browser tab after a week without use, but not of a home-screen app.
 */

interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

function standalone(): boolean {
  return (
    matchMedia('(display-mode: standalone)').matches || (navigator as { standalone?: boolean }).standalone === true
  );
}

/** iPadOS Safari reports itself as a Mac; a touch screen gives it away. */
function appleTablet(): boolean {
  const { userAgent, maxTouchPoints } = navigator;
  return /iPad|iPhone/.test(userAgent) || (/Macintosh/.test(userAgent) && maxTouchPoints > 0);
}

class Install {
  installed = $state(standalone());
  canPrompt = $state(false);
  readonly showAppleAdvice = !standalone() && appleTablet();
  private event: InstallPromptEvent | undefined;

  constructor() {
    addEventListener('beforeinstallprompt', (event) => {
      event.preventDefault(); // show our own button, at a calm moment, instead of the browser's banner
      this.event = event as InstallPromptEvent;
      this.canPrompt = true;
    });
    addEventListener('appinstalled', () => {
      this.installed = true;
      this.canPrompt = false;
    });
  }

  async prompt() {
    const event = this.event;
    if (!event) return;
    this.event = undefined;
    this.canPrompt = false;
    await event.prompt();
    if ((await event.userChoice).outcome === 'accepted') this.installed = true;
  }
}

export const install = new Install();
