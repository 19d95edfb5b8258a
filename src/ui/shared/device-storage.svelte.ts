/**
 * How much this device stores for Meekijken, and whether the browser has promised to keep it
 * (`navigator.storage.persist()`): without that promise a browser may clear the data when space runs low.
 */

class DeviceStorage {
  usage = $state<number | undefined>();
  quota = $state<number | undefined>();
  persisted = $state<boolean | undefined>();
  readonly supported = typeof navigator !== 'undefined' && !!navigator.storage?.estimate;

  async refresh() {
    if (!this.supported) return;
    const [estimate, persisted] = await Promise.all([
      navigator.storage.estimate(),
      navigator.storage.persisted?.() ?? false,
    ]);
    this.usage = estimate.usage;
    this.quota = estimate.quota;
    this.persisted = persisted;
  }

  /**
   * Asks for persistent storage. Browsers decide by engagement (installed apps, bookmarks, use), so asking at a
   * meaningful moment — after the first completed observation, or when the user taps the button — works best.
   */
  async requestPersistence(): Promise<boolean> {
    if (!navigator.storage?.persist) return false;
    const granted = await navigator.storage.persist();
    await this.refresh();
    return granted;
  }
}

export const deviceStorage = new DeviceStorage();
